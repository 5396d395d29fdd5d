package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/**
 * metav1.Status: the body of every API error, and of some successful deletes. The factory methods
 * produce the reasons and messages kube-apiserver produces, so clients that parse them (kubectl
 * included) behave the same against Kardia.
 */
public record Status(
        String apiVersion,
        String kind,
        ListMeta metadata,
        String status,
        String message,
        String reason,
        Details details,
        Integer code,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public static final String SUCCESS = "Success";
    public static final String FAILURE = "Failure";

    public Status {
        apiVersion = apiVersion == null ? "v1" : apiVersion;
        kind = kind == null ? "Status" : kind;
        extra = Frozen.tree(extra);
    }

    /** metav1.StatusDetails. */
    public record Details(
            String name,
            String group,
            String kind,
            String uid,
            List<Cause> causes,
            Integer retryAfterSeconds,
            @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        public Details {
            causes = Frozen.list(causes);
            extra = Frozen.tree(extra);
        }
    }

    /** metav1.StatusCause: one reason a request was invalid, with the field it concerns. */
    public record Cause(String reason, String message, String field) {
        public static Cause invalid(String field, String message) {
            return new Cause("FieldValueInvalid", message, field);
        }

        public static Cause required(String field) {
            return new Cause("FieldValueRequired", "Required value", field);
        }
    }

    public static Status failure(int code, String reason, String message, Details details) {
        return new Status(null, null, null, FAILURE, message, reason, details, code, null);
    }

    public static Status success() {
        return new Status(null, null, null, SUCCESS, null, null, null, 200, null);
    }

    private static Details details(ResourceName what) {
        return new Details(what.name(), what.group(), what.resource(), null, null, null, null);
    }

    public static Status notFound(ResourceName what) {
        return failure(404, "NotFound", what.quoted() + " not found", details(what));
    }

    public static Status alreadyExists(ResourceName what) {
        return failure(409, "AlreadyExists", what.quoted() + " already exists", details(what));
    }

    public static Status conflict(ResourceName what, String why) {
        return failure(409, "Conflict", "Operation cannot be fulfilled on " + what.quoted() + ": " + why,
                details(what));
    }

    /** The optimistic-concurrency failure, worded as kube-apiserver words it. */
    public static Status staleResourceVersion(ResourceName what) {
        return conflict(what, "the object has been modified; please apply your changes to the latest version and try again");
    }

    public static Status invalid(ResourceName what, String kind, List<Cause> causes) {
        StringBuilder msg = new StringBuilder(kind).append(' ').append('"').append(what.name()).append("\" is invalid: ");
        for (int i = 0; i < causes.size(); i++) {
            Cause c = causes.get(i);
            if (i > 0) {
                msg.append(", ");
            }
            if (c.field() != null && !c.field().isEmpty()) {
                msg.append(c.field()).append(": ");
            }
            msg.append(c.message());
        }
        if (causes.size() > 1) {
            msg.insert(msg.indexOf(": ") + 2, "[").append(']');
        }
        Details d = new Details(what.name(), what.group(), kind, null, causes, null, null);
        return failure(422, "Invalid", msg.toString(), d);
    }

    public static Status gone(String message) {
        return failure(410, "Gone", message, null);
    }

    /** 410 with reason Expired: a continue token or resourceVersion older than the history window. */
    public static Status expired(String message) {
        return failure(410, "Expired", message, null);
    }

    public static Status badRequest(String message) {
        return failure(400, "BadRequest", message, null);
    }

    public static Status forbidden(ResourceName what, String why) {
        return failure(403, "Forbidden", what.quoted() + " is forbidden: " + why, details(what));
    }

    public static Status unauthorized(String message) {
        return failure(401, "Unauthorized", message, null);
    }

    public static Status methodNotAllowed(String message) {
        return failure(405, "MethodNotAllowed", message, null);
    }

    public static Status tooLarge(String message) {
        return failure(413, "RequestEntityTooLarge", message, null);
    }

    public static Status unsupportedMediaType(String message) {
        return failure(415, "UnsupportedMediaType", message, null);
    }

    public static Status tooManyRequests(String message, int retryAfterSeconds) {
        return failure(429, "TooManyRequests", message,
                new Details(null, null, null, null, null, retryAfterSeconds, null));
    }

    public static Status internalError(String message) {
        return failure(500, "InternalError", message, null);
    }

    public static Status timeout(String message) {
        return failure(504, "Timeout", message, null);
    }

    public static Status serviceUnavailable(String message) {
        return failure(503, "ServiceUnavailable", message, null);
    }

    /**
     * What an error talks about: the resource (plural, with its group as kube-apiserver prints it,
     * {@code deployments.apps}) and the object's name.
     */
    public record ResourceName(String group, String resource, String name) {
        public String quoted() {
            String res = group == null || group.isEmpty() ? resource : resource + "." + group;
            return name == null || name.isEmpty() ? res : res + " \"" + name + "\"";
        }
    }
}
