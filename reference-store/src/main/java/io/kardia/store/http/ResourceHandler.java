package io.kardia.store.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.base.Suppliers;
import com.sun.net.httpserver.HttpExchange;
import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ListOptions;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import io.kardia.core.json.Yaml;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.core.model.Status;
import io.kardia.store.FieldValidation;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreList;
import io.kardia.store.StoreWatch;
import io.kardia.store.StoredObject;
import io.kardia.store.admission.AdmissionWarnings;
import io.kardia.store.fieldpath.ManagedFieldsCodec;
import io.kardia.store.protobuf.KubeProtobufCodec;
import io.kardia.kubeapi.protobuf.ProtobufFormatException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Maps resource requests ({@code GET/POST/PUT/PATCH/DELETE} on collection and object paths, and
 * the status, scale, binding and finalize subresources) onto {@link ReferenceStore} operations, with
 * kube-apiserver's status codes: 201 for creates, 202 for deletes that are still pending.
 */
final class ResourceHandler {
    private static final Status NOT_FOUND_PATH =
            Status.failure(404, "NotFound", "the server could not find the requested resource", null);
    /** kube-apiserver's --min-request-timeout: watches without a timeout end after 30–60 minutes. */
    private static final long MIN_WATCH_TIMEOUT_SECONDS = 1800;

    private final ReferenceStore store;
    private final ScaleSubresource scale;
    private final PodSubresources pods;
    private final TableConverter tables = new TableConverter(java.time.Clock.systemUTC(), this::printerColumns);
    private final Set<StoreWatch> openWatches = ConcurrentHashMap.newKeySet();
    /** Null when the server has no protobuf descriptors: JSON (and YAML) only. Built at the first protobuf request. */
    private final Supplier<KubeProtobufCodec> protobuf;
    private final Supplier<ProtobufEncodings> protobufEncodings;

    ResourceHandler(ReferenceStore store, Supplier<KubeProtobufCodec> protobuf) {
        this.store = store;
        this.scale = new ScaleSubresource(store, protobuf);
        this.protobuf = protobuf;
        this.pods = new PodSubresources(store);
        this.protobufEncodings = protobuf == null ? null : Suppliers.memoize(() -> new ProtobufEncodings(protobuf.get()));
    }

    void handle(HttpExchange ex, String path) throws IOException {
        // Admission's warnings (ValidatingAdmissionPolicy Warn) become Warning headers, as kube-apiserver sends them.
        try (AdmissionWarnings.Scope ignored = AdmissionWarnings.to(w -> warn(ex, List.of(w)))) {
            handleRequest(ex, path);
        }
    }

