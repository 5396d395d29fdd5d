package io.kardia.controllers.storage;

import io.kardia.controllers.workload.GenericStatusUpdates;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.Quantity;
import io.kardia.core.model.ResourceTypes;
import io.kardia.core.selector.Selector;
import io.kardia.informer.SharedInformer;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Request;
import io.kardia.runtime.Result;
import io.kardia.runtime.TypedReconciler;
import io.kardia.runtime.event.EventRecorder;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-controller-manager's PersistentVolume binder with a simulated dynamic provisioner: a
 * pending claim is bound to an Available volume that fits it (same class, the access modes it
 * asks for, at least its size; the smallest such), else to a volume provisioned for it
 * ({@link SimulatedProvisioner}); both sides are then marked Bound. A deleted claim's volume is
 * deleted or, with reclaim policy Retain, Released. A claim that names a StorageClass that does
 * not exist, or asks for no storage, stays Pending with a ProvisioningFailed Event.
 */
public final class PersistentVolumeBinder implements TypedReconciler<GenericObject> {
    private static final Logger log = LoggerFactory.getLogger(PersistentVolumeBinder.class);
    public static final String NAME = "persistentvolume-binder";
    static final String DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class";
    static final String BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
    static final String BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
    /** A missing StorageClass may be created later: look again then. */
    static final Duration MISSING_CLASS_RETRY = Duration.ofSeconds(30);

    private final ResourceClient<GenericObject> claims;
    private final ResourceClient<GenericObject> volumes;
    private final SharedInformer<GenericObject> volumeCache;
    private final SharedInformer<GenericObject> classCache;
    private final EventRecorder events;

    private PersistentVolumeBinder(Manager manager) {
        this.claims = manager.apiClient().resources(ResourceTypes.PERSISTENT_VOLUME_CLAIM);
        this.volumes = manager.apiClient().resources(VolumeTypes.PERSISTENT_VOLUME);
        this.volumeCache = manager.informers().informerFor(VolumeTypes.PERSISTENT_VOLUME, null, Selector.EVERYTHING);
        this.classCache = manager.informers().informerFor(VolumeTypes.STORAGE_CLASS, null, Selector.EVERYTHING);
        this.events = manager.eventRecorder(NAME);
    }

    public static void register(Manager manager) {
        PersistentVolumeBinder binder = new PersistentVolumeBinder(manager);
        manager.newController().forKind(ResourceTypes.PERSISTENT_VOLUME_CLAIM).named(NAME)
                .watches(VolumeTypes.PERSISTENT_VOLUME, PersistentVolumeBinder::claimOf)
                .watches(VolumeTypes.STORAGE_CLASS, sc -> List.of()) // read from its cache only
                .complete(binder);
    }

    private static List<Request> claimOf(GenericObject volume) {
        String ns = volume.at("spec.claimRef.namespace", String.class).orElse(null);
        String name = volume.at("spec.claimRef.name", String.class).orElse(null);
        return ns == null || name == null ? List.of() : List.of(new Request(ns, name));
    }

    @Override
    public Result reconcile(GenericObject claim) {
        if (claim.metadata().deletionTimestamp() != null) {
            return Result.done();
        }
        try {
            return sync(claim);
        } catch (KubeApiException.NotFoundException gone) {
            return Result.done(); // the claim (or its volume) went meanwhile: its absence is reconciled next
        }
    }

    private Result sync(GenericObject claim) {
        String volumeName = claim.at("spec.volumeName", String.class).filter(v -> !v.isEmpty()).orElse(null);
        if (volumeName != null) {
            Optional<GenericObject> volume = volumeCache.lister().get(volumeName);
            if (volume.isEmpty()) {
                volume = volumes.find(null, volumeName);
            }
            if (volume.isEmpty()) {
                writeClaimStatus(claim, Map.of("phase", "Lost"));
                events.warning(claim, "ClaimLost", "bound volume " + volumeName + " is gone");
                return Result.done();
            }
            return bind(claim, volume.get());
        }
        Optional<String> storage = claim.at("spec.resources.requests.storage", String.class);
        if (storage.isEmpty()) {
            events.warning(claim, "ProvisioningFailed", "spec.resources.requests.storage is required");
            return Result.done();
        }
        String className = claim.at("spec.storageClassName", String.class).orElseGet(this::defaultClassName);
        Optional<GenericObject> fit = availableVolumeFor(claim, storage.get(), className);
        if (fit.isPresent()) {
            return bind(claim, fit.get());
        }
        if (className != null && !className.isEmpty() && classCache.lister().get(className).isEmpty()) {
            events.warning(claim, "ProvisioningFailed", "storageclass.storage.k8s.io \"" + className + "\" not found");
            return Result.requeueAfter(MISSING_CLASS_RETRY);
        }
        return bind(claim, provision(claim, storage.get(), className));
    }

    private String defaultClassName() {
        return classCache.lister().list().stream()
                .filter(sc -> "true".equals(sc.metadata().annotations().get(DEFAULT_CLASS)))
                .map(sc -> sc.metadata().name()).sorted().findFirst().orElse(null);
    }

