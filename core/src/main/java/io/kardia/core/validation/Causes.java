package io.kardia.core.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.model.Status;
import java.util.ArrayList;
import java.util.List;

/** Collects field errors worded as Kubernetes' field.Error (the messages kubectl shows). */
public final class Causes {
    private final List<Status.Cause> causes = new ArrayList<>();

    public List<Status.Cause> list() {
        return List.copyOf(causes);
    }

    public boolean isEmpty() {
        return causes.isEmpty();
    }

    /** Adds a cause found elsewhere (e.g. kept after ratcheting). */
    public void add(Status.Cause cause) {
        causes.add(cause);
    }

    public void invalid(String field, Object value, String detail) {
        causes.add(new Status.Cause("FieldValueInvalid", "Invalid value: " + show(value) + (detail == null ? "" : ": " + detail), field));
    }

    public void required(String field, String detail) {
        causes.add(new Status.Cause("FieldValueRequired", "Required value" + (detail == null ? "" : ": " + detail), field));
    }

    public void forbidden(String field, String detail) {
        causes.add(new Status.Cause("FieldValueForbidden", "Forbidden: " + detail, field));
    }

    public void duplicate(String field, Object value) {
        causes.add(new Status.Cause("FieldValueDuplicate", "Duplicate value: " + show(value), field));
    }

    public void tooLong(String field, String detail) {
        causes.add(new Status.Cause("FieldValueTooLong", "Too long: " + detail, field));
    }

    public void tooMany(String field, long actual, long max) {
        causes.add(new Status.Cause("FieldValueTooMany", "Too many: " + actual + ": must have at most " + max + " items", field));
    }

    public void notSupported(String field, Object value, List<String> supported) {
        StringBuilder sb = new StringBuilder("Unsupported value: ").append(show(value)).append(": supported values: ");
        for (int i = 0; i < supported.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append('"').append(supported.get(i)).append('"');
        }
        causes.add(new Status.Cause("FieldValueNotSupported", sb.toString(), field));
    }

    public void immutable(String field, Object value) {
        invalid(field, value, "field is immutable");
    }

    static String show(Object value) {
        if (value instanceof JsonNode n) {
            return n.isTextual() ? '"' + n.asText() + '"' : n.toString();
        }
        if (value instanceof String s) {
            return '"' + s + '"';
        }
        return String.valueOf(value);
    }
}
