package io.kardia.core.client.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClientException;
import io.kardia.core.client.ListOptions;
import io.kardia.core.client.ListPages;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.UndecodableObjects;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectList;
import io.kardia.core.model.PartialObjectMetadata;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.Status;
import io.kardia.kubeapi.protobuf.ProtobufFormatException;
import io.kardia.kubeapi.protobuf.ProtobufToJson;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * One kind over HTTP. Single-object calls on a namespaced kind that name no namespace (argument
 * or {@code metadata.namespace}) fail with 400 BadRequest before any request, exactly as the
 * in-process transport does; the kubeconfig context's namespace is {@link HttpKubeClient#namespace()}
 * for callers that want kubectl's defaulting.
 */
final class HttpResourceClient<T extends KubeObject> implements ResourceClient<T> {
    static final MediaType JSON = MediaType.get("application/json");

    private final HttpKubeClient client;
    private final ResourceType<T> type;
    private final ObjectDecoder<T> decoder;
    /** Reads ask for protobuf: a built-in kind (the release's descriptors have it) and a client that wants it. */
    private final boolean protobuf;

    HttpResourceClient(HttpKubeClient client, ResourceType<T> type) {
        this.client = client;
        this.type = type;
        this.decoder = new ObjectDecoder<>(type);
        this.protobuf = client.config().protobuf() && type.javaType() != PartialObjectMetadata.class
                && ProtobufToJson.builtIn().prepare(type.apiVersion(), type.kind());
    }

    @Override
    public ResourceType<T> type() {
        return type;
    }

    /** As the in-process transport (and kube-apiserver for a path without one): a namespaced kind needs a namespace. */
    private String namespaceFor(String namespace) {
        if (!type.namespaced()) {
            return null;
        }
        if (namespace == null || namespace.isEmpty()) {
            throw KubeApiException.of(Status.badRequest("a namespace is required for " + type.plural()
                    + ": they are namespaced"));
        }
        return namespace;
    }

    /** Metadata-only reads ask for PartialObjectMetadata, with plain JSON as the fallback (as client-go's metadata client). */
    private static final String PARTIAL = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";
    private static final String PARTIAL_LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";
    /** As client-go's typed clients: protobuf first, JSON for what has no protobuf form (custom resources, old servers). */
    private static final String PROTOBUF_OR_JSON = ProtobufToJson.MEDIA_TYPE + ", application/json";

    private static Request.Builder request(HttpUrl url) {
        return new Request.Builder().url(url).header("Accept", "application/json");
    }

    /**
     * A read: a metadata client's asks for PartialObjectMetadata ({@code list}: the list kind); a
     * built-in kind's for protobuf, with JSON as the fallback.
     */
    private Request.Builder read(HttpUrl url, boolean list) {
        if (type.javaType() == PartialObjectMetadata.class) {
            return new Request.Builder().url(url).header("Accept", list ? PARTIAL_LIST : PARTIAL);
        }
        if (protobuf) {
            return new Request.Builder().url(url).header("Accept", PROTOBUF_OR_JSON);
        }
        return request(url);
    }

    /** The answer's body as JSON: a protobuf one is converted (object, list or Status alike). */
    private byte[] json(HttpKubeClient.Answer answer) {
        if (!ProtobufToJson.isProtobuf(answer.contentType())) {
            return answer.body();
        }
        try {
            return ProtobufToJson.builtIn().toJson(answer.body());
        } catch (ProtobufFormatException e) {
            throw new KubeClientException("the server's protobuf " + type.kind() + " answer is unreadable: " + e.getMessage(), e);
        }
    }

    @Override
    public T get(String namespace, String name) {
        HttpUrl url = client.paths().object(type, namespaceFor(namespace), name).build();
        return decodeObject(json(client.fetch(read(url, false).get().build())));
    }

    @Override
    public ObjectList<T> list(String namespace, ListOptions options) {
        return decodeList(fetchList(namespace, options));
    }

