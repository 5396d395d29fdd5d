package io.kardia.informer;

import io.kardia.core.model.KubeObject;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.Pod;
import java.util.ArrayList;
import java.util.List;

/** Ready-made index functions. */
public final class Indexers {
    /** The index every cache has: objects by {@code metadata.namespace} ({@code ""} for cluster-scoped). */
    public static final String NAMESPACE = "namespace";

    private Indexers() {
    }

    public static <T extends KubeObject> IndexFunction<T> byNamespace() {
        return obj -> {
            String ns = obj.metadata().namespace();
            return List.of(ns == null ? "" : ns);
        };
    }

    /** Objects by the uid of every owner reference (what a garbage collector or an owner's controller looks up). */
    public static <T extends KubeObject> IndexFunction<T> byOwnerUid() {
        return obj -> {
            List<OwnerReference> refs = obj.metadata().ownerReferences();
            if (refs.isEmpty()) {
                return List.of();
            }
            List<String> uids = new ArrayList<>(refs.size());
            for (OwnerReference ref : refs) {
                if (ref.uid() != null) {
                    uids.add(ref.uid());
                }
            }
            return uids;
        };
    }

    /** Objects by the uid of their controller owner reference, if any. */
    public static <T extends KubeObject> IndexFunction<T> byControllerUid() {
        return obj -> obj.metadata().controllerRef()
                .filter(ref -> ref.uid() != null)
                .map(ref -> List.of(ref.uid()))
                .orElse(List.of());
    }

    /** Pods by {@code spec.nodeName}; unscheduled pods are not indexed. */
    public static IndexFunction<Pod> podsByNodeName() {
        return pod -> pod.spec() == null || pod.spec().nodeName() == null || pod.spec().nodeName().isEmpty()
                ? List.of()
                : List.of(pod.spec().nodeName());
    }
}