    private void handleRequest(HttpExchange ex, String path) throws IOException {
        RestPath p = RestPath.parse(path).orElseThrow(() -> KubeApiException.of(NOT_FOUND_PATH));
        ResourceType<?> type = store.types().find(p.group(), p.version(), p.resource())
                .orElseThrow(() -> KubeApiException.of(NOT_FOUND_PATH));
        if (p.namespace() != null && !type.namespaced()) {
            throw KubeApiException.of(NOT_FOUND_PATH);
        }
        if (type.namespaced() && p.namespace() == null && !p.isCollection()) {
            throw KubeApiException.of(NOT_FOUND_PATH);
        }
        if (p.subresource() != null && !type.subresources().contains(p.subresource())
                && !PodSubresources.handles(type, p.subresource())) {
            throw KubeApiException.of(NOT_FOUND_PATH);
        }
        // scale answers an autoscaling/v1 Scale, which stays JSON here
        if (ContentNegotiation.prefersProtobuf(accept(ex)) && TableConverter.requested(accept(ex), Map.of()) == null
                && PartialMetadata.requested(accept(ex)) == null
                && !"scale".equals(p.subresource()) && speaksProtobuf(type)) {
            ProtobufResponses.attach(ex, protobufEncodings.get(), type);
        }
        Map<String, String> q = HttpIo.query(ex);
        String method = ex.getRequestMethod();
        if (p.isCollection()) {
            switch (method) {
                case "GET" -> {
                    if (isTrue(q.get("watch"))) {
                        watch(ex, type, p.namespace(), q);
                    } else {
                        list(ex, type, p.namespace(), q);
                    }
                }
                case "POST" -> {
                    if (type.namespaced() && p.namespace() == null) {
                        // kube-apiserver serves only list and watch on the all-namespaces path
                        throw methodNotAllowed(method, path);
                    }
                    Validated body = validatedBody(ex, type, q);
                    StoredObject created = store.create(type, p.namespace(), body.object(), writeOptions(ex, q), body.fields());
                    warn(ex, body.fields().warnings());
                    send(ex, 201, created);
                }
                case "DELETE" -> {
                    if (type.namespaced() && p.namespace() == null) {
                        throw methodNotAllowed(method, path);
                    }
                    deleteCollection(ex, type, p.namespace(), q);
                }
                default -> throw methodNotAllowed(method, path);
            }
            return;
        }
        String sub = p.subresource() == null ? "" : p.subresource();
        switch (sub) {
            case "" -> object(ex, type, p, q, method);
            case "status" -> status(ex, type, p, q, method);
            case "scale" -> scale.handle(ex, type, p.namespace(), p.name(), method, q);
            case "binding" -> {
                requireMethod(method, "POST", path);
                binding(ex, p, body(ex, type, "v1", "Binding"));
            }
            case "finalize" -> {
                requireMethod(method, "PUT", path);
                send(ex, 200, store.finalizeNamespace(p.name(), body(ex, type, type.apiVersion(), type.kind())));
            }
            case "eviction" -> {
                requireMethod(method, "POST", path);
                pods.evict(ex, p.namespace(), p.name(), body(ex, type, "policy/v1", "Eviction"), q);
            }
            case "log" -> {
                requireMethod(method, "GET", path);
                pods.log(ex, type, p.namespace(), p.name(), q);
            }
            case "exec", "attach", "portforward" -> {
                if (!method.equals("GET") && !method.equals("POST")) {
                    throw methodNotAllowed(method, path);
                }
                pods.refuseStreaming(type, p.namespace(), p.name(), sub);
            }
            default -> throw KubeApiException.of(NOT_FOUND_PATH);
        }
    }

    private void object(HttpExchange ex, ResourceType<?> type, RestPath p, Map<String, String> q, String method)
            throws IOException {
        switch (method) {
            case "GET" -> {
                TableConverter.TableRequest table = TableConverter.requested(accept(ex), q);
                PartialMetadata.Request partial = PartialMetadata.requested(accept(ex));
                if (table != null) {
                    ResourceType<?> rows = tableType(type);
                    StoredObject o = store.get(rows, p.namespace(), p.name(), q.get("resourceVersion"));
                    ObjectNode meta = Json.mapper().createObjectNode().put("resourceVersion", o.resourceVersion());
                    sendTable(ex, table, tables.table(rows, table, java.util.List.of(o), meta));
                } else if (partial != null) {
                    PartialMetadata.sendObject(ex, partial, store.get(type, p.namespace(), p.name(), q.get("resourceVersion")));
                } else {
                    send(ex, 200, store.get(type, p.namespace(), p.name(), q.get("resourceVersion")));
                }
            }
            case "PUT" -> {
                Validated body = validatedBody(ex, type, q);
                StoredObject updated = store.update(type, p.namespace(), p.name(), body.object(), writeOptions(ex, q), body.fields());
                warn(ex, body.fields().warnings());
                send(ex, 200, updated);
            }
            case "PATCH" -> {
                PatchType pt = patchType(ex);
                ValidatedPatch patch = validatedPatch(ex, q, pt);
                // as kube-apiserver: an apply that creates the object answers 201
                boolean creates = pt == PatchType.APPLY && store.find(type, p.namespace(), p.name()).isEmpty();
                StoredObject patched = store.patch(type, p.namespace(), p.name(), pt, patch.bytes(), writeOptions(ex, q, pt), patch.fields());
                warn(ex, patch.fields().warnings());
                send(ex, creates ? 201 : 200, patched);
            }
            case "DELETE" -> {
                DeleteOptions options = deleteOptions(ex, q);
                StoredObject last = store.delete(type, p.namespace(), p.name(), options);
                boolean pending = options.dryRun() ? wouldRemain(last) : stillExists(type, p.namespace(), p.name(), last);
                send(ex, pending ? 202 : 200, last);
            }
            default -> throw methodNotAllowed(method, ex.getRequestURI().getPath());
        }
    }

