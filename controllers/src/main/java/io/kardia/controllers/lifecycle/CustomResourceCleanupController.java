package io.kardia.controllers.lifecycle;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.KubeClientException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.CustomResourceDefinition;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ResourceType;
import io.kardia.runtime.Conflicts;
import io.kardia.runtime.EventFilters;
import io.kardia.runtime.Finalizers;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Result;
import io.kardia.runtime.StatusUpdates;
import io.kardia.runtime.TypedReconciler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * apiextensions-apiserver's CRD finalizer: a deleted CustomResourceDefinition (held by the
 * {@code customresourcecleanup.apiextensions.k8s.io} finalizer) has every one of its custom
 * objects deleted through the API; once none is left, the finalizer is removed and the API server
 * removes the definition. Its {@code Terminating} condition follows along with the reasons
 * apiextensions uses ({@code InstanceDeletionInProgress}, {@code InstanceDeletionFailed},
 * {@code InstanceDeletionCheck}, {@code InstanceDeletionCompleted}).
 */
public final class CustomResourceCleanupController implements TypedReconciler<CustomResourceDefinition> {
    public static final String FINALIZER = "customresourcecleanup.apiextensions.k8s.io";
    static final Duration RECHECK = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(CustomResourceCleanupController.class);

    private final KubeClient api;
    private final ResourceClient<CustomResourceDefinition> crds;
    private final Clock clock;

    private CustomResourceCleanupController(KubeClient api, Clock clock) {
        this.api = api;
        this.crds = api.resources(CustomResourceDefinition.class);
        this.clock = clock;
    }

    /** Adds the CRD cleanup controller to {@code manager}. */
    public static CustomResourceCleanupController register(Manager manager) {
        CustomResourceCleanupController c = new CustomResourceCleanupController(manager.apiClient(), Clock.systemUTC());
        manager.newController()
                .forKind(CustomResourceDefinition.class)
                .named("crd-cleanup")
                .withEventFilter(EventFilters.matching(crd -> crd.metadata().isBeingDeleted()))
                .complete(c);
        return c;
    }

    @Override
    public Result reconcile(CustomResourceDefinition cached) {
        if (!cached.metadata().isBeingDeleted() || !Finalizers.has(cached, FINALIZER)) {
            return Result.done();
        }
        CustomResourceDefinition crd = crds.find(null, cached.metadata().name()).orElse(null);
        if (crd == null || !crd.metadata().isBeingDeleted() || !Finalizers.has(crd, FINALIZER)) {
            return Result.done();
        }
        ResourceType<GenericObject> type;
        try {
            type = crd.storageResourceType();
        } catch (IllegalArgumentException noVersions) {
            removeFinalizer(crd); // nothing can have been stored
            return Result.done();
        }
        crd = terminating(crd, "InstanceDeletionInProgress", "CustomResource deletion is in progress");
        ResourceClient<GenericObject> objects = api.resources(type);
        List<GenericObject> left;
        try {
            for (GenericObject o : objects.list(null).items()) {
                if (!o.metadata().isBeingDeleted()) {
                    try {
                        objects.delete(o.metadata().namespace(), o.metadata().name());
                    } catch (KubeApiException.NotFoundException gone) {
                        // deleted meanwhile
                    }
                }
            }
        } catch (KubeApiException | KubeClientException e) {
            terminating(crd, "InstanceDeletionFailed", "could not delete CustomResources: " + e.getMessage());
            return Result.requeueAfter(RECHECK);
        }
        try {
            left = objects.list(null).items();
        } catch (KubeApiException | KubeClientException e) {
            terminating(crd, "InstanceDeletionCheck", "could not confirm zero CustomResources remaining: " + e.getMessage());
            return Result.requeueAfter(RECHECK);
        }
        if (!left.isEmpty()) {
            terminating(crd, "InstanceDeletionCheck", "could not confirm zero CustomResources remaining: "
                    + left.size() + " " + type.plural() + " still exist, waiting for their finalizers");
            return Result.requeueAfter(RECHECK);
        }
        crd = StatusUpdates.updateStatus(crds, crd, current -> current.withStatus(StatusConditions.set(current.status(),
                "Terminating", false, "InstanceDeletionCompleted", "Removed all instances", clock.instant())));
        removeFinalizer(crd);
        log.info("custom resource definition {} cleaned up: its objects are gone", crd.metadata().name());
        return Result.done();
    }

    /**
     * An update of the metadata, re-read on a conflict ({@link io.kardia.runtime.Finalizers}
     * takes only domain-qualified operator finalizers, and this one is Kubernetes' own).
     */
    private void removeFinalizer(CustomResourceDefinition crd) {
        try {
            Conflicts.retryOnConflict(crd, current -> crds.update(current.withMetadata(
                    current.metadata().toBuilder().removeFinalizer(FINALIZER).build())), Conflicts.sameObject(crds));
        } catch (KubeApiException.NotFoundException gone) {
            // removed meanwhile
        }
    }

    private CustomResourceDefinition terminating(CustomResourceDefinition crd, String reason, String message) {
        return StatusUpdates.updateStatus(crds, crd, current -> current.withStatus(
                StatusConditions.set(current.status(), "Terminating", true, reason, message, clock.instant())));
    }
}
