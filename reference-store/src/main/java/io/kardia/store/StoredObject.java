package io.kardia.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.json.Json;
import io.kardia.store.fieldpath.ManagedFieldsEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One stored version of an object: its revision, its JSON tree and its serialized bytes (what the
 * journal holds and the HTTP server sends). Immutable: the tree is never handed out, only copies
 * ({@link #json()}) or decoded values ({@link #decode}).
 */
public final class StoredObject {
    private final long revision;
    private final ObjectNode tree;
    private final byte[] bytes;
    private final Map<String, String> labels;
    /**
     * The last value decoded from this version (its class and the value): a {@link Decoded} while
     * this is its key's current version, a {@link WeakReference} to one once it is retired
     * ({@link #retire()}). Model objects are immutable, so every in-process reader of this version
     * (the writer's answer, each informer's watch event, each get) can share one decode instead of
     * walking the tree again. A retired version (kept in the watch history) keeps its decode only
     * while someone else holds it, such as an informer's cache still at this version: history does
     * not hold a second, decoded copy of every version it keeps.
     */
    private volatile Object decoded;
    private static final WeakReference<Decoded> RETIRED_EMPTY = new WeakReference<>(null);
    private static final VarHandle DECODED;

    static {
        try {
            DECODED = MethodHandles.lookup().findVarHandle(StoredObject.class, "decoded", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** {@code metadata.managedFields} decoded (null until first asked; {@link #UNREADABLE} when they do not decode). */
    private volatile List<ManagedFieldsEntry> managedFields;
    private static final List<ManagedFieldsEntry> UNREADABLE = java.util.Collections.unmodifiableList(new java.util.ArrayList<>());

    /** See {@link #metadataSpan()}: found lazily, as only metadata-only readers need it. */
    private volatile long metadataSpan = UNKNOWN_SPAN;
    private static final long UNKNOWN_SPAN = -2;
    static final long NO_SPAN = -1;

    private static final Package CORE_MODELS = io.kardia.core.model.KubeObject.class.getPackage();

    private record Decoded(Class<?> type, Object value) {
    }

    StoredObject(long revision, ObjectNode tree, byte[] bytes) {
        this.revision = revision;
        this.tree = tree;
        this.bytes = bytes;
        this.labels = labelsOf(tree);
    }

    /** The revision this version was written at (its {@code metadata.resourceVersion}). */
    public long revision() {
        return revision;
    }

    public String resourceVersion() {
        return Long.toString(revision);
    }

    public String name() {
        return tree.path("metadata").path("name").asText("");
    }

    /** "" for cluster-scoped objects. */
    public String namespace() {
        return tree.path("metadata").path("namespace").asText("");
    }

    /** A private, mutable copy of the object's JSON. */
    public ObjectNode json() {
        return tree.deepCopy();
    }

    /** The serialized JSON (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int size() {
        return bytes.length;
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(bytes);
    }

    /**
     * Decodes into a model class ({@code Pod.class}, {@code GenericObject.class}...). The value is
     * decoded once per class and then shared when the class is one of core's models, which are
     * deeply immutable (records over frozen collections); any other class (an application's own
     * custom resource class may hold mutable lists) is decoded afresh on every call.
     */
    public <T> T decode(Class<T> type) {
        Decoded d = cachedDecode();
        if (d != null && d.type == type) {
            return type.cast(d.value);
        }
        T value = Json.fromTree(tree, type);
        if (type.getPackage() == CORE_MODELS) {
            remember(new Decoded(type, value));
        }
        return value;
    }

    private Decoded cachedDecode() {
        Object d = decoded;
        return d instanceof WeakReference<?> w ? (Decoded) w.get() : (Decoded) d;
    }

    /** Caches {@code fresh}, weakly once retired (a retirement racing with this call is not lost). */
    private void remember(Decoded fresh) {
        while (true) {
            Object cur = decoded;
            Object next = cur instanceof WeakReference<?> ? new WeakReference<>(fresh) : fresh;
            if (DECODED.compareAndSet(this, cur, next)) {
                return;
            }
        }
    }

    /**
     * Called once a newer version of the key (or its deletion) is stored: this version is history
     * from now on. Its decoded managed fields are dropped (only writes building on the current
     * version use them) and its decoded value is kept only weakly (see {@link #decoded}).
     */
    void retire() {
        while (true) {
            Object cur = decoded;
            if (cur instanceof WeakReference<?>) {
                break;
            }
            Object next = cur == null ? RETIRED_EMPTY : new WeakReference<>((Decoded) cur);
            if (DECODED.compareAndSet(this, cur, next)) {
                break;
            }
        }
        managedFields = null;
    }

    boolean retired() {
        return decoded instanceof WeakReference<?>;
    }

    /** For tests: whether this version itself keeps a decoded value alive. */
    boolean holdsDecodedStrongly() {
        return decoded instanceof Decoded;
    }

    /** For tests: whether decoded managed fields are cached. */
    boolean managedFieldsCached() {
        return managedFields != null;
    }

    /** {@code metadata} serialized alone (for PartialObjectMetadata answers; a copy). */
    public byte[] metadataBytes() {
        long span = metadataSpan();
        if (span == NO_SPAN) {
            return Json.toBytes(metadataOrEmpty());
        }
        int start = (int) (span >>> 32);
        return java.util.Arrays.copyOfRange(bytes, start, start + (int) span);
    }

    /**
     * Writes {@code metadata} serialized alone, as {@link #metadataBytes()} gives it, straight from
     * the stored bytes: a metadata-only list or watch of every object allocates nothing per object.
     */
    public void writeMetadataTo(OutputStream out) throws IOException {
        long span = metadataSpan();
        if (span == NO_SPAN) {
            out.write(Json.toBytes(metadataOrEmpty()));
        } else {
            out.write(bytes, (int) (span >>> 32), (int) span);
        }
    }

    private JsonNode metadataOrEmpty() {
        JsonNode meta = tree.get("metadata");
        return meta == null ? Json.mapper().createObjectNode() : meta;
    }

    /**
     * Where {@code metadata}'s object lies in {@link #bytes} (start in the high 32 bits, length in the
     * low), found once per version by scanning the top-level fields (metadata comes third in the
     * stored order, so the scan stops early); {@link #NO_SPAN} when it is not an object there.
     */
    private long metadataSpan() {
        long span = metadataSpan;
        if (span == UNKNOWN_SPAN) {
            span = MetadataSpan.find(bytes);
            metadataSpan = span;
        }
        return span;
    }

    /** Decodes only {@code metadata} (for metadata-only reads), without copying the rest. */
    public <T> T decodeMetadata(Class<T> type) {
        return Json.fromTree(tree.path("metadata"), type);
    }

    /**
     * The managed fields, decoded once per version for the writes that build on it (shared: never
     * mutate the field sets); null when they do not decode, as {@link ManagedFieldsTracker} treats it.
     */
    List<ManagedFieldsEntry> managedFields() {
        List<ManagedFieldsEntry> m = managedFields;
        if (m == null) {
            List<ManagedFieldsEntry> d = ManagedFieldsTracker.decodeOrNull(tree.path("metadata").get("managedFields"));
            m = d == null ? UNREADABLE : List.copyOf(d);
            managedFields = m;
            if (retired()) {
                managedFields = null; // a write that lost its race to a newer version: nothing will build on this one
            }
        }
        return m == UNREADABLE ? null : m;
    }

    /** Read-only view for the store's own components; never mutate. */
    ObjectNode tree() {
        return tree;
    }

    Map<String, String> labels() {
        return labels;
    }

    byte[] rawBytes() {
        return bytes;
    }

    private static Map<String, String> labelsOf(ObjectNode tree) {
        JsonNode l = tree.path("metadata").path("labels");
        if (!l.isObject() || l.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = l.fields(); it.hasNext(); ) {
            var e = it.next();
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    @Override
    public String toString() {
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
}
