package io.kardia.controllers.job;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per Job, the failures since its last success and when the last one happened, as
 * kube-controller-manager's in-memory {@code backoffStore}: a replacement pod waits for the back-off
 * of that many failures after the last one. Lost on restart (as there), which only shortens a wait.
 */
final class PodBackoffs {
    record Record(int failuresAfterLastSuccess, Instant lastFailure) {
        static final Record NONE = new Record(0, null);
    }

    private final Map<String, Record> byJob = new ConcurrentHashMap<>();

    Record get(String jobKey) {
        return byJob.getOrDefault(jobKey, Record.NONE);
    }

    /** Newly counted finished pods: a success resets the count, failures add to it. */
    void update(String jobKey, int newSucceeded, int newFailed, Instant lastFailure) {
        if (newSucceeded == 0 && newFailed == 0) {
            return;
        }
        Record r = get(jobKey);
        if (newSucceeded > 0) {
            r = Record.NONE;
        }
        if (newFailed > 0) {
            Instant last = r.lastFailure() == null || lastFailure.isAfter(r.lastFailure()) ? lastFailure : r.lastFailure();
            r = new Record(r.failuresAfterLastSuccess() + newFailed, last);
        }
        byJob.put(jobKey, r);
    }

    void forget(String jobKey) {
        byJob.remove(jobKey);
    }
}
