package io.kardia.core.client;

import io.kardia.core.model.Status;

/**
 * The API refused a request. Carries the Kubernetes {@link Status}; the subclass names the
 * reason so callers can catch exactly what they handle ({@link NotFoundException},
 * {@link ConflictException}, ...). Messages never contain credentials.
 */
public class KubeApiException extends RuntimeException {
    private final transient Status status;

    public KubeApiException(Status status) {
        super(status.message() == null ? status.reason() + " (" + status.code() + ")" : status.message());
        this.status = status;
    }

    public Status status() {
        return status;
    }

    /** HTTP status code, e.g. 404. */
    public int code() {
        return status.code() == null ? 500 : status.code();
    }

    /** Kubernetes reason, e.g. {@code NotFound}, {@code AlreadyExists}, {@code Conflict}. */
    public String reason() {
        return status.reason();
    }

    /** The typed exception for a Status, as both transports raise them. */
    public static KubeApiException of(Status status) {
        int code = status.code() == null ? 500 : status.code();
        String reason = status.reason() == null ? "" : status.reason();
        return switch (code) {
            case 400 -> new BadRequestException(status);
            case 401 -> new UnauthorizedException(status);
            case 403 -> new ForbiddenException(status);
            case 404 -> new NotFoundException(status);
            case 409 -> reason.equals("AlreadyExists") ? new AlreadyExistsException(status) : new ConflictException(status);
            case 410 -> new GoneException(status);
            case 413 -> new RequestTooLargeException(status);
            case 422 -> new InvalidException(status);
            case 429 -> new TooManyRequestsException(status);
            default -> new KubeApiException(status);
        };
    }

    public static final class BadRequestException extends KubeApiException {
        public BadRequestException(Status s) { super(s); }
    }

    public static final class UnauthorizedException extends KubeApiException {
        public UnauthorizedException(Status s) { super(s); }
    }

    public static final class ForbiddenException extends KubeApiException {
        public ForbiddenException(Status s) { super(s); }
    }

    public static final class NotFoundException extends KubeApiException {
        public NotFoundException(Status s) { super(s); }
    }

    public static final class AlreadyExistsException extends KubeApiException {
        public AlreadyExistsException(Status s) { super(s); }
    }

    /** 409 Conflict: usually a stale resourceVersion; re-read and retry. */
    public static final class ConflictException extends KubeApiException {
        public ConflictException(Status s) { super(s); }
    }

    /** 410 Gone/Expired: the resourceVersion or continue token is older than the store's history. */
    public static final class GoneException extends KubeApiException {
        public GoneException(Status s) { super(s); }
    }

    public static final class RequestTooLargeException extends KubeApiException {
        public RequestTooLargeException(Status s) { super(s); }
    }

    /** 422 Invalid: {@code status().details().causes()} name each bad field. */
    public static final class InvalidException extends KubeApiException {
        public InvalidException(Status s) { super(s); }
    }

    /** 429: back off for {@link #retryAfterSeconds()}. */
    public static final class TooManyRequestsException extends KubeApiException {
        public TooManyRequestsException(Status s) { super(s); }

        public int retryAfterSeconds() {
            var d = status().details();
            return d == null || d.retryAfterSeconds() == null ? 1 : d.retryAfterSeconds();
        }
    }
}
