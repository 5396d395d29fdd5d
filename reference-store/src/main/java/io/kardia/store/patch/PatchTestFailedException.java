package io.kardia.store.patch;

/** A JSON patch whose {@code test} operation found another value (MutatingAdmissionPolicy then applies none of it). */
public final class PatchTestFailedException extends PatchException {
    public PatchTestFailedException(String message) {
        super(message, false);
    }
}
