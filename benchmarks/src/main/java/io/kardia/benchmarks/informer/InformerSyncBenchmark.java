package io.kardia.benchmarks.informer;

import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.store.http.ApiServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Sync time only, over HTTP, for the informer configurations that decide the "≥ 2× fabric8" row:
 * quicker than {@link InformerEndToEndBenchmark} (no heap or latency runs) and handy under a
 * profiler. Each subject syncs {@code warmups} times unmeasured, then {@code runs} times from a
 * collected heap; the median is reported.
 *
 * <p>Arguments: {@code pods=10000 runs=5 warmups=2 subjects=watchlist,fabric8,...} where a subject is
 * {@code watchlist} / {@code list} (protobuf client, the defaults), {@code watchlist-json} /
 * {@code list-json}, or {@code fabric8}.
 */
public final class InformerSyncBenchmark {
    private static final String TOKEN = "informer-benchmark-token";

    private InformerSyncBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int pods = 10_000;
        int runs = 5;
        int warmups = 2;
        List<String> subjects = List.of("watchlist", "list", "watchlist-json", "list-json", "fabric8");
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "pods" -> pods = Integer.parseInt(kv[1]);
                case "runs" -> runs = Integer.parseInt(kv[1]);
                case "warmups" -> warmups = Integer.parseInt(kv[1]);
                case "subjects" -> subjects = List.of(kv[1].split(","));
                default -> throw new IllegalArgumentException("unknown argument " + a + "; use pods=, runs=, warmups=, subjects=");
            }
        }
        List<String> report = new ArrayList<>();
        try (BenchStore store = new BenchStore(pods);
             ApiServer server = ApiServer.start(store.store, "127.0.0.1", 0, TOKEN, null);
             HttpKubeClient protobuf = HttpKubeClient.create(ClientConfig.builder(server.url()).bearerToken(TOKEN).noRateLimit().build());
             HttpKubeClient json = HttpKubeClient.create(ClientConfig.builder(server.url()).bearerToken(TOKEN).noRateLimit()
                     .protobuf(false).build());
             Fabric8Subject fabric8 = new Fabric8Subject(server.url(), TOKEN)) {
            for (String name : subjects) {
                InformerSubject s = switch (name) {
                    case "watchlist" -> new KardiaSubject("Kardia SharedInformer, WatchList, protobuf", protobuf, KardiaSubject.Slimming.NONE, true, false);
                    case "list" -> new KardiaSubject("Kardia SharedInformer, LIST, protobuf", protobuf, KardiaSubject.Slimming.NONE);
                    case "watchlist-json" -> new KardiaSubject("Kardia SharedInformer, WatchList, JSON", json, KardiaSubject.Slimming.NONE, true, false);
                    case "list-json" -> new KardiaSubject("Kardia SharedInformer, LIST, JSON", json, KardiaSubject.Slimming.NONE);
                    case "fabric8" -> fabric8;
                    default -> throw new IllegalArgumentException("unknown subject " + name);
                };
                for (int i = 0; i < warmups; i++) {
                    s.startAndSync();
                    s.stop();
                }
                double[] ms = new double[runs];
                for (int i = 0; i < runs; i++) {
                    Measure.usedHeapAfterGc();
                    ms[i] = Measure.millis(s.startAndSync());
                    if (s.cached() != pods) {
                        throw new IllegalStateException(name + " cached " + s.cached() + " of " + pods + " pods");
                    }
                    s.stop();
                }
                String line = String.format(Locale.ROOT, "%s (%s): sync median %.0f ms, runs %s", s.name(), name,
                        Measure.median(ms), Arrays.toString(Arrays.stream(ms).mapToLong(Math::round).toArray()));
                System.out.println(line);
                report.add(line);
            }
        }
        System.out.println();
        report.forEach(System.out::println);
        System.exit(0); // HTTP client and server threads would keep the JVM alive
    }
}
