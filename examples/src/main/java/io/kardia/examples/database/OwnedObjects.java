package io.kardia.examples.database;

import io.kardia.core.client.WriteOptions;
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
 * Keeps an owner's child objects as the owner wants them, with server-side apply: the operator
 * applies the whole configuration it owns (as its field manager, forced, as Kubernetes' own
 * controllers do), so the API server keeps what others set (a label added by hand, defaults) and
 * removes what the operator stopped setting. A child is read from the cache first: a child
 * controlled by someone else is refused, and one that already holds every field the operator
 * owns is not written again.
 */
final class OwnedObjects {
    private static final Logger log = LoggerFactory.getLogger(OwnedObjects.class);

    private final CachedClient client;
    private final WriteOptions apply;

    /** @param fieldManager the name the operator's fields are recorded under in {@code metadata.managedFields} */
    OwnedObjects(CachedClient client, String fieldManager) {
        this.client = Objects.requireNonNull(client, "client");
        this.apply = WriteOptions.apply(fieldManager).withForce(true);
    }

    /**
     * Makes sure {@code desired} exists, controlled by {@code owner}, and holds {@code desired}'s
     * fields, labels and owner references. Fields at {@code immutablePaths} (e.g. a StatefulSet's
     * {@code spec.selector}, which Kubernetes refuses to change) keep the value the child was
     * created with: the operator goes on applying that value, so it keeps owning the field, and a
     * changed wish for it never turns into a refused write.
     *
     * @return the object as stored
     * @throws NotOwnedException if an object of that name exists and is not controlled by {@code owner}
     */
    GenericObject ensure(KubeObject owner, ResourceType<GenericObject> type, GenericObject desired, String... immutablePaths) {
        CachedResources<GenericObject> objects = client.resources(type);
        ObjectMeta meta = desired.metadata();
        Optional<GenericObject> existing = objects.find(meta.namespace(), meta.name());
        GenericObject configuration = desired;
        if (existing.isPresent()) {
            GenericObject live = existing.get();
            if (!controlledBy(live, owner)) {
                throw new NotOwnedException(type.kind() + " " + live.key() + " already exists and is not controlled by "
                        + owner.kind() + " " + owner.metadata().name() + "; delete or rename it");
            }
            for (String path : immutablePaths) {
                configuration = configuration.withAt(path, live.at(path).orElse(null));
            }
            boolean labelled = live.metadata().labels().entrySet().containsAll(meta.labels().entrySet());
            if (labelled && live.containsFieldsOf(configuration)) {
                return live;
            }
        }
        GenericObject applied = objects.apply(configuration, apply);
        log.info("applied {} {}", type.kind(), applied.key());
        return applied;
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
