package io.kardia.controllers.storage;

import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ObjectMeta;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PersistentVolume a dynamic provisioner would make for a claim: named {@code pvc-<claim uid>}
 * as kube's external provisioners name them, with the claim's size, access modes and class, and a
 * CSI source of the simulated driver (nothing is stored anywhere).
 */
final class SimulatedProvisioner {
    /** The provisioner's name, in {@code pv.kubernetes.io/provisioned-by} and the CSI driver field. */
    static final String NAME = "simulated.kardia.io";
    static final String PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";

    private SimulatedProvisioner() {
    }

    static String volumeName(GenericObject claim) {
        return "pvc-" + claim.metadata().uid();
    }

    /** @param reclaimPolicy the class's {@code reclaimPolicy} (kube's default: Delete) */
    static GenericObject volumeFor(GenericObject claim, String storage, String className, String reclaimPolicy) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("capacity", Map.of("storage", storage));
        spec.put("accessModes", claim.at("spec.accessModes", List.class).orElse(List.of("ReadWriteOnce")));
        spec.put("persistentVolumeReclaimPolicy", reclaimPolicy);
        if (className != null && !className.isEmpty()) {
            spec.put("storageClassName", className);
        }
        claim.at("spec.volumeMode", String.class).ifPresent(mode -> spec.put("volumeMode", mode));
        spec.put("claimRef", claimRef(claim));
        spec.put("csi", Map.of("driver", NAME, "volumeHandle", volumeName(claim)));
        ObjectMeta meta = ObjectMeta.builder().name(volumeName(claim)).annotation(PROVISIONED_BY, NAME).build();
        return GenericObject.of(VolumeTypes.PERSISTENT_VOLUME, meta).with("spec", spec);
    }

    static Map<String, Object> claimRef(GenericObject claim) {
        return Map.of("kind", "PersistentVolumeClaim", "apiVersion", "v1", "namespace", claim.metadata().namespace(),
                "name", claim.metadata().name(), "uid", claim.metadata().uid());
    }
}
