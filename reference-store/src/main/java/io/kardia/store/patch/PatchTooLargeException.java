package io.kardia.store.patch;

/** A patch refused for its size alone (kube-apiserver answers 413 Request Entity Too Large). */
public class PatchTooLargeException extends PatchException {
    public PatchTooLargeException(String message) {
        super(message, true);
    }
}