    /** kube's static binding: an Available, unclaimed (or pre-bound to this claim) volume that fits, the smallest. */
    private Optional<GenericObject> availableVolumeFor(GenericObject claim, String storage, String className) {
        Quantity wanted = Quantity.parse(storage);
        List<?> modes = claim.at("spec.accessModes", List.class).orElse(List.of());
        String wantedClass = className == null ? "" : className;
        return volumeCache.lister().list().stream()
                .filter(pv -> pv.metadata().deletionTimestamp() == null)
                .filter(pv -> "Available".equals(pv.at("status.phase", String.class).orElse("Available")))
                .filter(pv -> pv.at("spec.claimRef.uid", String.class).map(claim.metadata().uid()::equals)
                        .orElse(pv.at("spec.claimRef.name", String.class).isEmpty()))
                .filter(pv -> wantedClass.equals(pv.at("spec.storageClassName", String.class).orElse("")))
                .filter(pv -> pv.at("spec.accessModes", List.class).orElse(List.of()).containsAll(modes))
                .filter(pv -> capacity(pv).compareTo(wanted) >= 0)
                .min(Comparator.comparing(PersistentVolumeBinder::capacity));
    }

    private static Quantity capacity(GenericObject pv) {
        return pv.at("spec.capacity.storage", String.class).map(Quantity::parse).orElse(Quantity.ZERO);
    }

    private GenericObject provision(GenericObject claim, String storage, String className) {
        String reclaim = className == null ? "Delete" : classCache.lister().get(className)
                .flatMap(sc -> sc.at("reclaimPolicy", String.class)).orElse("Delete");
        GenericObject volume = SimulatedProvisioner.volumeFor(claim, storage, className, reclaim);
        try {
            GenericObject created = volumes.create(volume);
            events.normal(claim, "ProvisioningSucceeded", "Successfully provisioned volume " + created.metadata().name()
                    + " (" + SimulatedProvisioner.NAME + ")");
            log.info("provisioned {} for claim {}", created.metadata().name(), claim.key());
            return created;
        } catch (KubeApiException.AlreadyExistsException again) {
            return volumes.get(null, volume.metadata().name()); // provisioned by an earlier reconcile
        }
    }

    /** Both halves of a binding, each written only when it differs: the volume's claimRef and phase, the claim's volumeName and phase. */
    private Result bind(GenericObject claim, GenericObject volume) {
        String boundUid = volume.at("spec.claimRef.uid", String.class).orElse(null);
        if (boundUid != null && !boundUid.equals(claim.metadata().uid())) {
            events.warning(claim, "FailedBinding", "volume " + volume.metadata().name() + " is bound to another claim");
            return Result.done();
        }
        if (boundUid == null) {
            volume = volumes.update(volume.withAt("spec.claimRef", SimulatedProvisioner.claimRef(claim)));
        }
        GenericStatusUpdates.write(volumes, volume, Map.of("phase", "Bound"));
        String volumeName = volume.metadata().name();
        if (!volumeName.equals(claim.at("spec.volumeName", String.class).orElse(null))
                || !"yes".equals(claim.metadata().annotations().get(BIND_COMPLETED))) {
            claim = claims.update(claim.withAt("spec.volumeName", volumeName).withMetadata(claim.metadata().toBuilder()
                    .annotation(BIND_COMPLETED, "yes").annotation(BOUND_BY_CONTROLLER, "yes").build()));
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("phase", "Bound");
        status.put("accessModes", volume.at("spec.accessModes", List.class).orElse(List.of()));
        volume.at("spec.capacity", Map.class).ifPresent(c -> status.put("capacity", c));
        writeClaimStatus(claim, status);
        return Result.done();
    }

    private void writeClaimStatus(GenericObject claim, Map<String, Object> status) {
        GenericStatusUpdates.write(claims, claim, status);
    }

    /** The claim is gone: its volumes are deleted, or Released when their policy is Retain. */
    @Override
    public Result reconcileAbsent(Request request) {
        for (GenericObject pv : volumeCache.lister().list()) {
            boolean ours = Objects.equals(request.namespace(), pv.at("spec.claimRef.namespace", String.class).orElse(null))
                    && request.name().equals(pv.at("spec.claimRef.name", String.class).orElse(null));
            if (!ours || pv.metadata().deletionTimestamp() != null) {
                continue;
            }
            String policy = pv.at("spec.persistentVolumeReclaimPolicy", String.class).orElse("Retain");
            if ("Delete".equals(policy)) {
                try {
                    volumes.delete(null, pv.metadata().name());
                    log.info("deleted volume {}: its claim {} is gone", pv.metadata().name(), request);
                } catch (KubeApiException.NotFoundException gone) {
                    // already deleted
                }
            } else {
                GenericStatusUpdates.write(volumes, pv, Map.of("phase", "Released"));
            }
        }
        return Result.done();
    }
}
