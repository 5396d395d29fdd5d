package io.kardia.benchmarks.informer;

import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Pod;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes at a steady rate: each write is a merge patch of one random pod's annotation with the
 * time it was sent, which the handlers turn into a write-to-handler latency.
 */
final class TimedWriter {
    private TimedWriter() {
    }

    /** Returns the number of writes made. */
    static int run(BenchStore store, int perSecond, int seconds, Random random) {
        ResourceClient<Pod> pods = store.client.resources(Pod.class);
        int total = perSecond * seconds;
        long interval = 1_000_000_000L / perSecond;
        long start = System.nanoTime();
        for (int k = 0; k < total; k++) {
            long due = start + k * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // pacing the load, not synchronisation
            }
            String[] ns = store.podNames.get(random.nextInt(store.podNames.size()));
            pods.patch(ns[0], ns[1], PatchType.MERGE, "{\"metadata\":{\"annotations\":{\"" + LatencyRecorder.ANNOTATION
                    + "\":\"" + System.nanoTime() + "\"}}}");
        }
        return total;
    }
}