    private void status(HttpExchange ex, ResourceType<?> type, RestPath p, Map<String, String> q, String method)
            throws IOException {
        switch (method) {
            case "GET" -> send(ex, 200, store.get(type, p.namespace(), p.name(), q.get("resourceVersion")));
            case "PUT" -> {
                Validated body = validatedBody(ex, type, q);
                StoredObject updated = store.updateStatus(type, p.namespace(), p.name(), body.object(), writeOptions(ex, q),
                        body.fields());
                warn(ex, body.fields().warnings());
                send(ex, 200, updated);
            }
            case "PATCH" -> {
                PatchType pt = patchType(ex);
                ValidatedPatch patch = validatedPatch(ex, q, pt);
                StoredObject patched = store.patchStatus(type, p.namespace(), p.name(), pt, patch.bytes(), writeOptions(ex, q, pt),
                        patch.fields());
                warn(ex, patch.fields().warnings());
                send(ex, 200, patched);
            }
            default -> throw methodNotAllowed(method, ex.getRequestURI().getPath());
        }
    }

    private void binding(HttpExchange ex, RestPath p, ObjectNode binding) throws IOException {
        String target = binding.path("target").path("name").asText("");
        String rv = binding.path("metadata").path("resourceVersion").asText("");
        store.bind(p.namespace(), p.name(), target, rv.isEmpty() ? null : rv);
        sendSuccess(ex);
    }

    private void list(HttpExchange ex, ResourceType<?> type, String namespace, Map<String, String> q)
            throws IOException {
        if (parseBoolean(q.get("sendInitialEvents"), "sendInitialEvents") != null) {
            throw KubeApiException.of(Status.invalid(new Status.ResourceName("meta.k8s.io", "", ""),
                    "ListOptions.meta.k8s.io", List.of(new Status.Cause("FieldValueForbidden",
                            "Forbidden: sendInitialEvents is forbidden for list", "sendInitialEvents"))));
        }
        ListOptions options = new ListOptions(q.get("labelSelector"), q.get("fieldSelector"),
                parseLong(q.get("limit"), "limit"), q.get("continue"), q.get("resourceVersion"),
                q.get("resourceVersionMatch"));
        TableConverter.TableRequest table = TableConverter.requested(accept(ex), q);
        PartialMetadata.Request partial = table == null ? PartialMetadata.requested(accept(ex)) : null;
        if (partial != null) {
            partial.checkFor(true);
        }
        if (table != null) {
            ResourceType<?> rows = tableType(type);
            StoreList page = store.list(rows, namespace, options);
            sendTable(ex, table, tables.table(rows, table, page.items(), listMeta(page)));
            return;
        }
        StoreList page = store.list(type, namespace, options);
        if (partial != null) {
            PartialMetadata.sendList(ex, partial, page, Json.toBytes(listMeta(page)));
            return;
        }
        sendList(ex, type, page);
    }

    private static String accept(HttpExchange ex) {
        return ex.getRequestHeaders().getFirst("Accept");
    }