    /** Reads ahead: see {@link PrefetchingListPages}. */
    @Override
    public ListPages<T> listPages(String namespace, ListOptions options) {
        ListOptions first = options == null ? ListOptions.all() : options;
        return new PrefetchingListPages<>(type.plural(), first, o -> fetchList(namespace, o),
                this::continueToken, this::decodeList);
    }

    private byte[] fetchList(String namespace, ListOptions options) {
        HttpUrl.Builder url = client.paths().collection(type, type.namespaced() ? emptyToNull(namespace) : null);
        ListOptions o = options == null ? ListOptions.all() : options;
        addIfPresent(url, "labelSelector", o.labelSelector());
        addIfPresent(url, "fieldSelector", o.fieldSelector());
        if (o.limit() > 0) {
            url.addQueryParameter("limit", Long.toString(o.limit()));
        }
        addIfPresent(url, "continue", o.continueToken());
        addIfPresent(url, "resourceVersion", o.resourceVersion());
        addIfPresent(url, "resourceVersionMatch", o.resourceVersionMatch());
        return json(client.fetch(read(url.build(), true).get().build()));
    }

    @Override
    public Watch<T> watch(String namespace, WatchOptions options) {
        WatchOptions o = options == null ? WatchOptions.from(null) : options;
        HttpUrl.Builder url = client.paths().collection(type, type.namespaced() ? emptyToNull(namespace) : null);
        url.addQueryParameter("watch", "1");
        addIfPresent(url, "resourceVersion", o.resourceVersion());
        if (o.allowBookmarks()) {
            url.addQueryParameter("allowWatchBookmarks", "true");
        }
        if (o.sendInitialEvents() != null) {
            url.addQueryParameter("sendInitialEvents", o.sendInitialEvents().toString());
        }
        addIfPresent(url, "resourceVersionMatch", o.resourceVersionMatch());
        long timeout = o.timeoutSeconds() > 0 ? o.timeoutSeconds() : client.config().defaultWatchTimeout().toSeconds();
        url.addQueryParameter("timeoutSeconds", Long.toString(timeout));
        addIfPresent(url, "labelSelector", o.labelSelector());
        addIfPresent(url, "fieldSelector", o.fieldSelector());
        HttpUrl built = url.build();
        Request request = read(built, false).get().tag(WatchRequest.class, WatchRequest.INSTANCE).build();
        Call[] call = new Call[1];
        Duration readTimeout = Duration.ofSeconds(timeout).plus(client.config().watchReadMargin());
        Response response = client.openStream(request, readTimeout, call);
        return new HttpWatch<>(call[0], response, ProtobufToJson.isProtobuf(response.header("Content-Type")), decoder,
                type.groupResource()
                + (namespace == null ? "" : " in " + namespace) + " from rv " + o.resourceVersion(),
                Boolean.TRUE.equals(o.sendInitialEvents()));
    }

    @Override
    public T create(T object, WriteOptions options) {
        String ns = namespaceFor(object.metadata().namespace());
        HttpUrl.Builder url = client.paths().collection(type, ns);
        writeParams(url, options);
        return decodeObject(client.execute(request(url.build()).post(body(object)).build()));
    }

    @Override
    public T update(T object, WriteOptions options) {
        return put(object, options, null);
    }

    @Override
    public T updateStatus(T object, WriteOptions options) {
        return put(object, options, "status");
    }

    private T put(T object, WriteOptions options, String subresource) {
        String name = object.metadata().name();
        HttpUrl.Builder url = client.paths().object(type, namespaceFor(object.metadata().namespace()), name);
        if (subresource != null) {
            url.addPathSegment(subresource);
        }
        writeParams(url, options);
        return decodeObject(client.execute(request(url.build()).put(body(object)).build()));
    }

