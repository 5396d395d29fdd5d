package io.kardia.benchmarks.informer;

import java.util.concurrent.atomic.AtomicInteger;

/** Collects write-to-handler latencies (nanoseconds) from the send time a write carried. */
final class LatencyRecorder {
    static final String ANNOTATION = "bench.kardia.io/sent-nanos";
    private final long[] samples;
    private final AtomicInteger count = new AtomicInteger();

    LatencyRecorder(int capacity) {
        samples = new long[capacity];
    }

    /** Called by a handler with the annotation value of the new object (null: not a timed write). */
    void arrived(String sentNanos, String previousSentNanos) {
        if (sentNanos == null || sentNanos.equals(previousSentNanos)) {
            return;
        }
        long latency = System.nanoTime() - Long.parseLong(sentNanos);
        int i = count.getAndIncrement();
        if (i < samples.length) {
            samples[i] = latency;
        }
    }

    int count() {
        return Math.min(count.get(), samples.length);
    }

    double p(double percentile) {
        return Measure.percentileMillis(samples, count(), percentile);
    }
}
