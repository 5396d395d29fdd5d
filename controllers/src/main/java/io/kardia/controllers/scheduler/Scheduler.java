package io.kardia.controllers.scheduler;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Condition;
import io.kardia.core.model.Node;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodStatus;
import io.kardia.informer.HandlerRegistration;
import io.kardia.informer.ResourceEventHandler;
import io.kardia.runtime.EventFilter;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Request;
import io.kardia.runtime.Result;
import io.kardia.runtime.TypedReconciler;
import io.kardia.runtime.event.EventRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds pending pods to nodes. Filters: node Ready and schedulable, NoSchedule/NoExecute taints
 * tolerated, nodeSelector matched, requests within allocatable minus what bound pods request.
 * Scores: least allocated, and replicas of one owner spread over nodes. An unschedulable pod gets
 * {@code PodScheduled=False} (reason Unschedulable) and a FailedScheduling Warning event, and is
 * retried whenever a node changes (and periodically).
 */
public final class Scheduler implements TypedReconciler<Pod> {
    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

    private final SchedulerOptions options;
    private final KubeClient api;
    private final ResourceClient<Pod> pods;
    private final EventRecorder events;
    private final ClusterView view = new ClusterView();
    private final Set<String> unschedulable = ConcurrentHashMap.newKeySet();
    private final java.util.Map<String, Integer> nodeSignatures = new ConcurrentHashMap<>();
    private final HandlerRegistration podFeed;
    private final HandlerRegistration nodeFeed;

    private Scheduler(Manager manager, SchedulerOptions options) {
        this.options = options;
        this.api = manager.apiClient();
        this.pods = api.resources(Pod.class);
        this.events = manager.eventRecorder(options.schedulerName());
        this.podFeed = manager.informers().informerFor(Pod.class).addEventHandler("scheduler-view",
                ResourceEventHandler.latestState(view::podChanged, pod -> {
                    view.podRemoved(pod);
                    unschedulable.remove(pod.key());
                }), Duration.ZERO);
        this.nodeFeed = manager.informers().informerFor(Node.class).addEventHandler("scheduler-view",
                ResourceEventHandler.latestState(view::nodeChanged, view::nodeRemoved), Duration.ZERO);
    }

    /** Adds the scheduler to {@code manager} (it runs while the manager leads, like its other controllers). */
    public static Scheduler register(Manager manager, SchedulerOptions options) {
        Scheduler scheduler = new Scheduler(manager, options);
        manager.newController()
                .forKind(Pod.class)
                .named("scheduler")
                .withEventFilter(scheduler.pendingPods())
                .watches(Node.class, scheduler::retryOnSchedulingChange)
                .maxConcurrentReconciles(options.workers())
                .complete(scheduler);
        return scheduler;
    }

    /**
     * Unschedulable pods are retried when a node changes in a way that can matter to them, not on
     * every heartbeat: 500 nodes rewrite their status all the time.
     */
    private List<Request> retryOnSchedulingChange(Node node) {
        int signature = Objects.hash(node.metadata().labels(), node.spec(), node.ready(),
                node.status() == null ? null : node.status().allocatable());
        Integer before = nodeSignatures.put(node.metadata().name(), signature);
        if (before != null && before == signature || unschedulable.isEmpty()) {
            return List.of();
        }
        return unschedulable.stream().map(Request::fromKey).toList();
    }

    private EventFilter<Pod> pendingPods() {
        return new EventFilter<>() {
            @Override
            public boolean create(Pod pod) {
                return isOurs(pod);
            }

            @Override
            public boolean update(Pod oldPod, Pod newPod) {
                return isOurs(newPod);
            }

            @Override
            public boolean delete(Pod pod) {
                return false;
            }
        };
    }

    boolean isOurs(Pod pod) {
        if (pod.spec() == null || pod.metadata().deletionTimestamp() != null) {
            return false;
        }
        String bound = pod.spec().nodeName();
        String name = pod.spec().schedulerName();
        boolean ours = name == null || name.isEmpty() || name.equals(options.schedulerName());
        String phase = pod.phase();
        return ours && (bound == null || bound.isEmpty())
                && !PodStatus.SUCCEEDED.equals(phase) && !PodStatus.FAILED.equals(phase);
    }

    @Override
    public Result reconcile(Pod pod) {
        if (!isOurs(pod)) {
            unschedulable.remove(pod.key());
            return Result.done();
        }
        if (!podFeed.hasSynced() || !nodeFeed.hasSynced()) {
            return Result.requeueAfter(Duration.ofMillis(100)); // the view is still filling
        }
        ClusterView.Decision decision = view.selectAndAssume(pod);
        if (decision.node() == null) {
            unschedulable.add(pod.key());
            markUnschedulable(pod, decision.message());
            return Result.requeueAfter(options.unschedulableRetry());
        }
        try {
            api.bindPod(pod.metadata().namespace(), pod.metadata().name(), decision.node());
            unschedulable.remove(pod.key());
            log.debug("bound {} to {}", pod.key(), decision.node());
            return Result.done();
        } catch (KubeApiException.ConflictException | KubeApiException.NotFoundException e) {
            // Bound by someone else, being deleted or gone: the informer brings the truth.
            view.forget(pod.key());
            log.debug("could not bind {}: {}", pod.key(), e.getMessage());
            return Result.done();
        } catch (RuntimeException e) {
            view.forget(pod.key());
            throw e;
        }
    }

    @Override
    public Result reconcileAbsent(Request request) {
        unschedulable.remove(request.key());
        view.forget(request.key());
        return Result.done();
    }

    private void markUnschedulable(Pod pod, String message) {
        PodStatus status = pod.status() == null ? PodStatus.ofPhase(PodStatus.PENDING) : pod.status();
        Condition current = Condition.find(status.conditions(), "PodScheduled").orElse(null);
        if (current != null && Condition.FALSE.equals(current.status()) && "Unschedulable".equals(current.reason())
                && Objects.equals(message, current.message())) {
            return;
        }
        Instant now = Instant.now();
        Condition c = Condition.of("PodScheduled", Condition.FALSE, "Unschedulable", message, null)
                .withLastTransitionTime(null);
        try {
            pods.updateStatus(pod.withStatus(status.withCondition(
                    new Condition(c.type(), c.status(), null, null, now, null, null, c.reason(), c.message(), null),
                    now)));
        } catch (KubeApiException.ConflictException | KubeApiException.NotFoundException e) {
            log.debug("pod {} changed while marking it unschedulable: {}", pod.key(), e.getMessage());
        }
        events.warning(pod, "FailedScheduling", message);
        log.info("pod {} is unschedulable: {}", pod.key(), message);
    }

    /** Pods currently known to fit nowhere (for tests and diagnostics). */
    public List<String> unschedulablePods() {
        return List.copyOf(unschedulable);
    }
}
