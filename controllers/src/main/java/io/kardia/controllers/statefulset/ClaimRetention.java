package io.kardia.controllers.statefulset;

import io.kardia.core.model.KubeObject;
import io.kardia.core.model.OwnerReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code persistentVolumeClaimRetentionPolicy} expressed, as kube does, through the claims' owner
 * references ({@code updateClaimOwnerRefForSetAndPod}), so the garbage collector does the deleting:
 * {@code whenDeleted: Delete} makes the StatefulSet an owner of its claims; {@code whenScaled:
 * Delete} makes a pod scaled away the owner of its claims (and no longer the set). Retain removes
 * those references. The references are not controller references.
 */
final class ClaimRetention {

    private ClaimRetention() {
    }

    /** The owner references the claim of {@code pod} should carry; {@code inRange}: the pod's ordinal is still wanted. */
    static List<OwnerReference> desired(List<OwnerReference> current, StatefulSetSpec spec, KubeObject set,
                                        KubeObject pod, boolean inRange) {
        boolean ownedBySet = spec.deleteClaimsWithSet() && (inRange || !spec.deleteClaimsOnScaleDown());
        boolean ownedByPod = spec.deleteClaimsOnScaleDown() && !inRange && pod != null;
        List<OwnerReference> out = new ArrayList<>();
        String setUid = set.metadata().uid();
        String podUid = pod == null ? null : pod.metadata().uid();
        for (OwnerReference r : current) {
            if (!r.uid().equals(setUid) && (podUid == null || !r.uid().equals(podUid))) {
                out.add(r);
            }
        }
        if (ownedBySet) {
            out.add(reference(set));
        }
        if (ownedByPod) {
            out.add(reference(pod));
        }
        return out;
    }

    /** Whether two lists hold the same references by uid (order and flags of others don't matter). */
    static boolean sameOwners(List<OwnerReference> a, List<OwnerReference> b) {
        return a.stream().map(OwnerReference::uid).sorted().toList()
                .equals(b.stream().map(OwnerReference::uid).sorted().toList());
    }

    private static OwnerReference reference(KubeObject owner) {
        return new OwnerReference(owner.apiVersion(), owner.kind(), owner.metadata().name(), owner.metadata().uid(),
                null, null, Map.of());
    }
}
