package io.kardia.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.json.Json;
import io.kardia.core.model.ResourceType;
import io.kardia.store.conversion.VersionConverter;
import java.util.ArrayList;
import java.util.List;

/**
 * A request to a resource served in several versions: bodies in the requested version go to
 * storage converted, stored objects come back in the requested version. A request in the storage
 * version itself still passes its bodies through the converter (which drops what only conversion
 * may write, as kube does) but reads objects as stored.
 */
final class VersionView {
    private final ResourceType<?> requested;
    private final String storageVersion;
    private final VersionConverter converter;
    /** Prunes a body with the requested version's schema. */
    private final java.util.function.Consumer<ObjectNode> pruneInRequestedVersion;

    VersionView(ResourceType<?> requested, String storageVersion, VersionConverter converter,
                java.util.function.Consumer<ObjectNode> pruneInRequestedVersion) {
        this.requested = requested;
        this.storageVersion = storageVersion;
        this.converter = converter;
        this.pruneInRequestedVersion = pruneInRequestedVersion;
    }

    ResourceType<?> requested() {
        return requested;
    }

    private boolean isStorage() {
        return requested.version().equals(storageVersion);
    }

    /**
     * A request body (checked against the requested version's type first, then pruned by that
     * version's schema, as kube-apiserver decodes it) in the storage version.
     */
    ObjectNode toStorage(ObjectNode body, FieldValidation fields) {
        RequestChecks.checkTypeMeta(requested, body);
        RequestChecks.checkDecodable(requested, body, fields);
        pruneInRequestedVersion.accept(body);
        return converter.convert(body, storageVersion);
    }

    /** A stored object's tree in the requested version (a new tree). */
    ObjectNode toRequested(ObjectNode stored) {
        return isStorage() ? stored.deepCopy() : converter.convert(stored, requested.version());
    }

    /** A storage-version tree in the requested version: the tree itself when they are the same version. */
    ObjectNode inRequestedVersion(ObjectNode stored) {
        return isStorage() ? stored : converter.convert(stored, requested.version());
    }

    StoredObject read(StoredObject o) {
        if (o == null || isStorage()) {
            return o;
        }
        ObjectNode tree = converter.convert(o.tree(), requested.version());
        return new StoredObject(o.revision(), tree, Json.toBytes(tree));
    }

    StoreList read(StoreList page) {
        if (isStorage()) {
            return page;
        }
        List<StoredObject> items = new ArrayList<>(page.items().size());
        page.items().forEach(o -> items.add(read(o)));
        return new StoreList(items, page.revision(), page.continueToken(), page.remainingItemCount());
    }

    /** Watch events: objects in the requested version; bookmarks and errors as they are. */
    StoreEvent read(StoreEvent e) {
        if (isStorage() || e.object() == null || e.type() == StoreEvent.Type.BOOKMARK || e.type() == StoreEvent.Type.ERROR) {
            return e;
        }
        return new StoreEvent(e.type(), read(e.object()), e.status());
    }
}
