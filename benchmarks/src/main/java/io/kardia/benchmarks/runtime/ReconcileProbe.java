package io.kardia.benchmarks.runtime;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a no-op reconciler reports: how many reconciles ran, and for timed writes (an annotation
 * carrying the writer's System.nanoTime) the write-to-reconcile latency, counted once per write.
 */
final class ReconcileProbe {
    static final String SENT = "bench.kardia.io/sent-nanos";

    private final AtomicInteger reconciles = new AtomicInteger();
    private final ConcurrentHashMap<String, String> lastSeen = new ConcurrentHashMap<>();
    private volatile long[] samples = new long[0];
    private final AtomicInteger sampleCount = new AtomicInteger();

    /** Called by the reconciler with the object's key and its sent-nanos annotation (null if none). */
    void reconciled(String key, String sentNanos) {
        if (sentNanos != null && !sentNanos.equals(lastSeen.put(key, sentNanos))) {
            long latency = System.nanoTime() - Long.parseLong(sentNanos);
            int i = sampleCount.getAndIncrement();
            long[] s = samples;
            if (i < s.length) {
                s[i] = latency;
            }
        }
        reconciles.incrementAndGet();
    }

    int reconciles() {
        return reconciles.get();
    }

    void resetCount() {
        reconciles.set(0);
    }

    void startLatency(int capacity) {
        sampleCount.set(0);
        samples = new long[capacity];
    }

    int samples() {
        return Math.min(sampleCount.get(), samples.length);
    }

    /** Percentile in milliseconds of the latencies recorded since {@link #startLatency}. */
    double percentileMillis(double p) {
        int n = samples();
        if (n == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        int idx = (int) Math.min(n - 1, Math.max(0, Math.ceil(p / 100.0 * n) - 1));
        return sorted[idx] / 1e6;
    }
}
