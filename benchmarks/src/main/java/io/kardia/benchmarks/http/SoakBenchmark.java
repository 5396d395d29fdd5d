package io.kardia.benchmarks.http;

import com.google.common.util.concurrent.RateLimiter;
import io.kardia.core.model.ResourceTypes;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import io.kardia.store.http.ApiServer;
import io.kardia.store.http.BearerTokenAuthenticator;
import io.kardia.store.journal.FileJournal;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Soak: hours-long behaviour in minutes. {@code writers} keep-alive clients create, update (PUT),
 * merge-patch and delete ConfigMaps over HTTP on a bounded set of names each, at a fixed total
 * rate; {@code watchers} raw watch streams follow every change in the namespace. Everything runs in
 * one JVM against an in-process store with its default options on loopback. Reports, at the
 * start, every {@code report} seconds and at the end: heap in use after a full GC, RSS
 * (/proc/self/status), ops/s, events delivered/s, errors, watcher restarts.
 *
 * <pre>
 * java -Xmx2g -cp benchmarks/target/benchmarks.jar io.kardia.benchmarks.http.SoakBenchmark minutes=30
 * java -Xmx2g -cp benchmarks/target/benchmarks.jar io.kardia.benchmarks.http.SoakBenchmark smoke
 * </pre>
 *
 * Parameters (name=value): minutes (30; {@code smoke} = 1 minute, reports every 10 s), writers (8),
 * watchers (200), rate (total writes/s, 500; 0 = as fast as they go), keys (names per writer,
 * 500), report (seconds between reports, 60), store (memory or disk: a journal in a temporary
 * directory, fsync included), history (revisions of history the store keeps; default the store's
 * 20,000 — what bounds most of the heap, see benchmarks/README.md).
 */
public final class SoakBenchmark {
    private static final String NAMESPACE = "soak";
    private static final byte[] RV = "\"resourceVersion\":\"".getBytes(StandardCharsets.US_ASCII);

    private final LongAdder ops = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final LongAdder watchRestarts = new LongAdder();
    private final AtomicBoolean stop = new AtomicBoolean();
    private volatile String lastError = "";

