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

    /**
     * The record after newly counted finished pods (a success resets the count, failures add to
     * it), not yet stored: a sync stores it with {@link #put} only once its status write went
     * through, as kube's {@code newBackoffRecord}/{@code updateBackoffRecord}, so a sync retried
     * after a conflict does not count the same failed pods twice.
     */
    Record next(String jobKey, int newSucceeded, int newFailed, Instant lastFailure) {
        Record r = get(jobKey);
        if (newSucceeded > 0) {
            r = Record.NONE;
        }
        if (newFailed > 0) {
            Instant last = r.lastFailure() == null || lastFailure.isAfter(r.lastFailure()) ? lastFailure : r.lastFailure();
            r = new Record(r.failuresAfterLastSuccess() + newFailed, last);
        }
        return r;
    }

    void put(String jobKey, Record record) {
        if (record.equals(Record.NONE)) {
            byJob.remove(jobKey);
        } else {
            byJob.put(jobKey, record);
        }
    }

    void forget(String jobKey) {
        byJob.remove(jobKey);
    }
}
