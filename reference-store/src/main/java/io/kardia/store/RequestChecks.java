package io.kardia.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.Status;
import io.kardia.kubeapi.KubeApiCatalog;
import io.kardia.kubeapi.TypeSchema;
import io.kardia.core.selector.FieldSelector;
import io.kardia.core.selector.FieldSelectors;
import io.kardia.core.selector.Selector;
import io.kardia.core.selector.SelectorParseException;
import io.kardia.store.validation.ModelTypeCheck;

/**
 * The checks kube-apiserver makes on a request before the storage sees it: the body's apiVersion,
 * kind, metadata and namespace against the request path, resourceVersion parameters, selectors.
 * Each failure is the 400 (or 404) kube-apiserver answers; none of them reads stored state.
 */
final class RequestChecks {
    private RequestChecks() {
    }

    /** The body's apiVersion and kind, when given, must be the served type's; both are then set. */
    static void checkTypeMeta(ReferenceStore.Resolved r, ObjectNode obj) {
        checkTypeMeta(r.type(), obj);
    }

    /** The body's apiVersion and kind, when given, must be this type's; both are then set. */
    static void checkTypeMeta(ResourceType<?> type, ObjectNode obj) {
        String apiVersion = obj.path("apiVersion").asText("");
        String kind = obj.path("kind").asText("");
        if (!apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion())) {
            throw KubeApiException.of(Status.badRequest("the API version in the data (" + apiVersion
                    + ") does not match the expected API version (" + type.apiVersion() + ")"));
        }
        if (!kind.isEmpty() && !kind.equals(type.kind())) {
            throw KubeApiException.of(Status.badRequest("the kind in the data (" + kind
                    + ") does not match the expected kind (" + type.kind() + ")"));
        }
        obj.put("apiVersion", type.apiVersion());
        obj.put("kind", type.kind());
    }

    /**
     * As kube-apiserver decodes a body before anything else looks at it: a body its typed model
     * (core's, which clients and informers decode to) cannot read is a 400. Built-in kinds served
     * as generic objects are checked against their schema in the Kubernetes API catalog. The same
     * walk finds the fields the schema does not declare when the request asked for
     * {@code fieldValidation}, which is then applied (Strict: 400) before anything is stored.
     */
    static void checkDecodable(ReferenceStore.Resolved r, ObjectNode obj) {
        // a body sent through a version view had its unknown fields found in its own version, before conversion
        checkDecodable(r.type(), obj, r.view() == null ? r.fields() : FieldValidation.ignore());
        r.fields().enforce();
    }

    /** The type check, with unknown fields reported to {@code fields} (applied later by {@link FieldValidation#enforce()}). */
    static void checkDecodable(ResourceType<?> t, ObjectNode obj, FieldValidation fields) {
        java.util.function.Consumer<String> unknown = fields.unknownFields();
        TypeSchema schema = t.javaType() == GenericObject.class || unknown != null
                ? KubeApiCatalog.get().schemaFor(t.group(), t.version(), t.kind()).orElse(null)
                : null;
        String mismatch;
        if (schema != null && t.javaType() == GenericObject.class) {
            mismatch = ModelTypeCheck.firstMismatch(obj, schema, unknown);
        } else if (schema != null) {
            mismatch = ModelTypeCheck.firstMismatch(obj, t.javaType(), schema, unknown);
        } else {
            mismatch = ModelTypeCheck.firstMismatch(obj, t.javaType());
            if (unknown != null) {
                fields.customResourceUnknownFields(obj);
            }
        }
        if (mismatch != null) {
            throw KubeApiException.of(Status.badRequest(t.kind() + " in version \"" + t.version()
                    + "\" cannot be handled as a " + t.kind() + ": " + mismatch));
        }
    }

    /** The body's metadata object, created when absent; 400 when it is not an object. */
    static ObjectNode metadataOf(ObjectNode obj) {
        JsonNode m = obj.get("metadata");
        if (m instanceof ObjectNode o) {
            return o;
        }
        if (m != null && !m.isNull()) {
            throw KubeApiException.of(Status.badRequest("metadata must be a JSON object"));
        }
        return obj.putObject("metadata");
    }

    /**
     * A create's namespace: the path's, else the body's (they must agree when both are given);
     * written into the body. Cluster-scoped kinds get none.
     */
    static String createNamespace(ReferenceStore.Resolved r, String namespace, ObjectNode meta) {
        if (!r.type().namespaced()) {
            meta.remove("namespace");
            return "";
        }
        String bodyNs = meta.path("namespace").asText("");
        String path = namespace == null ? "" : namespace;
        if (!path.isEmpty() && !bodyNs.isEmpty() && !path.equals(bodyNs)) {
            throw StoreErrors.namespaceMismatch();
        }
        String ns = path.isEmpty() ? bodyNs : path;
        if (ns.isEmpty()) {
            throw StoreErrors.namespaceRequired(r.resource());
        }
        meta.put("namespace", ns);
        return ns;
    }

    /** A create may not name a resourceVersion. */
    static void checkNoResourceVersion(ObjectNode meta) {
        if (!meta.path("resourceVersion").asText("").isEmpty()) {
            throw KubeApiException.of(Status.badRequest("resourceVersion should not be set on objects to be created"));
        }
    }

    /** An update's body, when it names the object or its namespace, must name the request path's. */
    static void checkUpdateTarget(ReferenceStore.Resolved r, String ns, String name, ObjectNode meta) {
        String bodyName = meta.path("name").asText("");
        if (!bodyName.isEmpty() && !bodyName.equals(name)) {
            throw KubeApiException.of(Status.badRequest("the name of the object (" + bodyName
                    + ") does not match the name on the URL (" + name + ")"));
        }
        String bodyNs = meta.path("namespace").asText("");
        if (r.type().namespaced() && !bodyNs.isEmpty() && !bodyNs.equals(ns)) {
            throw StoreErrors.namespaceMismatch();
        }
    }

    /** The status subresource is served only for kinds that have one. */
    static void requireStatus(ReferenceStore.Resolved r) {
        if (!r.type().hasStatus()) {
            throw StoreErrors.notServed(r.type().group(), r.type().plural() + "/status");
        }
    }

    /** A resourceVersion parameter: a non-negative integer. */
    static long parseRevision(String rv) {
        try {
            long v = Long.parseLong(rv);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw KubeApiException.of(Status.badRequest("resourceVersion: Invalid value: \"" + rv + "\": must be a non-negative integer"));
        }
    }

    /** A list's or watch's namespace and selectors; selectors that do not parse, or fields the kind does not support, are a 400. */
    static WatchFilter filter(ReferenceStore.Resolved r, String namespace, String labelSelector, String fieldSelector) {
        String ns = r.type().namespaced() && namespace != null && !namespace.isEmpty() ? namespace : null;
        Selector labels;
        FieldSelector fields;
        try {
            labels = Selector.parse(labelSelector);
            fields = FieldSelector.parse(fieldSelector);
            FieldSelectors.checkSupported(r.type(), fields);
        } catch (SelectorParseException e) {
            throw KubeApiException.of(Status.badRequest(e.getMessage()));
        }
        return new WatchFilter(ns, labels, fields);
    }
}