    private static void sendTable(HttpExchange ex, TableConverter.TableRequest request, ObjectNode table) throws IOException {
        byte[] body = Json.toBytes(table);
        ex.getResponseHeaders().set("Content-Type", request.contentType());
        ex.getResponseHeaders().set("Cache-Control", "no-cache, private");
        HttpIo.sendHeaders(ex, 200, body.length);
        try (var out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static ObjectNode listMeta(StoreList page) {
        ObjectNode meta = Json.mapper().createObjectNode();
        meta.put("resourceVersion", page.resourceVersion());
        if (page.continueToken() != null) {
            meta.put("continue", page.continueToken());
            if (page.remainingItemCount() != null) {
                meta.put("remainingItemCount", page.remainingItemCount());
            }
        }
        return meta;
    }

    /**
     * Streams the list JSON around the stored bytes of each item, without re-encoding them and
     * without building the whole body in memory (a list of 50,000 pods is tens of MB): the length
     * is known from the stored sizes, so the response has a fixed Content-Length.
     */
    static void sendList(HttpExchange ex, ResourceType<?> type, StoreList page) throws IOException {
        ProtobufResponses protobufResponses = ProtobufResponses.of(ex);
        if (protobufResponses != null) {
            protobufResponses.sendList(ex, page, listMeta(page));
            return;
        }
        byte[] head = listHead(type, page);
        long length = head.length + 2L + Math.max(0, page.items().size() - 1);
        for (StoredObject o : page.items()) {
            length += o.size();
        }
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Cache-Control", "no-cache, private");
        if (ex.getRequestMethod().equals("HEAD")) {
            HttpIo.sendHeaders(ex, 200, -1);
            ex.getResponseBody().close();
            return;
        }
        HttpIo.sendHeaders(ex, 200, length);
        try (OutputStream out = new BufferedOutputStream(ex.getResponseBody(), 64 * 1024)) {
            writeList(out, head, page);
        }
    }

    /** {@code {"kind":...,"apiVersion":...,"metadata":{...},"items":[} */
    private static byte[] listHead(ResourceType<?> type, StoreList page) {
        ObjectNode head = Json.mapper().createObjectNode();
        head.put("kind", type.listKind());
        head.put("apiVersion", type.apiVersion());
        head.set("metadata", listMeta(page));
        byte[] h = Json.toBytes(head);
        byte[] items = ",\"items\":[".getBytes(StandardCharsets.US_ASCII);
        byte[] out = java.util.Arrays.copyOf(h, h.length - 1 + items.length); // drop the closing brace
        System.arraycopy(items, 0, out, h.length - 1, items.length);
        return out;
    }

    private static void writeList(OutputStream out, byte[] head, StoreList page) throws IOException {
        out.write(head);
        boolean first = true;
        for (StoredObject o : page.items()) {
            if (!first) {
                out.write(',');
            }
            first = false;
            o.writeTo(out);
        }
        out.write(']');
        out.write('}');
    }

    private void watch(HttpExchange ex, ResourceType<?> type, String namespace, Map<String, String> q)
            throws IOException {
        long timeout = parseLong(q.get("timeoutSeconds"), "timeoutSeconds");
        if (timeout <= 0) {
            timeout = MIN_WATCH_TIMEOUT_SECONDS + ThreadLocalRandom.current().nextLong(MIN_WATCH_TIMEOUT_SECONDS);
        }
        WatchOptions options = new WatchOptions(q.get("labelSelector"), q.get("fieldSelector"),
                q.get("resourceVersion"), isTrue(q.get("allowWatchBookmarks")), timeout,
                parseBoolean(q.get("sendInitialEvents"), "sendInitialEvents"), emptyToNull(q.get("resourceVersionMatch")));
        TableConverter.TableRequest table = TableConverter.requested(accept(ex), q);
        // a metadata-only watch names either kind (client-go's asks for PartialObjectMetadata); each event carries one
        PartialMetadata.Request partial = table == null ? PartialMetadata.requested(accept(ex)) : null;
        ResourceType<?> rows = table == null ? type : tableType(type);
        StoreWatch w = store.watch(rows, namespace, options);
        openWatches.add(w);
        try (w) {
            // kubectl get -w asks for Table rows: each event then carries a one-row Table
            WatchStreamer.Renderer render = table != null
                    ? (out, o) -> out.write(Json.toBytes(tables.table(rows, table, java.util.List.of(o),
                            Json.mapper().createObjectNode().put("resourceVersion", o.resourceVersion()))))
                    : partial != null ? PartialMetadata.writer(partial) : null;
            boolean plain = table == null && partial == null;
            new WatchStreamer(ex, render, plain ? ProtobufResponses.of(ex) : null, partial != null).stream(w);
        } finally {
            openWatches.remove(w);
        }
    }

    private void deleteCollection(HttpExchange ex, ResourceType<?> type, String namespace, Map<String, String> q)
            throws IOException {
        DeleteOptions options = deleteOptions(ex, q);
        StoreList all = store.deleteCollection(type, namespace,
                new ListOptions(q.get("labelSelector"), q.get("fieldSelector"), 0, null, null, null), options);
        sendList(ex, type, all);
    }

    /**
     * A delete that left the object in place (finalizers, grace period) answers 202 Accepted; the
     * uid tells a re-created object of the same name apart.
     */
    private boolean stillExists(ResourceType<?> type, String namespace, String name, StoredObject deleted) {
        try {
            String uid = deleted.json().path("metadata").path("uid").asText();
            return store.get(type, namespace, name, null).json().path("metadata").path("uid").asText().equals(uid);
        } catch (KubeApiException.NotFoundException e) {
            return false;
        }
    }

    /** For a dry run nothing changed, so the answer is read from the object the delete would leave. */
    private static boolean wouldRemain(StoredObject last) {
        JsonNode meta = last.json().path("metadata");
        return meta.hasNonNull("deletionTimestamp")
                && (!meta.path("finalizers").isEmpty() || meta.path("deletionGracePeriodSeconds").asLong(0) > 0);
    }

    /**
     * The version Table rows are read in: the storage version, which the printer columns are written
     * for (kube prints from its internal version, so every served version shows the same columns).
     */
    private ResourceType<?> tableType(ResourceType<?> type) {
        return store.types().byGroupResource(type.groupResource()).orElse(type);
    }

    /** A custom kind's additionalPrinterColumns for the served version, from its CRD; null for built-ins. */
    private JsonNode printerColumns(ResourceType<?> type) {
        if (store.types().isBuiltIn(type.groupResource())) {
            return null;
        }
        try {
            StoredObject crd = store.get(ResourceTypes.CUSTOM_RESOURCE_DEFINITION, null, type.groupResource(), null);
            for (JsonNode v : crd.json().path("spec").path("versions")) {
                if (v.path("name").asText().equals(type.version())) {
                    return v.path("additionalPrinterColumns");
                }
            }
        } catch (KubeApiException.NotFoundException e) {
            // served but its CRD just went away: default columns
        }
        return null;
    }

    void closeWatches() {
        openWatches.forEach(StoreWatch::close);
    }

    // ------------------------------------------------------------------ request decoding

    /**
     * The request's object. A protobuf body is read for built-in kinds only (custom resources are
     * JSON-only, as in kube-apiserver); its envelope may leave apiVersion and kind out, which then
     * default to the expected ones.
     */
    private ObjectNode body(HttpExchange ex, ResourceType<?> type, String apiVersion, String kind) throws IOException {
        return body(ex, HttpIo.readBody(ex), type, apiVersion, kind);
    }

    private ObjectNode body(HttpExchange ex, byte[] bytes, ResourceType<?> type, String apiVersion, String kind)
            throws IOException {
        return parse(ex, bytes, type, apiVersion, kind, false).object();
    }

    /** A body parsed, with the fields it names twice when asked (JSON: found in the same parse). */
    private ParsedBody parse(HttpExchange ex, byte[] bytes, ResourceType<?> type, String apiVersion, String kind,
                            boolean findDuplicates) {
        if (bytes.length == 0) {
            throw KubeApiException.of(Status.badRequest("the request body is empty; an object is required"));
        }
        String ct = HttpIo.contentType(ex);
        JsonNode tree;
        List<String> duplicates = List.of();
        if (ct.isEmpty() || ct.equals("application/json") || ct.equals("*/*")) {
            if (findDuplicates) {
                DuplicateFields.Parsed parsed = DuplicateFields.readJson(bytes);
                tree = parsed.tree();
                duplicates = parsed.duplicates();
            } else {
                tree = Json.tree(bytes);
            }
        } else if (ct.equals("application/yaml") || ct.equals("application/x-yaml") || ct.equals("text/yaml")) {
            tree = Yaml.tree(new String(bytes, StandardCharsets.UTF_8));
            if (findDuplicates) {
                duplicates = DuplicateFields.inYaml(bytes);
            }
        } else if (ct.equals(KubeProtobufCodec.MEDIA_TYPE) && speaksProtobuf(type)) {
            tree = decodeProtobuf(bytes, apiVersion, kind);
        } else {
            String accepted = speaksProtobuf(type) ? "application/json, application/yaml, " + KubeProtobufCodec.MEDIA_TYPE
                    : "application/json, application/yaml";
            String hint = ct.contains("protobuf") && !store.types().isBuiltIn(type.groupResource())
                    ? " (custom resources are served as JSON only; send the body as application/json)"
                    : "";
            throw KubeApiException.of(Status.unsupportedMediaType("the body of the request was in an unknown format - "
                    + "accepted media types include: " + accepted + hint));
        }
        if (!(tree instanceof ObjectNode obj)) {
            throw KubeApiException.of(Status.badRequest("the request body must be a JSON object"));
        }
        return new ParsedBody(obj, duplicates);
    }

    private ObjectNode decodeProtobuf(byte[] bytes, String apiVersion, String kind) {
        try {
            return protobuf.get().decode(bytes, apiVersion, kind);
        } catch (ProtobufFormatException e) {
            throw KubeApiException.of(Status.badRequest(e.getMessage()));
        }
    }

    /** True when this kind is read and written as protobuf: a built-in kind the descriptors know. */
    private boolean speaksProtobuf(ResourceType<?> type) {
        return protobuf != null && store.types().isBuiltIn(type.groupResource())
                && protobuf.get().supports(type.apiVersion(), type.kind());
    }

    /**
     * A write's body and its {@code fieldValidation}: the duplicate fields are found while the body
     * is parsed, the unknown ones by the store in its type check of the body.
     */
    record Validated(ObjectNode object, FieldValidation fields) {
    }

    /** A parsed body and the fields it names twice (when they were looked for). */
    private record ParsedBody(ObjectNode object, List<String> duplicates) {
    }

    private Validated validatedBody(HttpExchange ex, ResourceType<?> type, Map<String, String> q) throws IOException {
        FieldValidation.Mode mode = FieldValidation.mode(q.get("fieldValidation"));
        byte[] bytes = HttpIo.readBody(ex);
        if (mode == FieldValidation.Mode.Ignore) {
            return new Validated(parse(ex, bytes, type, type.apiVersion(), type.kind(), false).object(), FieldValidation.ignore());
        }
        ParsedBody parsed = parse(ex, bytes, type, type.apiVersion(), type.kind(), true);
        warnBrokenManagedFields(ex, parsed.object());
        return new Validated(parsed.object(), FieldValidation.of(mode, parsed.duplicates()));
    }

    /** A patch document and its {@code fieldValidation}. */
    record ValidatedPatch(byte[] bytes, FieldValidation fields) {
    }

    /**
     * A patch: the store checks the object it produces for unknown fields, whatever the patch type
     * (JSON patch too, as kube-apiserver does); a merge or strategic-merge patch document is scanned
     * here for fields it names twice.
     */
    private static ValidatedPatch validatedPatch(HttpExchange ex, Map<String, String> q, PatchType patchType)
            throws IOException {
        FieldValidation.Mode mode = FieldValidation.mode(q.get("fieldValidation"));
        byte[] bytes = HttpIo.readBody(ex);
        if (mode == FieldValidation.Mode.Ignore) {
            return new ValidatedPatch(bytes, FieldValidation.ignore());
        }
        List<String> duplicates = switch (patchType) {
            case JSON -> List.of();
            // an applied configuration is YAML (JSON is YAML too)
            case APPLY -> firstNonSpace(bytes) == '{' ? DuplicateFields.inJson(bytes) : DuplicateFields.inYaml(bytes);
            default -> DuplicateFields.inJson(bytes);
        };
        return new ValidatedPatch(bytes, FieldValidation.of(mode, duplicates));
    }

    private static int firstNonSpace(byte[] bytes) {
        for (byte b : bytes) {
            if (!Character.isWhitespace(b)) {
                return b;
            }
        }
        return -1;
    }

    /** kube-apiserver ignores managed fields in a broken shape (the stored ones stay); say so. */
    private static void warnBrokenManagedFields(HttpExchange ex, JsonNode body) {
        String problem = ManagedFieldsCodec.problem(body);
        if (problem != null) {
            warn(ex, List.of("metadata.managedFields was in an invalid state and was ignored (the stored managed fields "
                    + "were kept): " + problem));
        }
    }

    private static void warn(HttpExchange ex, List<String> warnings) {
        for (String warning : warnings) {
            ex.getResponseHeaders().add("Warning", "299 - \"" + warning.replace("\"", "\\\"") + "\"");
        }
    }

    private static PatchType patchType(HttpExchange ex) {
        String ct = HttpIo.contentType(ex);
        PatchType t = PatchType.fromContentType(ct);
        if (t == null) {
            if (ct.startsWith("application/apply-patch")) {
                throw KubeApiException.of(Status.unsupportedMediaType("server-side apply takes a YAML or JSON body sent as "
                        + "application/apply-patch+yaml; " + ct + " (such as a protobuf apply body) is not supported"));
            }
            throw KubeApiException.of(Status.unsupportedMediaType("the body of the request was in an unknown format - "
                    + "accepted media types include: application/json-patch+json, application/merge-patch+json, "
                    + "application/strategic-merge-patch+json, application/apply-patch+yaml"));
        }
        return t;
    }

    static WriteOptions writeOptions(Map<String, String> q) {
        FieldValidation.mode(q.get("fieldValidation")); // a bad value is a bad request on every write
        return new WriteOptions(isDryRun(q.get("dryRun")), q.get("fieldManager"), isTrue(q.get("force")));
    }

    /** As {@link #writeOptions(Map)}; without {@code fieldManager}, the manager is the User-Agent's product. */
    static WriteOptions writeOptions(HttpExchange ex, Map<String, String> q) {
        WriteOptions o = writeOptions(q);
        if (o.fieldManager() == null || o.fieldManager().isEmpty()) {
            return o.withFieldManager(FieldManagers.fromUserAgent(ex.getRequestHeaders().getFirst("User-Agent")));
        }
        return o;
    }

    /** For an apply the manager must be named ({@code fieldManager}); other patches fall back to the User-Agent. */
    static WriteOptions writeOptions(HttpExchange ex, Map<String, String> q, PatchType pt) {
        return pt == PatchType.APPLY ? writeOptions(q) : writeOptions(ex, q);
    }

    private static boolean isDryRun(String v) {
        if (v == null || v.isEmpty()) {
            return false;
        }
        if (!v.equals("All")) {
            throw KubeApiException.of(Status.badRequest("dryRun: Unsupported value: \"" + v + "\": supported values: \"All\""));
        }
        return true;
    }

    private DeleteOptions deleteOptions(HttpExchange ex, Map<String, String> q) throws IOException {
        byte[] bytes = HttpIo.readBody(ex);
        if (bytes.length == 0) {
            return deleteOptions((JsonNode) null, q);
        }
        // typed Go clients send DeleteOptions as protobuf, whatever the kind
        JsonNode b = HttpIo.contentType(ex).equals(KubeProtobufCodec.MEDIA_TYPE) && protobuf != null
                ? decodeProtobuf(bytes, "meta.k8s.io/v1", "DeleteOptions")
                : Json.tree(bytes);
        return deleteOptions(b, q);
    }

    /** DeleteOptions from a body (a DELETE's, or an Eviction's {@code deleteOptions}; null: none) and the query. */
    static DeleteOptions deleteOptions(JsonNode b, Map<String, String> q) {
        DeleteOptions.PropagationPolicy policy = null;
        String uid = null;
        String rv = null;
        Long grace = null;
        boolean dryRun = isDryRun(q.get("dryRun"));
        if (b != null) {
            if (b.hasNonNull("propagationPolicy")) {
                policy = policy(b.get("propagationPolicy").asText());
            } else if (b.hasNonNull("orphanDependents")) {
                policy = b.get("orphanDependents").asBoolean()
                        ? DeleteOptions.PropagationPolicy.Orphan : DeleteOptions.PropagationPolicy.Background;
            }
            JsonNode pre = b.path("preconditions");
            uid = pre.hasNonNull("uid") ? pre.get("uid").asText() : null;
            rv = pre.hasNonNull("resourceVersion") ? pre.get("resourceVersion").asText() : null;
            grace = b.hasNonNull("gracePeriodSeconds") ? b.get("gracePeriodSeconds").asLong() : null;
            for (JsonNode d : b.path("dryRun")) {
                dryRun |= isDryRun(d.asText());
            }
        }
        if (q.containsKey("propagationPolicy")) {
            policy = policy(q.get("propagationPolicy"));
        }
        if (q.containsKey("gracePeriodSeconds")) {
            grace = parseLong(q.get("gracePeriodSeconds"), "gracePeriodSeconds");
        }
        return new DeleteOptions(policy, uid, rv, grace, dryRun);
    }

    private static DeleteOptions.PropagationPolicy policy(String v) {
        try {
            return DeleteOptions.PropagationPolicy.valueOf(v);
        } catch (IllegalArgumentException e) {
            throw KubeApiException.of(Status.badRequest("propagationPolicy: Unsupported value: \"" + v
                    + "\": supported values: \"Foreground\", \"Background\", \"Orphan\""));
        }
    }

    static long parseLong(String v, String param) {
        if (v == null || v.isEmpty()) {
            return 0;
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw KubeApiException.of(Status.badRequest(param + ": Invalid value: \"" + v + "\": must be a non-negative integer"));
        }
    }

    /** A boolean query parameter as Go's strconv.ParseBool reads it; null when absent. */
    private static Boolean parseBoolean(String v, String param) {
        if (v == null || v.isEmpty()) {
            return null;
        }
        return switch (v) {
            case "1", "t", "T", "true", "TRUE", "True" -> Boolean.TRUE;
            case "0", "f", "F", "false", "FALSE", "False" -> Boolean.FALSE;
            default -> throw KubeApiException.of(Status.badRequest(param + ": Invalid value: \"" + v
                    + "\": must be a boolean (true or false)"));
        };
    }

    private static String emptyToNull(String v) {
        return v == null || v.isEmpty() ? null : v;
    }

    private static boolean isTrue(String v) {
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
    }

    private static void requireMethod(String method, String expected, String path) {
        if (!method.equals(expected)) {
            throw methodNotAllowed(method, path);
        }
    }

    private static KubeApiException methodNotAllowed(String method, String path) {
        return KubeApiException.of(Status.methodNotAllowed("the server does not allow this method on the requested resource ("
                + method + " " + path + ")"));
    }

    /** A Status of success (binding, eviction), in the negotiated format. */
    static void sendSuccess(HttpExchange ex) throws IOException {
        ProtobufResponses protobufResponses = ProtobufResponses.of(ex);
        if (protobufResponses != null) {
            protobufResponses.sendStatus(ex, 201, Status.success());
        } else {
            HttpIo.sendJson(ex, 201, Json.toBytes(Status.success()));
        }
    }

    static void send(HttpExchange ex, int code, StoredObject o) throws IOException {
        ProtobufResponses protobufResponses = ProtobufResponses.of(ex);
        if (protobufResponses != null) {
            protobufResponses.sendObject(ex, code, o);
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Cache-Control", "no-cache, private");
        HttpIo.sendHeaders(ex, code, o.size());
        try (var out = ex.getResponseBody()) {
            o.writeTo(out);
        }
    }
}