    public static void main(String[] args) throws Exception {
        Map<String, String> p = new java.util.HashMap<>();
        for (String a : args) {
            if (a.equals("smoke")) {
                p.put("minutes", "1");
                p.putIfAbsent("report", "10");
            } else {
                int eq = a.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("parameters are name=value (or smoke), got " + a);
                }
                p.put(a.substring(0, eq), a.substring(eq + 1));
            }
        }
        new SoakBenchmark().run(
                Duration.ofSeconds(Math.round(Double.parseDouble(p.getOrDefault("minutes", "30")) * 60)),
                Integer.parseInt(p.getOrDefault("writers", "8")),
                Integer.parseInt(p.getOrDefault("watchers", "200")),
                Double.parseDouble(p.getOrDefault("rate", "500")),
                Integer.parseInt(p.getOrDefault("keys", "500")),
                Duration.ofSeconds(Long.parseLong(p.getOrDefault("report", "60"))),
                p.getOrDefault("store", "memory"),
                Long.parseLong(p.getOrDefault("history", String.valueOf(StoreOptions.defaults().historyRevisions()))));
    }

    private void run(Duration length, int writers, int watchers, double rate, int keys, Duration every, String storeKind,
                     long history) throws Exception {
        Path dir = null;
        ReferenceStore store;
        StoreOptions options = StoreOptions.defaults().withHistory(history, StoreOptions.defaults().historyAge());
        if (storeKind.equals("disk")) {
            dir = Files.createTempDirectory("kardia-soak");
            store = ReferenceStore.open(options, FileJournal.open(dir));
        } else if (storeKind.equals("memory")) {
            store = ReferenceStore.inMemory(options);
        } else {
            throw new IllegalArgumentException("store is memory or disk, got " + storeKind);
        }
        String token = BearerTokenAuthenticator.newToken();
        ApiServer server = ApiServer.start(store, "127.0.0.1", 0, token, null);
        store.create(ResourceTypes.NAMESPACE, null, HttpBenchServer.tree(
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + NAMESPACE + "\"}}"), null);
        System.out.printf(Locale.ROOT, "soak: %s, %d writers (%s writes/s in all, %d names each), %d watchers, store %s "
                        + "(history %d revisions), max heap %d MiB, %d CPUs, load average %.1f%n",
                length, writers, rate > 0 ? String.valueOf(rate) : "unthrottled", keys, watchers, storeKind, history,
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("elapsed   heap-after-GC  RSS      objects  ops/s    events/s    errors  watch-restarts  load");
        report(Duration.ZERO, 0, 0, store);

        List<Thread> threads = new ArrayList<>();
        String watchPath = "/api/v1/namespaces/" + NAMESPACE + "/configmaps?watch=true&allowWatchBookmarks=true";
        for (int w = 0; w < watchers; w++) {
            threads.add(Thread.ofVirtual().name("soak-watch-" + w).start(() -> watch(server.port(), token, watchPath)));
        }
        RateLimiter limiter = rate > 0 ? RateLimiter.create(rate) : null;
        for (int w = 0; w < writers; w++) {
            int writer = w;
            threads.add(Thread.ofPlatform().name("soak-writer-" + w).start(() -> write(server.port(), token, writer, keys, limiter)));
        }

        long start = System.nanoTime();
        long end = start + length.toNanos();
        long lastOps = 0;
        long lastEvents = 0;
        long lastAt = start;
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(every.toMillis(), Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            long now = System.nanoTime();
            long o = ops.sum();
            long e = events.sum();
            double seconds = (now - lastAt) / 1e9;
            report(Duration.ofNanos(now - start), (o - lastOps) / seconds, (e - lastEvents) / seconds, store);
            lastOps = o;
            lastEvents = e;
            lastAt = now;
        }
        stop.set(true);
        server.close(); // ends the watches
        for (Thread t : threads) {
            t.join(10_000);
        }
        double total = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "done: %d writes (%.0f/s), %d events delivered (%.0f/s), %d errors%s, %d watch restarts%n",
                ops.sum(), ops.sum() / total, events.sum(), events.sum() / total, errors.sum(),
                errors.sum() == 0 ? "" : " (last: " + lastError + ")", watchRestarts.sum());
        store.close();
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** One writer: its own names, cycling create → (update | patch)* → delete, at its share of the rate. */
    private void write(int port, String token, int writer, int keys, RateLimiter limiter) {
        String base = "/api/v1/namespaces/" + NAMESPACE + "/configmaps";
        boolean[] exists = new boolean[keys];
        long[] generation = new long[keys];
        String filler = "x".repeat(700); // ~1 KB objects
        KeepAliveClient client = null;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (long i = 0; !stop.get(); i++) {
            if (limiter != null) {
                limiter.acquire();
            }
            int k = (int) (i % keys);
            String name = "w" + writer + "-" + k;
            try {
                if (client == null) {
                    client = new KeepAliveClient(port);
                }
                int code;
                if (!exists[k]) {
                    code = client.send("POST", base, token, configMap(name, ++generation[k], filler));
                    exists[k] = code == 201;
                    count(code, 201, "create " + name);
                } else {
                    int dice = random.nextInt(100);
                    if (dice < 55) {
                        code = client.send("PUT", base + "/" + name, token, configMap(name, ++generation[k], filler));
                        count(code, 200, "update " + name);
                    } else if (dice < 85) {
                        code = client.send("PATCH", base + "/" + name, token, "application/merge-patch+json",
                                ("{\"data\":{\"generation\":\"" + (++generation[k]) + "\"}}").getBytes(StandardCharsets.UTF_8));
                        count(code, 200, "patch " + name);
                    } else {
                        code = client.send("DELETE", base + "/" + name, token, new byte[0]);
                        exists[k] = false;
                        count(code, 200, "delete " + name);
                    }
                }
            } catch (IOException e) {
                if (stop.get()) {
                    break; // the server closed at the end of the run
                }
                errors.increment();
                lastError = e.toString();
                try {
                    if (client != null) {
                        client.close();
                    }
                } catch (IOException ignored) {
                    // reconnecting anyway
                }
                client = null;
            }
        }
        if (client != null) {
            try {
                client.close();
            } catch (IOException ignored) {
                // done
            }
        }
    }

    private void count(int code, int expected, String what) {
        ops.increment();
        if (code != expected) {
            errors.increment();
            lastError = what + " answered " + code;
        }
    }

    private static byte[] configMap(String name, long generation, String filler) {
        return ("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                + "\",\"labels\":{\"app\":\"soak\"}},\"data\":{\"generation\":\"" + generation + "\",\"filler\":\""
                + filler + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    /** One watcher: counts events; a stream that ends (cut off as too slow, timed out) is started again. */
    private void watch(int port, String token, String path) {
        while (!stop.get()) {
            try (RawWatchStream stream = new RawWatchStream(port, token, path)) {
                while (stream.nextStamp(RV) >= 0) {
                    events.increment();
                }
            } catch (IOException e) {
                if (stop.get()) {
                    return;
                }
            }
            if (!stop.get()) {
                watchRestarts.increment();
            }
        }
    }

    private void report(Duration elapsed, double opsPerSecond, double eventsPerSecond, ReferenceStore store) {
        ManagementFactory.getMemoryMXBean().gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long objects = store.list(ResourceTypes.CONFIG_MAP, NAMESPACE, io.kardia.core.client.ListOptions.all()).items().size();
        System.out.printf(Locale.ROOT, "%-9s %9.1f MiB  %-8s %7d  %-8.0f %-11.0f %-7d %-15d %.1f   %s%n",
                format(elapsed), heap / 1048576.0, rss(), objects, opsPerSecond, eventsPerSecond, errors.sum(),
                watchRestarts.sum(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Instant.now());
    }

    private static String format(Duration d) {
        return String.format(Locale.ROOT, "%02d:%02d", d.toMinutes(), d.toSecondsPart());
    }

    /** VmRSS from /proc/self/status, or "n/a" where there is none. */
    private static String rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return (kb >> 10) + " MiB";
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "n/a";
    }
}
