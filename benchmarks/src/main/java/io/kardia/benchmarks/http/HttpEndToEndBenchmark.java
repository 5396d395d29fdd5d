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
import java.util.concurrent.locks.LockSupport;

/**
 * End-to-end measurements of the HTTP server that do not fit JMH's shape:
 * <ul>
 *   <li>{@code fanout [seconds] [writes/s]}: 200 watchers over HTTP, 1,000 writes/s, write-to-delivery latency
 *       percentiles (from each write's intended start, so a stalled writer cannot hide delay);</li>
 *   <li>{@code kubectl}: wall time of {@code kubectl get pods} over 10,000 pods (TLS, as users run it);</li>
 *   <li>{@code memory}: heap in use after GC with 50,000 pods and 200 idle watchers.</li>
 * </ul>
 * Run: {@code java -cp benchmarks/target/benchmarks.jar io.kardia.benchmarks.http.HttpEndToEndBenchmark fanout 10}
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
                    args.length > 2 ? Integer.parseInt(args[2]) : 1000);
            case "kubectl" -> kubectlGetPods(10_000, 5);
            case "memory" -> memory(50_000);
            default -> throw new IllegalArgumentException("unknown measurement " + what + ": fanout | kubectl | memory");
        }
        System.exit(0);
    }

    // ------------------------------------------------------------------ fan-out

    static void fanOut(int seconds, int writesPerSecond) throws Exception {
        try (HttpBenchServer s = new HttpBenchServer()) {
            int objects = 100;
            s.loadPods(objects, "f-");
            String rv = Long.toString(s.store.currentRevision());
            int writes = seconds * writesPerSecond;
            long[][] latencies = new long[WATCHERS][writes];
            AtomicInteger[] counts = new AtomicInteger[WATCHERS];
            CountDownLatch established = new CountDownLatch(WATCHERS);
            CountDownLatch finished = new CountDownLatch(WATCHERS);
            ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
            for (int w = 0; w < WATCHERS; w++) {
                int id = w;
                counts[w] = new AtomicInteger();
                threads.submit(() -> {
                    try (RawWatchStream watch = new RawWatchStream(s.server.port(), s.token, "/api/v1/namespaces/"
                            + HttpBenchServer.NAMESPACE + "/pods?watch=1&resourceVersion=" + rv + "&timeoutSeconds=" + (seconds + 120))) {
                        established.countDown();
                        for (long sent = watch.nextStamp(STAMP_BYTES); sent >= 0; sent = watch.nextStamp(STAMP_BYTES)) {
                            long now = System.nanoTime();
                            int n = counts[id].getAndIncrement();
                            if (n < writes) {
                                latencies[id][n] = now - sent;
                            }
                            if (n + 1 == writes) {
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
            long period = 1_000_000_000L / writesPerSecond;
            long start = System.nanoTime() + 50_000_000L;
            for (int i = 0; i < writes; i++) {
                long intended = start + i * period;
                long wait;
                while ((wait = intended - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                String patch = "{\"metadata\":{\"annotations\":{\"bench.kardia.io/t\":\"" + intended + "\"}}}";
                s.store.patch(ResourceTypes.POD, HttpBenchServer.NAMESPACE, "f-" + (i % objects), PatchType.MERGE,
                        patch.getBytes(StandardCharsets.UTF_8), null);
            }
            long writeEnd = System.nanoTime();
            boolean all = finished.await(120, TimeUnit.SECONDS);
            threads.shutdownNow();
            int delivered = Arrays.stream(counts).mapToInt(c -> Math.min(c.get(), writes)).sum();
            long[] all1 = new long[delivered];
            int k = 0;
            for (int w = 0; w < WATCHERS; w++) {
                int n = Math.min(counts[w].get(), writes);
                System.arraycopy(latencies[w], 0, all1, k, n);
                k += n;
            }
            Arrays.sort(all1);
            System.out.printf("fan-out: %d watchers, %d writes at %d/s (achieved %.0f/s), %d of %d events delivered%s%n",
                    WATCHERS, writes, writesPerSecond, writes / ((writeEnd - start) / 1e9), delivered,
                    (long) WATCHERS * writes, all ? "" : " (INCOMPLETE)");
            System.out.printf("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
                    pct(all1, 50), pct(all1, 90), pct(all1, 99), pct(all1, 99.9), all1[all1.length - 1] / 1e6);
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
