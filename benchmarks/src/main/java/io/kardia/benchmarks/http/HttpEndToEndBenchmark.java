package io.kardia.benchmarks.http;

import io.kardia.core.client.PatchType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.store.http.KubeconfigWriter;
import io.kardia.store.http.TlsMaterial;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * End-to-end measurements of the HTTP server that do not fit JMH's shape:
 * <ul>
 *   <li>{@code fanout [seconds] [writes/s] [warm-up seconds]}: 200 watchers over HTTP, 1,000 writes/s,
 *       write-to-delivery latency percentiles (from each write's intended start, so a stalled writer
 *       cannot hide delay; every event must reach every watcher). With a warm-up (default 0) the
 *       first seconds of writes run the same way but are reported on their own line, apart from the
 *       result (they measure JIT compilation more than the server). {@code -Dfanout.timeline=true}
 *       adds percentiles per 250 ms of writes.</li>
 *   <li>{@code kubectl}: wall time of {@code kubectl get pods} over 10,000 pods (TLS, as users run it);</li>
 *   <li>{@code memory}: heap in use after GC with 50,000 pods and 200 idle watchers.</li>
 * </ul>
 * Run: {@code java -Xmx2g -cp benchmarks/target/benchmarks.jar io.kardia.benchmarks.http.HttpEndToEndBenchmark fanout 10 1000 3}
 */
public final class HttpEndToEndBenchmark {
    private static final int WATCHERS = 200;
    private static final byte[] STAMP_BYTES = "\"bench.kardia.io/t\":\"".getBytes(StandardCharsets.US_ASCII);

