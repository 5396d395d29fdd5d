package io.kardia.benchmarks.informer;

import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.store.http.ApiServer;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Informer sync over HTTP, side by side: sync time, and optionally the client's and the server's
 * peak heap during the sync and the heap the synced cache keeps per pod. Quicker than
 * {@link InformerEndToEndBenchmark} (no latency runs) and handy under a profiler. Each subject
 * syncs {@code warmups} times unmeasured, then {@code runs} times from a collected heap; medians
 * are reported.
 *
 * <p>With {@code server=fork} the store and its API server run in a JVM of their own
 * ({@link BenchServerProcess}, JVM flags from {@code serverJvm}), so the client's peak heap
 * (sampled here) and the server's (sampled there) are told apart; in-process (the default) the
 * peak is of both together.
 *
 * <p>Arguments: {@code pods=10000[,50000] runs=5 warmups=2 subjects=watchlist,fabric8,... server=in-process|fork
 * serverJvm="-Xmx4g" heap=false}, where a subject is {@code watchlist} / {@code list} (protobuf client),
 * {@code watchlist-json} / {@code list-json} (JSON client, the default one), {@code metadata} /
 * {@code metadata-list} (metadata-only informer, JSON client) or {@code fabric8}; {@code heap=true}
 * adds the heap a synced cache keeps per pod.
 */
public final class InformerSyncBenchmark {
    private static final String TOKEN = "informer-benchmark-token";

