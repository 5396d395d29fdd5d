package io.kardia.controllers.workload;

import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The pod creates and deletes of a controller that tracks its writes in {@link PodExpectations}
 * (ReplicaSet, DaemonSet, Job), as kube-controller-manager's controllers share them: creates in
 * slow-start batches, each created pod recorded with the revision it was written at; deletes in
 * parallel, each recorded before it is sent, with the pod's uid as a precondition. The caller
 * turns a failure into its own Event.
 */
public final class PodWrites {
    private final ResourceClient<Pod> podApi;
    private final PodExpectations expectations;

    public PodWrites(ResourceClient<Pod> podApi, PodExpectations expectations) {
        this.podApi = podApi;
        this.expectations = expectations;
    }

    /** What a round of creates did: how many pods were created, and the first failure if one stopped it. */
    public record Created(int count, Optional<RuntimeException> failure) {
    }

    /**
     * Creates {@code pods} for the owner {@code ownerKey} in slow-start batches, stopping after the
     * first batch with a failure.
     */
    public Created create(String ownerKey, List<Pod> pods) {
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        int created = slowStartBatch(pods.size(), 1, () -> {
            try {
                Pod pod = podApi.create(pods.get(next.getAndIncrement()));
                expectations.created(ownerKey, pod.metadata().name(), revisionOf(pod));
                return true;
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
                return false;
            }
        });
        return new Created(created, Optional.ofNullable(created < pods.size() ? failure.get() : null));
    }

    /**
     * Deletes {@code victims} of the owner {@code ownerKey} in parallel; those {@code immediately}
     * accepts with a grace period of 0. A pod already gone, or replaced by another of its name,
     * needs no delete.
     *
     * @return the first failure, if any delete failed
     */
    public Optional<RuntimeException> delete(String ownerKey, List<Pod> victims, Predicate<Pod> immediately) {
        for (Pod p : victims) {
            expectations.deleted(ownerKey, p.metadata().name(), p.metadata().uid());
        }
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Pod p : victims) {
                exec.submit(() -> {
                    DeleteOptions options = DeleteOptions.DEFAULT.withPreconditions(p.metadata().uid(), null);
                    try {
                        podApi.delete(p.metadata().namespace(), p.metadata().name(),
                                immediately.test(p) ? options.withGracePeriodSeconds(0L) : options);
                    } catch (KubeApiException.NotFoundException | KubeApiException.ConflictException gone) {
                        // already gone, or replaced: nothing to delete
                    } catch (RuntimeException e) {
                        expectations.deleteFailed(ownerKey, p.metadata().name()); // it stays: do not wait to see it go
                        failure.compareAndSet(null, e);
                    }
                });
            }
        }
        return Optional.ofNullable(failure.get());
    }

    /**
     * Kubernetes' {@code slowStartBatch}: calls {@code create} in batches of 1, 2, 4, … in parallel,
     * stopping after the first batch with a failure, so a broken template costs one call, not hundreds.
     *
     * @return the number of successful calls
     */
    public static int slowStartBatch(int count, int initialBatch, BooleanSupplier create) {
        int remaining = count;
        int successes = 0;
        try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int batch = Math.min(remaining, initialBatch); batch > 0; batch = Math.min(2 * batch, remaining)) {
                List<Future<Boolean>> results = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) {
                    results.add(exec.submit(create::getAsBoolean));
                }
                int ok = 0;
                for (Future<Boolean> f : results) {
                    try {
                        if (f.get()) {
                            ok++;
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return successes + ok;
                    } catch (ExecutionException e) {
                        // counted as a failure
                    }
                }
                successes += ok;
                if (ok < batch) {
                    break;
                }
                remaining -= batch;
            }
        }
        return successes;
    }

    /** The store revision a pod was written at, as expectations compare it with a cache's; -1 if opaque. */
    public static long revisionOf(Pod pod) {
        try {
            return pod.metadata().resourceVersion() == null ? -1 : Long.parseLong(pod.metadata().resourceVersion());
        } catch (NumberFormatException opaque) {
            return -1;
        }
    }
}
