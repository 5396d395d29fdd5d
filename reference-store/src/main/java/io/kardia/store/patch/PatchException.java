package io.kardia.store.patch;

/**
 * A patch that cannot be applied. {@code malformed} patches (not the right JSON shape) are the
 * client's syntax error (400); well-formed patches that do not apply (a failed {@code test}, a
 * missing path) are 422, as kube-apiserver answers.
 */
public class PatchException extends RuntimeException {
    private final boolean malformed;

    public PatchException(String message, boolean malformed) {
        super(message);
        this.malformed = malformed;
    }

    public boolean malformed() {
        return malformed;
    }
}