    private InformerSyncBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = List.of(10_000);
        int runs = 5;
        int warmups = 2;
        boolean fork = false;
        boolean heap = false;
        List<String> serverJvm = List.of("-Xmx4g");
        List<String> subjects = List.of("watchlist", "list", "watchlist-json", "list-json", "fabric8");
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "pods" -> sizes = Arrays.stream(kv[1].split(",")).map(Integer::parseInt).toList();
                case "runs" -> runs = Integer.parseInt(kv[1]);
                case "warmups" -> warmups = Integer.parseInt(kv[1]);
                case "subjects" -> subjects = List.of(kv[1].split(","));
                case "server" -> fork = switch (kv[1]) {
                    case "fork" -> true;
                    case "in-process" -> false;
                    default -> throw new IllegalArgumentException("server=" + kv[1] + ": use server=fork or server=in-process");
                };
                case "serverJvm" -> serverJvm = List.of(kv[1].trim().split("\\s+"));
                case "heap" -> heap = Boolean.parseBoolean(kv[1]);
                default -> throw new IllegalArgumentException("unknown argument " + a
                        + "; use pods=, runs=, warmups=, subjects=, server=, serverJvm=, heap=");
            }
        }
        List<String> report = new ArrayList<>();
        for (int pods : sizes) {
            report.add(String.format(Locale.ROOT, "%,d pods, server %s:", pods, fork ? "in a JVM of its own " + serverJvm : "in this JVM"));
            long loadStart = System.nanoTime();
            if (fork) {
                try (ForkedServer server = new ForkedServer(pods, TOKEN, serverJvm, Path.of("benchmark-server-" + pods + ".log"))) {
                    System.out.printf(Locale.ROOT, "server process %d loaded %,d pods in %.0f s%n", server.pid(), pods,
                            (System.nanoTime() - loadStart) / 1e9);
                    measureAll(server.url(), server, pods, runs, warmups, heap, subjects, report);
                }
            } else {
                try (BenchStore store = new BenchStore(pods);
                     ApiServer server = ApiServer.start(store.store, "127.0.0.1", 0, TOKEN, null)) {
                    System.out.printf(Locale.ROOT, "loaded %,d pods in %.0f s%n", pods, (System.nanoTime() - loadStart) / 1e9);
                    measureAll(server.url(), null, pods, runs, warmups, heap, subjects, report);
                }
            }
        }
        System.out.println();
        report.forEach(System.out::println);
        System.exit(0); // HTTP client and server threads would keep the JVM alive
    }

    /** @param server the forked server, or null when it runs in this JVM */
    private static void measureAll(String url, ForkedServer server, int pods, int runs, int warmups, boolean heap,
                                   List<String> subjects, List<String> report) throws Exception {
        try (HttpKubeClient protobuf = HttpKubeClient.create(ClientConfig.builder(url).bearerToken(TOKEN).noRateLimit()
                     .protobuf(true).build());
             HttpKubeClient json = HttpKubeClient.create(ClientConfig.builder(url).bearerToken(TOKEN).noRateLimit()
                     .protobuf(false).build());
             Fabric8Subject fabric8 = new Fabric8Subject(url, TOKEN)) {
            for (String name : subjects) {
                InformerSubject s = switch (name) {
                    case "watchlist" -> new KardiaSubject("Kardia SharedInformer, WatchList, protobuf", protobuf, KardiaSubject.Slimming.NONE, true, false);
                    case "list" -> new KardiaSubject("Kardia SharedInformer, LIST, protobuf", protobuf, KardiaSubject.Slimming.NONE);
                    case "watchlist-json" -> new KardiaSubject("Kardia SharedInformer, WatchList, JSON", json, KardiaSubject.Slimming.NONE, true, false);
                    case "list-json" -> new KardiaSubject("Kardia SharedInformer, LIST, JSON", json, KardiaSubject.Slimming.NONE);
                    case "metadata" -> new KardiaSubject("Kardia metadata-only informer, WatchList, JSON", json,
                            KardiaSubject.Slimming.NONE, true, true);
                    case "metadata-list" -> new KardiaSubject("Kardia metadata-only informer, LIST, JSON", json,
                            KardiaSubject.Slimming.NONE, false, true);
                    case "fabric8" -> fabric8;
                    default -> throw new IllegalArgumentException("unknown subject " + name);
                };
                String line = measure(s, name, server, pods, runs, warmups, heap);
                System.out.println(line);
                report.add(line);
            }
        }
    }

    private static String measure(InformerSubject s, String name, ForkedServer server, int pods, int runs, int warmups,
                                  boolean heap) throws Exception {
        double loadBefore = load();
        for (int i = 0; i < warmups; i++) {
            s.startAndSync();
            s.stop();
        }
        double[] ms = new double[runs];
        double[] clientPeakMb = new double[runs];
        double[] serverPeakMb = new double[runs];
        for (int i = 0; i < runs; i++) {
            long serverBase = server == null ? 0 : server.begin();
            long base = Measure.usedHeapAfterGc();
            try (Measure.PeakHeap peak = Measure.PeakHeap.start()) {
                ms[i] = Measure.millis(s.startAndSync());
                clientPeakMb[i] = (peak.peak() - base) / 1e6;
            }
            if (server != null) {
                serverPeakMb[i] = (server.end() - serverBase) / 1e6;
            }
            if (s.cached() != pods) {
                throw new IllegalStateException(name + " cached " + s.cached() + " of " + pods + " pods");
            }
            s.stop();
        }
        String kept = "";
        if (heap) {
            // as InformerEndToEndBenchmark: in use with one synced informer, minus the lower of the
            // readings before it started and after it stopped (leftovers only ever raise a reading)
            long before = Measure.usedHeapAfterGc();
            s.startAndSync();
            long after = Measure.usedHeapAfterGc();
            s.stop();
            long released = Measure.usedHeapAfterGc();
            kept = String.format(Locale.ROOT, ", cache keeps %,.0f B/pod", (after - Math.min(before, released)) / (double) pods);
        }
        return String.format(Locale.ROOT, "%s (%s), %,d pods: sync median %.0f ms, runs %s; peak heap during sync: %s %.0f MB%s%s"
                        + " (load %.1f -> %.1f)",
                s.name(), name, pods, Measure.median(ms), Arrays.toString(Arrays.stream(ms).mapToLong(Math::round).toArray()),
                server == null ? "client and server" : "client", Measure.median(clientPeakMb),
                server == null ? "" : String.format(Locale.ROOT, ", server %.0f MB", Measure.median(serverPeakMb)),
                kept, loadBefore, load());
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