    @Override
    public T patch(String namespace, String name, PatchType patchType, String patch, WriteOptions options) {
        return patch(namespace, name, patchType, patch, options, null);
    }

    @Override
    public T patchStatus(String namespace, String name, PatchType patchType, String patch, WriteOptions options) {
        return patch(namespace, name, patchType, patch, options, "status");
    }

    private T patch(String namespace, String name, PatchType patchType, String patch, WriteOptions options, String subresource) {
        if (patchType == null || patch == null) {
            throw new IllegalArgumentException("patch needs a patch type and a patch document");
        }
        HttpUrl.Builder url = client.paths().object(type, namespaceFor(namespace), name);
        if (subresource != null) {
            url.addPathSegment(subresource);
        }
        writeParams(url, options);
        RequestBody body = RequestBody.create(patch, MediaType.get(patchType.contentType()));
        return decodeObject(client.execute(request(url.build()).patch(body).build()));
    }

    /** Returns the object's last state; null when the server answers with a bare Status (no object). */
    @Override
    public T delete(String namespace, String name, DeleteOptions options) {
        DeleteOptions o = options == null ? DeleteOptions.DEFAULT : options;
        HttpUrl url = client.paths().object(type, namespaceFor(namespace), name).build();
        byte[] body = client.execute(request(url).delete(RequestBody.create(deleteOptions(o), JSON)).build());
        JsonNode tree = Json.tree(body);
        if (tree == null || !tree.isObject() || ("Status".equals(tree.path("kind").asText()) && !"Status".equals(type.kind()))) {
            return null;
        }
        return decoder.decode(tree);
    }

    /** One DELETE on the collection with the selectors as query parameters (kube's deletecollection). */
    @Override
    public void deleteCollection(String namespace, ListOptions selection, DeleteOptions options) {
        HttpUrl.Builder url = client.paths().collection(type, namespaceFor(namespace));
        ListOptions sel = selection == null ? ListOptions.all() : selection;
        addIfPresent(url, "labelSelector", sel.labelSelector());
        addIfPresent(url, "fieldSelector", sel.fieldSelector());
        DeleteOptions o = options == null ? DeleteOptions.DEFAULT : options;
        client.execute(request(url.build()).delete(RequestBody.create(deleteOptions(o), JSON)).build());
    }

    /** metav1.DeleteOptions as kube-apiserver reads it from a DELETE body. */
    static byte[] deleteOptions(DeleteOptions o) {
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("kind", "DeleteOptions");
        json.put("apiVersion", "v1");
        if (o.gracePeriodSeconds() != null) {
            json.put("gracePeriodSeconds", o.gracePeriodSeconds());
        }
        if (o.preconditionUid() != null || o.preconditionResourceVersion() != null) {
            ObjectNode pre = json.putObject("preconditions");
            if (o.preconditionUid() != null) {
                pre.put("uid", o.preconditionUid());
            }
            if (o.preconditionResourceVersion() != null) {
                pre.put("resourceVersion", o.preconditionResourceVersion());
            }
        }
        if (o.propagationPolicy() != null) {
            json.put("propagationPolicy", o.propagationPolicy().name());
        }
        if (o.dryRun()) {
            json.putArray("dryRun").add("All");
        }
        return Json.toBytes(json);
    }

    private static void writeParams(HttpUrl.Builder url, WriteOptions options) {
        if (options != null && options.dryRun()) {
            url.addQueryParameter("dryRun", "All");
        }
        if (options != null && options.fieldManager() != null && !options.fieldManager().isEmpty()) {
            url.addQueryParameter("fieldManager", options.fieldManager());
        }
        if (options != null && options.force()) {
            url.addQueryParameter("force", "true");
        }
    }

