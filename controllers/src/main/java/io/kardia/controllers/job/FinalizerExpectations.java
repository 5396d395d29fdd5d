package io.kardia.controllers.job;

import io.kardia.core.model.Pod;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Pods whose tracking finalizer the controller removed and whose cached copy may still show it:
 * until the cache catches up they must not be counted again (kube's {@code finalizerExpectations}).
 */
final class FinalizerExpectations {
    private final Map<String, Set<String>> byJob = new ConcurrentHashMap<>();

    void expectRemoved(String jobKey, String podUid) {
        byJob.computeIfAbsent(jobKey, k -> ConcurrentHashMap.newKeySet()).add(podUid);
    }

    /** The uids still expected, after dropping those whose pod the cache shows without the finalizer or not at all. */
    Set<String> pending(String jobKey, Function<String, Pod> cachedByUid) {
        Set<String> uids = byJob.get(jobKey);
        if (uids == null) {
            return Set.of();
        }
        uids.removeIf(uid -> {
            Pod p = cachedByUid.apply(uid);
            return p == null || !p.metadata().finalizers().contains(JobController.TRACKING_FINALIZER);
        });
        if (uids.isEmpty()) {
            byJob.remove(jobKey, uids);
            return Set.of();
        }
        return Set.copyOf(uids);
    }

    void forget(String jobKey) {
        byJob.remove(jobKey);
    }
}
