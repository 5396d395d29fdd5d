package io.kardia.benchmarks.informer;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/** Timing, heap and percentile helpers of the end-to-end informer benchmark. */
final class Measure {
    private Measure() {
    }

    /** Heap in use after full collections: repeated until three readings in a row agree within 256 KiB. */
    static long usedHeapAfterGc() throws InterruptedException {
        long last = Long.MAX_VALUE;
        int stable = 0;
        for (int i = 0; i < 12; i++) {
            System.gc();
            Thread.sleep(150); // lets concurrent phases and reference processing finish; not synchronisation
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            stable = Math.abs(last - used) < 256 * 1024 ? stable + 1 : 0;
            last = used;
            if (stable == 2) {
                break;
            }
        }
        return last;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The p-th percentile (0..100) of nanosecond samples, in milliseconds. */
    static double percentileMillis(long[] samples, int count, double p) {
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int index = (int) Math.min(count - 1, Math.ceil(p / 100.0 * count) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    static double millis(long nanos) {
        return nanos / 1e6;
    }

    /**
     * The highest heap in use while it runs, sampled every 0.5 ms on a platform thread: the store,
     * the server and the client share this JVM, so it is their peak together (garbage included).
     */
    static final class PeakHeap implements AutoCloseable {
        private volatile boolean running = true;
        private volatile long peak;
        private final Thread sampler;

        private PeakHeap() {
            sampler = Thread.ofPlatform().daemon().name("peak-heap").start(() -> {
                Runtime rt = Runtime.getRuntime();
                while (running) {
                    long used = rt.totalMemory() - rt.freeMemory();
                    if (used > peak) {
                        peak = used;
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(500_000);
                }
            });
        }

        static PeakHeap start() {
            return new PeakHeap();
        }

        long peak() {
            return peak;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            sampler.join();
        }
    }
}
