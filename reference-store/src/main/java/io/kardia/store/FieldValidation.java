package io.kardia.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.Status;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A write's {@code fieldValidation} (kubectl sends {@code Strict} by default on create, replace and
 * patch): fields the kind's schema does not declare, and fields the body names twice, are refused
 * with 400 {@code strict decoding error: unknown field "spec.foo", duplicate field "spec.replicas"}
 * ({@code Strict}), reported one warning each ({@code Warn}) or let through ({@code Ignore}, the
 * default, as in kube-apiserver for clients that send nothing).
 *
 * <p>Unknown fields are found by the store in the same walk that checks the body's types
 * ({@link io.kardia.store.validation.ModelTypeCheck}); duplicates are found by whoever parsed the
 * body (the HTTP server, in its one parse) and handed in. A patch is checked as the object it
 * produces, whatever its type (JSON patch included), as kube-apiserver does: fields the stored object
 * already had are not blamed on it. One instance per request; not thread-safe.
 */
public final class FieldValidation {
    public enum Mode { Ignore, Warn, Strict }

    private static final FieldValidation IGNORE = new FieldValidation(Mode.Ignore, List.of());
    private static final String OBJECT_META = "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta";

    private final Mode mode;
    private final List<String> duplicates;
    private final Set<String> unknown = new LinkedHashSet<>();
    /** For patches: the object before the patch, whose own unknown fields are not the patch's. */
    private JsonNode before;
    private java.util.function.Function<JsonNode, Set<String>> unknownOfBefore;
    /** For a custom resource: its CRD's structural schema (unknown fields are those pruning drops). */
    private JsonNode customSchema;

    private FieldValidation(Mode mode, List<String> duplicates) {
        this.mode = mode;
        this.duplicates = List.copyOf(duplicates);
    }

    /** Nothing checked (shared: under Ignore nothing is recorded). */
    public static FieldValidation ignore() {
        return IGNORE;
    }

    /** @param duplicates paths of the fields the body names twice ({@code spec.replicas}), found when it was parsed */
    public static FieldValidation of(Mode mode, List<String> duplicates) {
        return new FieldValidation(mode, duplicates);
    }

    /** The mode a {@code fieldValidation} query parameter names; 400 for an unknown value. */
    public static Mode mode(String value) {
        if (value == null || value.isEmpty()) {
            return Mode.Ignore;
        }
        try {
            return Mode.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw KubeApiException.of(Status.badRequest("fieldValidation: Unsupported value: \"" + value
                    + "\": supported values: \"Ignore\", \"Warn\", \"Strict\""));
        }
    }

    public Mode mode() {
        return mode;
    }

    /** Where the type check reports unknown fields; null under Ignore (nothing is collected). */
    Consumer<String> unknownFields() {
        return mode == Mode.Ignore ? null : unknown::add;
    }

    /** A patch's: the object it applies to, checked for its own unknown fields only if the result has some. */
    void before(JsonNode object, java.util.function.Function<JsonNode, Set<String>> unknownFieldsOf) {
        if (mode == Mode.Ignore) {
            return;
        }
        this.before = object;
        this.unknownOfBefore = unknownFieldsOf;
    }

    void forCustomResource(JsonNode structuralSchema) {
        if (mode != Mode.Ignore) {
            this.customSchema = structuralSchema;
        }
    }

    /**
     * A custom resource's unknown fields: its metadata's against ObjectMeta, the rest against its
     * CRD's schema (what pruning would drop). Custom resources have no typed model, so this is a walk
     * of its own beside the type check.
     */
    void customResourceUnknownFields(JsonNode object) {
        if (mode == Mode.Ignore) {
            return;
        }
        JsonNode meta = object.get("metadata");
        if (meta != null && meta.isObject()) {
            io.kardia.kubeapi.KubeApiCatalog.get().type(OBJECT_META).ifPresent(schema ->
                    io.kardia.store.validation.ModelTypeCheck.firstMismatch(meta, schema, f -> unknown.add("metadata." + f)));
        }
        if (customSchema != null) {
            unknown.addAll(io.kardia.store.validation.SchemaPruner.unknownFields(object, customSchema));
        }
    }

    /** The unknown fields found so far (the patch code's baseline). */
    Set<String> unknown() {
        return unknown;
    }

    /**
     * Applies the mode to what was found so far: under Strict a 400 naming every unknown and
     * duplicate field; under Warn the findings stay for {@link #warnings()}. Called before anything
     * is stored.
     */
    void enforce() {
        if (mode == Mode.Ignore) {
            return;
        }
        if (!unknown.isEmpty() && before != null) {
            unknown.removeAll(unknownOfBefore.apply(before));
            before = null;
        }
        if (mode == Mode.Strict && !(unknown.isEmpty() && duplicates.isEmpty())) {
            throw KubeApiException.of(Status.badRequest("strict decoding error: " + String.join(", ", messages())));
        }
    }

    /** Under Warn, one text per unknown or duplicate field (the HTTP server sends each as a {@code Warning}). */
    public List<String> warnings() {
        return mode == Mode.Warn ? messages() : List.of();
    }

    private List<String> messages() {
        List<String> messages = new ArrayList<>();
        unknown.forEach(f -> messages.add("unknown field \"" + f + "\""));
        duplicates.forEach(f -> messages.add("duplicate field \"" + f + "\""));
        return messages;
    }
}
