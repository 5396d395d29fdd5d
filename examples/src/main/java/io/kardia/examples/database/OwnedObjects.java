package io.kardia.examples.database;

import io.kardia.core.model.GenericObject;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.ResourceType;
import io.kardia.runtime.CachedClient;
import io.kardia.runtime.CachedResources;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates an owner's child objects and keeps the fields it owns in sync, from the server's state:
 * a child is read (from the cache), compared on the fields the owner sets — not on the defaults
 * the API server added or fields others own — and written only when one of those differs, with
 * its resourceVersion, so a stale read ends in a conflict (and a retry), never in an overwrite.
 */
final class OwnedObjects {
    private static final Logger log = LoggerFactory.getLogger(OwnedObjects.class);

    private final CachedClient client;

    OwnedObjects(CachedClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * Makes sure {@code desired} exists, controlled by {@code owner}: creates it when absent; when it
     * exists, lays over it the fields at {@code mutablePaths} (e.g. {@code spec.replicas}) and
     * {@code desired}'s labels, if they differ. Other fields are set at creation only (for fields
     * Kubernetes makes immutable, such as a StatefulSet's selector or a Job's template).
     *
     * @return the object as stored
     * @throws NotOwnedException if an object of that name exists and is not controlled by {@code owner}
     */
    GenericObject ensure(KubeObject owner, ResourceType<GenericObject> type, GenericObject desired, String... mutablePaths) {
        CachedResources<GenericObject> objects = client.resources(type);
        ObjectMeta meta = desired.metadata();
        Optional<GenericObject> existing = objects.find(meta.namespace(), meta.name());
        if (existing.isEmpty()) {
            GenericObject created = objects.create(desired);
            log.info("created {} {}", type.kind(), created.key());
            return created;
        }
        GenericObject live = existing.get();
        if (!controlledBy(live, owner)) {
            throw new NotOwnedException(type.kind() + " " + live.key() + " already exists and is not controlled by "
                    + owner.kind() + " " + owner.metadata().name() + "; delete or rename it");
        }
        GenericObject owned = GenericObject.of(type, meta);
        for (String path : mutablePaths) {
            owned = owned.withAt(path, desired.at(path).orElse(null));
        }
        boolean labelled = live.metadata().labels().entrySet().containsAll(meta.labels().entrySet());
        if (labelled && live.containsFieldsOf(owned)) {
            return live;
        }
        // Our labels are added to the object's; labels others put there are kept.
        ObjectMeta.Builder labels = live.metadata().toBuilder();
        meta.labels().forEach(labels::label);
        GenericObject updated = objects.update(live.withFieldsOf(owned).withMetadata(labels.build()));
        log.info("updated {} {}", type.kind(), updated.key());
        return updated;
    }

    /** The child named like {@code desired}, if it exists and {@code owner} controls it. */
    Optional<GenericObject> findOwned(KubeObject owner, ResourceType<GenericObject> type, String namespace, String name) {
        return client.resources(type).find(namespace, name).filter(o -> controlledBy(o, owner));
    }

    static boolean controlledBy(KubeObject child, KubeObject owner) {
        return child.metadata().controllerRef().map(r -> Objects.equals(r.uid(), owner.metadata().uid())).orElse(false);
    }

    /** The object an owner needs exists but belongs to someone else. */
    static final class NotOwnedException extends RuntimeException {
        NotOwnedException(String message) {
            super(message);
        }
    }
}
