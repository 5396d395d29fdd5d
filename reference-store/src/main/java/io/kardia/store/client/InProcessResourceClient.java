package io.kardia.store.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ListOptions;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.UndecodableObjects;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.CodecException;
import io.kardia.core.json.Json;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectList;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.PartialObjectMetadata;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.Status;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreList;
import io.kardia.store.StoredObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** One kind over the in-process store: typed objects in and out, JSON trees in between. */
final class InProcessResourceClient<T extends KubeObject> implements ResourceClient<T> {
    private final ReferenceStore store;
    private final ResourceType<T> type;

    InProcessResourceClient(ReferenceStore store, ResourceType<T> type) {
        this.store = store;
        this.type = type;
    }

    @Override
    public ResourceType<T> type() {
        return type;
    }

    @Override
    public T get(String namespace, String name) {
        return decode(store.get(type, namespace, name, null));
    }

    @Override
    public ObjectList<T> list(String namespace, ListOptions options) {
        StoreList l = store.list(type, namespace, options);
        List<T> items = new ArrayList<>(l.items().size());
        for (StoredObject o : l.items()) {
            try {
                items.add(decodeAs(o, type));
            } catch (CodecException e) {
                // As over HTTP: one object the model cannot read must not fail every list of the kind.
                UndecodableObjects.skipped(type, "a " + type.listKind() + " (" + o.namespace() + "/" + o.name() + ")", e.getMessage());
            }
        }
        return new ObjectList<>(items, l.resourceVersion(), l.continueToken(), l.remainingItemCount());
    }

    @Override
    public Watch<T> watch(String namespace, WatchOptions options) {
        return new InProcessWatch<>(type, store.watch(type, namespace, options));
    }

    @Override
    public T create(T object, WriteOptions options) {
        return decode(store.create(type, object.metadata().namespace(), encode(object), options));
    }

    @Override
    public T update(T object, WriteOptions options) {
        return decode(store.update(type, object.metadata().namespace(), object.metadata().name(), encode(object), options));
    }

    @Override
    public T updateStatus(T object, WriteOptions options) {
        return decode(store.updateStatus(type, object.metadata().namespace(), object.metadata().name(), encode(object), options));
    }

    @Override
    public T patch(String namespace, String name, PatchType patchType, String patch, WriteOptions options) {
        return decode(store.patch(type, namespace, name, patchType, patch.getBytes(StandardCharsets.UTF_8), options));
    }

    @Override
    public T patchStatus(String namespace, String name, PatchType patchType, String patch, WriteOptions options) {
        return decode(store.patchStatus(type, namespace, name, patchType, patch.getBytes(StandardCharsets.UTF_8), options));
    }

    @Override
    public T delete(String namespace, String name, DeleteOptions options) {
        return decode(store.delete(type, namespace, name, options));
    }

    @Override
    public void deleteCollection(String namespace, ListOptions selection, DeleteOptions options) {
        store.deleteCollection(type, namespace, selection, options);
    }

    private ObjectNode encode(T object) {
        return Json.toTree(object);
    }

    /**
     * The stored object as the client's type; a metadata client ({@link PartialObjectMetadata}) gets
     * what kube-apiserver answers for {@code as=PartialObjectMetadata}: the metadata alone.
     */
    @SuppressWarnings("unchecked")
    static <T extends KubeObject> T decodeAs(StoredObject o, ResourceType<T> type) {
        if (type.javaType() == PartialObjectMetadata.class) {
            return (T) PartialObjectMetadata.of(o.decodeMetadata(ObjectMeta.class));
        }
        return o.decode(type.javaType());
    }

    private T decode(StoredObject o) {
        try {
            return decodeAs(o, type);
        } catch (CodecException e) {
            throw KubeApiException.of(Status.internalError("cannot decode " + type.kind() + ": " + e.getMessage()));
        }
    }
}
