package io.kardia.informer;

import io.kardia.core.model.KubeObject;
import io.kardia.core.selector.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Typed reads from an informer's cache, the way controllers read: never from the API. Returned
 * objects are the shared cached instances (immutable), returned lists are fresh snapshots.
 */
public final class Lister<T extends KubeObject> {
    private final Indexer<T> indexer;

    public Lister(Indexer<T> indexer) {
        this.indexer = indexer;
    }

    /** Every cached object. */
    public List<T> list() {
        return indexer.list();
    }

    /** The cached objects whose labels match {@code selector}. */
    public List<T> list(Selector selector) {
        return selector.isEmpty() ? indexer.list() : filter(indexer.list(), selector);
    }

    /** A cluster-scoped object by name, or a namespaced one by {@code namespace/name}. */
    public Optional<T> get(String key) {
        return indexer.getByKey(key);
    }

    /** Reads limited to one namespace (served by the namespace index). */
    public NamespaceLister namespace(String namespace) {
        if (namespace == null || namespace.isEmpty()) {
            throw new IllegalArgumentException("a namespace lister needs a namespace name, got '" + namespace + "'");
        }
        return new NamespaceLister(namespace);
    }

    private static <T extends KubeObject> List<T> filter(List<T> objects, Selector selector) {
        List<T> out = new ArrayList<>();
        for (T obj : objects) {
            if (selector.matches(obj.metadata().labels())) {
                out.add(obj);
            }
        }
        return out;
    }

    /** Reads of one namespace. */
    public final class NamespaceLister {
        private final String namespace;

        private NamespaceLister(String namespace) {
            this.namespace = namespace;
        }

        public List<T> list() {
            return indexer.byIndex(Indexers.NAMESPACE, namespace);
        }

        public List<T> list(Selector selector) {
            List<T> all = list();
            return selector.isEmpty() ? all : filter(all, selector);
        }

        public Optional<T> get(String name) {
            return indexer.getByKey(namespace + "/" + name);
        }
    }
}