    /** The object as JSON, with apiVersion/kind filled in from the type when the object lacks them. */
    private RequestBody body(T object) {
        if (object.apiVersion() == null || object.kind() == null) {
            ObjectNode tree = Json.toTree(object);
            tree.put("apiVersion", type.apiVersion());
            tree.put("kind", type.kind());
            return RequestBody.create(Json.toBytes(tree), JSON);
        }
        return RequestBody.create(Json.toBytes(object), JSON);
    }

    private T decodeObject(byte[] body) {
        return decoder.decode(parse(body));
    }

    /** Reads the list straight from the bytes, item by item: no tree of the whole list is built. */
    private ObjectList<T> decodeList(byte[] body) {
        return readList(body, true);
    }

    /**
     * The continue token of a list body, read without decoding the items when the metadata comes
     * first (as kube-apiserver and the reference store write it); null on the last page.
     */
    private String continueToken(byte[] body) {
        return readList(body, false).continueToken();
    }

    /** The list in {@code body}; without {@code withItems}, only its metadata (reading stops there). */
    private ObjectList<T> readList(byte[] body, boolean withItems) {
        try (JsonParser p = Json.mapper().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new KubeClientException("the server answered a " + type.kind() + " list request with a non-object body");
            }
            List<T> items = new ArrayList<>();
            String rv = null;
            String cont = null;
            Long remaining = null;
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                JsonToken value = p.nextToken();
                if (withItems && "items".equals(field)) {
                    readItems(p, value, items);
                } else if ("metadata".equals(field) && value == JsonToken.START_OBJECT) {
                    for (String m = p.nextFieldName(); m != null; m = p.nextFieldName()) {
                        JsonToken v = p.nextToken();
                        switch (m) {
                            case "resourceVersion" -> rv = v.isScalarValue() ? p.getValueAsString() : null;
                            case "continue" -> cont = v.isScalarValue() ? p.getValueAsString() : null;
                            case "remainingItemCount" -> remaining = v.isNumeric() ? p.getLongValue() : null;
                            default -> p.skipChildren();
                        }
                    }
                    if (!withItems) {
                        break;
                    }
                } else {
                    p.skipChildren();
                }
            }
            return new ObjectList<>(items, rv, cont == null || cont.isEmpty() ? null : cont, remaining);
        } catch (IOException e) {
            throw new KubeClientException("the server's " + type.listKind() + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private void readItems(JsonParser p, JsonToken start, List<T> into) throws IOException {
        if (start == JsonToken.VALUE_NULL) {
            return;
        }
        if (start != JsonToken.START_ARRAY) {
            throw new KubeClientException("the server's " + type.listKind() + " has non-list \"items\"");
        }
        int index = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), index++) {
            if (t != JsonToken.START_OBJECT) {
                throw new KubeClientException("the server sent a " + type.kind() + " that is not a JSON object");
            }
            JsonStreamContext items = p.getParsingContext().getParent();
            try {
                into.add(decoder.decode(p));
            } catch (KubeClientException e) {
                // A well-formed item the model cannot read: skip it rather than fail every list of the kind.
                UndecodableObjects.skipped(type, "item " + index + " of a " + type.listKind(), e.getMessage());
                skipRestOfItem(p, items);
            }
        }
    }

    /** Advances to the END_OBJECT that closes the current item of the {@code items} array. */
    private static void skipRestOfItem(JsonParser p, JsonStreamContext items) throws IOException {
        while (!(p.getParsingContext() == items && p.currentToken() == JsonToken.END_OBJECT)) {
            if (p.nextToken() == null) {
                throw new java.io.EOFException("the list ended inside an item");
            }
        }
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode tree = Json.tree(body);
            if (tree == null || !tree.isObject()) {
                throw new KubeClientException("the server answered a " + type.kind() + " request with a non-object body");
            }
            return tree;
        } catch (io.kardia.core.json.CodecException e) {
            throw new KubeClientException("the server's answer is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static void addIfPresent(HttpUrl.Builder url, String name, String value) {
        if (value != null && !value.isEmpty()) {
            url.addQueryParameter(name, value);
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
