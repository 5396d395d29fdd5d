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
        return translate(e, new StoreEvent(e.type(), e.object(), null));
    }

    /**
     * As {@link #translate(ChangeEvent)}, returning {@code asIs} (the change's own type and object)
     * when the watcher sees the change unchanged: one event object shared by every watcher of a change.
     */
    StoreEvent translate(ChangeEvent e, StoreEvent asIs) {
        return switch (e.type()) {
            case ADDED, DELETED -> matches(e.object()) ? asIs : null;
            case MODIFIED -> {
                boolean now = matches(e.object());
                boolean before = matches(e.previous());
                if (now && before) {
                    yield asIs;
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
