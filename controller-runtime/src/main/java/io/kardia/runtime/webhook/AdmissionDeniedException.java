package io.kardia.runtime.webhook;

/** Refuses a write from a {@link Validator} or {@link Defaulter}: the API server answers with this code, reason and message. */
public class AdmissionDeniedException extends RuntimeException {
    private final int code;
    private final String reason;

    /** 403 Forbidden with {@code message}, as controller-runtime's {@code admission.Denied}. */
    public AdmissionDeniedException(String message) {
        this(403, "Forbidden", message);
    }

    public AdmissionDeniedException(int code, String reason, String message) {
        super(message);
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }
}
