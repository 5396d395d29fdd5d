package io.kardia.benchmarks.runtime;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectMeta;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import io.kardia.store.http.ApiServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * Controller frameworks side by side against the reference store over HTTP (a main, not JMH:
 * each measurement is a stateful, seconds-long run). For each framework and worker count, with a
 * no-op reconciler over {@code objects} ConfigMaps:
 * <ul>
 *   <li>cold start: time from start to every object reconciled once (list over HTTP, cache sync,
 *       queueing, reconciles), median of 3 after a warm-up, as reconciles/s;</li>
 *   <li>re-reconcile (Kardia only: JOSDK has no public way to requeue without a write): every
 *       object requeued at once, median of 3, as reconciles/s;</li>
 *   <li>write-to-reconcile latency: ConfigMaps updated at a steady rate in the store, time until
 *       the reconciler sees the new version, p50/p99/max.</li>
 * </ul>
 * Arguments: {@code objects=10000 workers=1,4,16 rate=200 seconds=5 subjects=kardia,josdk}.
 */
public final class ReconcileEndToEndBenchmark {
    private static final String NAMESPACE = "bench";
    private static final String TOKEN = "reconcile-benchmark-token";

    record Row(String subject, int workers, double coldPerSec, double requeuePerSec, int samples, double p50, double p99,
               double max) {
    }

    private ReconcileEndToEndBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int objects = 10_000;
        List<Integer> workerCounts = List.of(1, 4, 16);
        int rate = 200;
        int seconds = 5;
        List<String> which = List.of("kardia", "josdk");
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "objects" -> objects = Integer.parseInt(kv[1]);
                case "workers" -> workerCounts = Arrays.stream(kv[1].split(",")).map(Integer::parseInt).toList();
                case "rate" -> rate = Integer.parseInt(kv[1]);
                case "seconds" -> seconds = Integer.parseInt(kv[1]);
                case "subjects" -> which = List.of(kv[1].split(","));
                default -> throw new IllegalArgumentException("unknown argument " + a
                        + "; use objects=, workers=, rate=, seconds=, subjects=");
            }
        }
        List<Row> rows = new ArrayList<>();
        try (ReferenceStore store = ReferenceStore.inMemory(StoreOptions.defaults().withWatchBufferSize(1_000_000));
             ApiServer server = ApiServer.start(store, "127.0.0.1", 0, TOKEN, null);
             KubeClient kardiaClient = HttpKubeClient.create(ClientConfig.builder(server.url()).bearerToken(TOKEN)
                     .noRateLimit().build())) {
            KubeClient local = store.client();
            local.resources(Namespace.class).create(Namespace.named(NAMESPACE));
            ResourceClient<ConfigMap> cms = local.resources(ConfigMap.class);
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < objects; i++) {
                ConfigMap cm = cms.create(ConfigMap.of(ObjectMeta.of(NAMESPACE, "cm-" + i), Map.of("k", "v" + i)));
                keys.add(cm.key());
            }
            for (String s : which) {
                try (ReconcileSubject subject = switch (s) {
                    case "kardia" -> new KardiaReconcileSubject(kardiaClient, NAMESPACE);
                    case "josdk" -> new JosdkReconcileSubject(server.url(), TOKEN, NAMESPACE);
                    default -> throw new IllegalArgumentException("unknown subject " + s + "; use kardia, josdk");
                }) {
                    for (int w : workerCounts) {
                        System.out.println("measuring " + subject.name() + " with " + w + " worker(s)");
                        rows.add(measure(subject, w, keys, cms, rate, seconds));
                        System.out.println(rows.getLast());
                    }
                }
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%,d ConfigMaps, no-op reconciler, over HTTP; latency at %d writes/s for %d s%n",
                objects, rate, seconds);
        System.out.println("| framework | workers | cold start reconciles/s | re-reconcile reconciles/s | latency samples "
                + "| p50 ms | p99 ms | max ms |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "| %s | %d | %,.0f | %s | %d | %.2f | %.2f | %.2f |%n", r.subject(), r.workers(),
                    r.coldPerSec(), Double.isNaN(r.requeuePerSec()) ? "n/a" : String.format(Locale.ROOT, "%,.0f",
                            r.requeuePerSec()), r.samples(), r.p50(), r.p99(), r.max());
        }
        System.exit(0); // HTTP client threads would keep the JVM alive
    }

    private static Row measure(ReconcileSubject subject, int workers, List<String> keys, ResourceClient<ConfigMap> cms,
                               int rate, int seconds) throws Exception {
        int n = keys.size();
        ReconcileProbe probe = new ReconcileProbe();
        double[] cold = new double[3];
        for (int i = -1; i < cold.length; i++) {
            probe.resetCount();
            long t0 = System.nanoTime();
            subject.start(workers, probe);
            awaitCount(probe, n);
            double secs = (System.nanoTime() - t0) / 1e9;
            if (i >= 0) {
                cold[i] = n / secs;
            }
            if (i < cold.length - 1) {
                subject.stop();
            }
        }
        double requeue = Double.NaN;
        double[] again = new double[3];
        boolean supported = true;
        for (int i = -1; i < again.length && supported; i++) {
            probe.resetCount();
            long t0 = System.nanoTime();
            supported = subject.requeueAll(keys);
            if (supported) {
                awaitCount(probe, n);
                if (i >= 0) {
                    again[i] = n / ((System.nanoTime() - t0) / 1e9);
                }
            }
        }
        if (supported) {
            requeue = median(again);
        }
        int writes = rate * seconds;
        probe.startLatency(writes);
        Random random = new Random(42);
        long interval = 1_000_000_000L / rate;
        long next = System.nanoTime();
        for (int i = 0; i < writes; i++) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // pacing the writer
            }
            String[] key = keys.get(random.nextInt(keys.size())).split("/", 2);
            cms.patch(key[0], key[1], PatchType.MERGE, "{\"metadata\":{\"annotations\":{\"" + ReconcileProbe.SENT + "\":\""
                    + System.nanoTime() + "\"}}}");
            next += interval;
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (probe.samples() < writes && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000L); // waiting for stragglers before reading percentiles
        }
        Row row = new Row(subject.name(), workers, median(cold), requeue, probe.samples(), probe.percentileMillis(50),
                probe.percentileMillis(99), probe.percentileMillis(100));
        subject.stop();
        return row;
    }

    private static void awaitCount(ReconcileProbe probe, int n) {
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (probe.reconciles() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + probe.reconciles() + " of " + n + " reconciles within 5 minutes");
            }
            LockSupport.parkNanos(200_000L);
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
