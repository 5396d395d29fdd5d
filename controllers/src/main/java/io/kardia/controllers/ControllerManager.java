package io.kardia.controllers;

import io.kardia.controllers.cronjob.CronJobController;
import io.kardia.controllers.daemon.DaemonSetController;
import io.kardia.controllers.endpoints.EndpointSliceController;
import io.kardia.controllers.endpoints.EndpointsController;
import io.kardia.controllers.job.JobController;
import io.kardia.controllers.job.JobControllerOptions;
import io.kardia.controllers.lifecycle.CustomResourceCleanupController;
import io.kardia.controllers.lifecycle.NamespaceLifecycleController;
import io.kardia.controllers.node.NodeLifecycleController;
import io.kardia.controllers.node.NodeLifecycleOptions;
import io.kardia.controllers.scheduler.Scheduler;
import io.kardia.controllers.scheduler.SchedulerOptions;
import io.kardia.controllers.serviceaccount.ServiceAccountsController;
import io.kardia.controllers.statefulset.StatefulSetController;
import io.kardia.controllers.storage.PersistentVolumeBinder;
import io.kardia.controllers.workload.WorkloadControllers;
import io.kardia.core.client.KubeClient;
import io.kardia.runtime.Manager;
import io.kardia.runtime.ManagerBuilder;
import io.kardia.runtime.leader.LeaderElectionConfig;
import io.kardia.runtime.leader.LeadershipLossPolicy;
import java.time.Duration;

/**
 * The built-in controllers of a Kardia control plane on one leader-elected {@link Manager}: node
 * lifecycle, scheduler, the workload controllers with the garbage collector, Job and CronJob, the
 * StatefulSet and DaemonSet controllers, the PersistentVolume binder (simulated provisioning), the
 * {@code default} ServiceAccount of every namespace, EndpointSlices and Endpoints, and the namespace
 * and CRD cleanup lifecycles (which an API server without them, such as a store started without
 * its in-store lifecycle, needs for {@code kubectl delete namespace} to complete). A second process
 * started the same way stands by until the leader's lease runs out.
 */
public final class ControllerManager {
    /** The Lease in kube-system that the controller managers compete for. */
    public static final String LEADER_LEASE = "kardia-controller-manager";

    private ControllerManager() {
    }

    /** The lease the controller managers compete for, with client-go's default timings and a random identity. */
    public static LeaderElectionConfig leaderElection() {
        return LeaderElectionConfig.of("kube-system", LEADER_LEASE);
    }

    /** A started manager; close it to stop. On losing the lease it stops ({@link LeadershipLossPolicy#EXIT}). */
    public static Manager start(KubeClient client, NodeLifecycleOptions nodeOptions,
                                SchedulerOptions schedulerOptions, boolean leaderElection) throws InterruptedException {
        return start(client, nodeOptions, schedulerOptions, leaderElection, LeadershipLossPolicy.EXIT);
    }

    /** A started manager; close it to stop. {@code onLoss}: what it does on losing the leader lease. */
    public static Manager start(KubeClient client, NodeLifecycleOptions nodeOptions, SchedulerOptions schedulerOptions,
                                boolean leaderElection, LeadershipLossPolicy onLoss) throws InterruptedException {
        return start(client, nodeOptions, schedulerOptions, leaderElection ? leaderElection() : null, onLoss);
    }

    /**
     * A started manager, leader-elected on {@code election} (null: not leader-elected); close it to
     * stop. {@code onLoss}: what it does on losing the leader lease.
     */
    public static Manager start(KubeClient client, NodeLifecycleOptions nodeOptions, SchedulerOptions schedulerOptions,
                                LeaderElectionConfig election, LeadershipLossPolicy onLoss) throws InterruptedException {
        return start(client, nodeOptions, schedulerOptions, JobControllerOptions.defaults(), election, onLoss);
    }

    /**
     * As {@link #start(KubeClient, NodeLifecycleOptions, SchedulerOptions, LeaderElectionConfig,
     * LeadershipLossPolicy)}, the Job and CronJob controllers timed by {@code jobOptions} (a test's
     * clock, for one).
     */
    public static Manager start(KubeClient client, NodeLifecycleOptions nodeOptions, SchedulerOptions schedulerOptions,
                                JobControllerOptions jobOptions, LeaderElectionConfig election,
                                LeadershipLossPolicy onLoss) throws InterruptedException {
        ManagerBuilder builder = Manager.builder(client).gracefulShutdownTimeout(Duration.ofSeconds(5));
        if (election != null) {
            builder.leaderElection(election).onLeadershipLoss(onLoss);
        }
        Manager manager = builder.build();
        NodeLifecycleController.register(manager, nodeOptions);
        Scheduler.register(manager, schedulerOptions);
        WorkloadControllers.register(manager);
        JobController.register(manager, jobOptions);
        CronJobController.register(manager, jobOptions);
        StatefulSetController.register(manager);
        DaemonSetController.register(manager);
        PersistentVolumeBinder.register(manager);
        ServiceAccountsController.register(manager);
        EndpointSliceController.register(manager);
        EndpointsController.register(manager);
        NamespaceLifecycleController.register(manager);
        CustomResourceCleanupController.register(manager);
        manager.start();
        return manager;
    }
}