    private HttpEndToEndBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "fanout";
        switch (what) {
            case "fanout" -> fanOut(args.length > 1 ? Integer.parseInt(args[1]) : 10,
                    args.length > 2 ? Integer.parseInt(args[2]) : 1000, args.length > 3 ? Integer.parseInt(args[3]) : 0);
            case "kubectl" -> kubectlGetPods(10_000, 5);
            case "memory" -> memory(50_000);
            default -> throw new IllegalArgumentException("unknown measurement " + what + ": fanout | kubectl | memory");
        }
        System.exit(0);
    }

    // ------------------------------------------------------------------ fan-out

    static void fanOut(int seconds, int writesPerSecond, int warmupSeconds) throws Exception {
        if (seconds < 1 || writesPerSecond < 1 || warmupSeconds < 0) {
            throw new IllegalArgumentException("fanout needs seconds >= 1, writes/s >= 1, warm-up seconds >= 0");
        }
        try (HttpBenchServer s = new HttpBenchServer()) {
            int objects = 100;
            s.loadPods(objects, "f-");
            String rv = Long.toString(s.store.currentRevision());
            int warmupWrites = warmupSeconds * writesPerSecond;
            int writes = warmupWrites + seconds * writesPerSecond;
            long[][] latencies = new long[WATCHERS][writes];
            AtomicInteger[] counts = new AtomicInteger[WATCHERS];
            LongAdder chunks = new LongAdder();
            LongAdder reads = new LongAdder();
            CountDownLatch established = new CountDownLatch(WATCHERS);
            CountDownLatch finished = new CountDownLatch(WATCHERS);
            ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
            for (int w = 0; w < WATCHERS; w++) {
                int id = w;
                counts[w] = new AtomicInteger();
                threads.submit(() -> {
                    try (RawWatchStream watch = new RawWatchStream(s.server.port(), s.token, "/api/v1/namespaces/"
                            + HttpBenchServer.NAMESPACE + "/pods?watch=1&resourceVersion=" + rv + "&timeoutSeconds="
                            + (warmupSeconds + seconds + 120))) {
                        established.countDown();
                        for (long sent = watch.nextStamp(STAMP_BYTES); sent >= 0; sent = watch.nextStamp(STAMP_BYTES)) {
                            long now = System.nanoTime();
                            int n = counts[id].getAndIncrement();
                            if (n < writes) {
                                latencies[id][n] = now - sent;
                            }
                            if (n + 1 == writes) {
                                chunks.add(watch.chunks());
                                reads.add(watch.reads());
                                finished.countDown();
                                break;
                            }
                        }
                    }
                    return null;
                });
            }
            if (!established.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("watchers not established");
            }
            long[] writeLag = new long[writes]; // intended start to the write's return: the writer's own delay
            long period = 1_000_000_000L / writesPerSecond;
            long start = System.nanoTime() + 50_000_000L;
            GcPauses gc = null;
            for (int i = 0; i < writes; i++) {
                long intended = start + i * period;
                long wait;
                while ((wait = intended - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (i == warmupWrites) {
                    gc = GcPauses.start();
                }
                String patch = "{\"metadata\":{\"annotations\":{\"bench.kardia.io/t\":\"" + intended + "\"}}}";
                s.store.patch(ResourceTypes.POD, HttpBenchServer.NAMESPACE, "f-" + (i % objects), PatchType.MERGE,
                        patch.getBytes(StandardCharsets.UTF_8), null);
                writeLag[i] = System.nanoTime() - intended;
            }
            long writeEnd = System.nanoTime();
            boolean all = finished.await(120, TimeUnit.SECONDS);
            List<Long> pauses = gc.stop();
            threads.shutdownNow();
            int[] seen = Arrays.stream(counts).mapToInt(c -> Math.min(c.get(), writes)).toArray();
            long delivered = Arrays.stream(seen).asLongStream().sum();
            System.out.printf("fan-out: %d watchers, %d writes at %d/s (achieved %.0f/s), %d of %d events delivered%s%n",
                    WATCHERS, writes, writesPerSecond, writes / ((writeEnd - start) / 1e9), delivered,
                    (long) WATCHERS * writes, all ? "" : " (INCOMPLETE)");
            System.out.printf("per watcher: %.2f events per chunk, %.2f events per socket read%n",
                    delivered / (double) chunks.sum(), delivered / (double) reads.sum());
            if (Boolean.getBoolean("fanout.timeline")) {
                printTimeline(latencies, seen, writes, writesPerSecond);
            }
            if (warmupWrites > 0) {
                System.out.printf("warm-up, first %d s (not in the result below): %s%n", warmupSeconds,
                        percentiles(latencies, seen, 0, warmupWrites));
            }
            long[] lag = Arrays.copyOfRange(writeLag, warmupWrites, writes);
            Arrays.sort(lag);
            System.out.printf("measured %d s: GC pauses %d, total %d ms, longest %d ms; writer (intended start to patch"
                    + " returned) ms: p50 %.2f  p99 %.2f  max %.2f%n", seconds, pauses.size(),
                    pauses.stream().mapToLong(Long::longValue).sum(), pauses.stream().mapToLong(Long::longValue).max().orElse(0),
                    pct(lag, 50), pct(lag, 99), lag[lag.length - 1] / 1e6);
            System.out.printf("latency ms: %s%n", percentiles(latencies, seen, warmupWrites, writes));
        }
    }

    /** Write-to-delivery percentiles of writes {@code from} (inclusive) to {@code to} over every watcher. */
    private static String percentiles(long[][] latencies, int[] seen, int from, int to) {
        long[] sorted = new long[(to - from) * latencies.length];
        int k = 0;
        for (int w = 0; w < latencies.length; w++) {
            for (int i = from; i < Math.min(seen[w], to); i++) {
                sorted[k++] = latencies[w][i];
            }
        }
        sorted = Arrays.copyOf(sorted, k);
        if (k == 0) {
            return "no events delivered";
        }
        Arrays.sort(sorted);
        return String.format("p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f", pct(sorted, 50), pct(sorted, 90),
                pct(sorted, 99), pct(sorted, 99.9), sorted[k - 1] / 1e6);
    }

    /** Per 250 ms of intended write time: p50 and max over all watchers (shows whether the tail is a few stalls or spread out). */
    private static void printTimeline(long[][] latencies, int[] seen, int writes, int writesPerSecond) {
        int window = Math.max(1, writesPerSecond / 4);
        for (int from = 0; from < writes; from += window) {
            int to = Math.min(writes, from + window);
            long[] slice = new long[(to - from) * latencies.length];
            int k = 0;
            for (int w = 0; w < latencies.length; w++) {
                int n = Math.min(seen[w], to);
                for (int i = from; i < n; i++) {
                    slice[k++] = latencies[w][i];
                }
            }
            long[] sorted = Arrays.copyOf(slice, k);
            Arrays.sort(sorted);
            if (k > 0) {
                System.out.printf("t=%5.2fs p50 %7.2f p99 %7.2f max %7.2f%n", from / (double) writesPerSecond,
                        pct(sorted, 50), pct(sorted, 99), sorted[k - 1] / 1e6);
            }
        }
    }

    private static double pct(long[] sorted, double p) {
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    // ------------------------------------------------------------------ kubectl

    static void kubectlGetPods(int pods, int runs) throws Exception {
        Path dir = Files.createTempDirectory("kardia-kubectl-bench");
        try (HttpBenchServer plain = new HttpBenchServer()) {
            TlsMaterial tls = TlsMaterial.ensure(dir.resolve("tls"));
            try (var server = io.kardia.store.http.ApiServer.start(plain.store, "127.0.0.1", 0, plain.token, tls.sslContext())) {
                Path kubeconfig = dir.resolve("kubeconfig");
                KubeconfigWriter.write(kubeconfig, server.url(), plain.token, tls.caPem());
                plain.loadPods(pods, "k-");
                for (String output : new String[] {"table", "json"}) {
                    List<Long> times = new ArrayList<>();
                    long bytes = 0;
                    for (int i = 0; i < runs + 1; i++) {
                        List<String> cmd = new ArrayList<>(List.of("kubectl", "get", "pods", "-n", HttpBenchServer.NAMESPACE));
                        if (output.equals("json")) {
                            cmd.addAll(List.of("-o", "json"));
                        }
                        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
                        pb.environment().put("KUBECONFIG", kubeconfig.toString());
                        pb.environment().put("HOME", dir.toString());
                        long t0 = System.nanoTime();
                        Process p = pb.start();
                        try (InputStream in = p.getInputStream()) {
                            bytes = in.transferTo(java.io.OutputStream.nullOutputStream());
                        }
                        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                            throw new IllegalStateException("kubectl failed");
                        }
                        if (i > 0) { // the first run fills kubectl's discovery cache
                            times.add(System.nanoTime() - t0);
                        }
                    }
                    times.sort(null);
                    System.out.printf("kubectl get pods (%s) over %d pods: median %.0f ms, min %.0f ms, max %.0f ms, %d bytes of output%n",
                            output, pods, times.get(times.size() / 2) / 1e6, times.get(0) / 1e6,
                            times.get(times.size() - 1) / 1e6, bytes);
                }
            }
        }
    }

    // ------------------------------------------------------------------ memory

    static void memory(int pods) throws Exception {
        try (HttpBenchServer s = new HttpBenchServer()) {
            s.loadPods(pods, "m-");
            CountDownLatch established = new CountDownLatch(WATCHERS);
            ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
            for (int w = 0; w < WATCHERS; w++) {
                threads.submit(() -> {
                    HttpResponse<InputStream> r = s.http.send(s.request("/api/v1/namespaces/" + HttpBenchServer.NAMESPACE
                            + "/pods?watch=1&resourceVersion=" + s.store.currentRevision()).GET().build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                    established.countDown();
                    try (InputStream in = r.body()) {
                        in.transferTo(java.io.OutputStream.nullOutputStream());
                    }
                    return null;
                });
            }
            if (!established.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("watchers not established");
            }
            var memory = ManagementFactory.getMemoryMXBean();
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            long used = memory.getHeapMemoryUsage().getUsed();
            System.out.printf("heap in use after GC: %.0f MiB with %d pods and %d idle watchers (clients in the same JVM included)%n",
                    used / 1048576.0, pods, WATCHERS);
            threads.shutdownNow();
        }
    }
}
