package io.kardia.store;

import io.kardia.core.selector.FieldSelector;
import io.kardia.core.selector.FieldSelectors;
import io.kardia.core.selector.Selector;

/** Namespace, label and field selection of a list or watch, with Kubernetes semantics. */
record WatchFilter(String namespace, Selector labels, FieldSelector fields) {

    boolean isEverything() {
        return labels.isEmpty() && fields.isEmpty();
    }

    boolean matches(StoredObject o) {
        if (o == null) {
            return false;
        }
        if (namespace != null && !namespace.isEmpty() && !namespace.equals(o.namespace())) {
            return false;
        }
        if (!labels.isEmpty() && !labels.matches(o.labels())) {
            return false;
        }
        return FieldSelectors.matches(fields, o.tree());
    }

    /** The event a watcher with this filter sees for a change, or null (k8s: leaving the selection is DELETED). */
    StoreEvent translate(ChangeEvent e) {
        return switch (e.type()) {
            case ADDED -> matches(e.object()) ? new StoreEvent(StoreEvent.Type.ADDED, e.object(), null) : null;
            case DELETED -> matches(e.object()) ? new StoreEvent(StoreEvent.Type.DELETED, e.object(), null) : null;
            case MODIFIED -> {
                boolean now = matches(e.object());
                boolean before = matches(e.previous());
                if (now && before) {
                    yield new StoreEvent(StoreEvent.Type.MODIFIED, e.object(), null);
                } else if (now) {
                    yield new StoreEvent(StoreEvent.Type.ADDED, e.object(), null);
                } else if (before) {
                    yield new StoreEvent(StoreEvent.Type.DELETED, e.object(), null);
                }
                yield null;
            }
            default -> null;
        };
    }
}
