package io.kardia.controllers.workload;

import io.kardia.controllers.gc.GarbageCollector;
import io.kardia.runtime.Manager;

/**
 * The built-in workload controllers of kube-controller-manager, on one {@link Manager}: the
 * ReplicaSet controller, the Deployment controller and the garbage collector.
 */
public final class WorkloadControllers {

    private WorkloadControllers() {
    }

    /** Registers the ReplicaSet and Deployment controllers and the garbage collector; call before {@code manager.start()}. */
    public static void register(Manager manager) {
        ReplicaSetController.register(manager);
        DeploymentController.register(manager);
        GarbageCollector.register(manager);
    }
}
