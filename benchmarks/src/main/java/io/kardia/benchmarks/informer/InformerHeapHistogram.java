package io.kardia.benchmarks.informer;

import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.store.http.ApiServer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.management.ObjectName;

/**
 * Where an informer's heap goes: the live-object class histogram (after a full collection) with
 * the informer synced over HTTP, minus the same before it started, per class and per cached pod.
 * The store and its server live in the same JVM and are in both readings.
 *
 * <p>Arguments: {@code pods=10000 informer=metadata|full watchList=true|false top=25}.
 */
public final class InformerHeapHistogram {
    private static final String TOKEN = "heap-histogram-token";

    private InformerHeapHistogram() {
    }

    public static void main(String[] args) throws Exception {
        int pods = 10_000;
        boolean metadata = true;
        boolean watchList = true;
        int top = 25;
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "pods" -> pods = Integer.parseInt(kv[1]);
                case "informer" -> metadata = switch (kv[1]) {
                    case "metadata" -> true;
                    case "full" -> false;
                    default -> throw new IllegalArgumentException("informer=metadata or informer=full");
                };
                case "watchList" -> watchList = Boolean.parseBoolean(kv[1]);
                case "top" -> top = Integer.parseInt(kv[1]);
                default -> throw new IllegalArgumentException("unknown argument " + a + "; use pods=, informer=, watchList=, top=");
            }
        }
        try (BenchStore store = new BenchStore(pods);
                ApiServer server = ApiServer.start(store.store, "127.0.0.1", 0, TOKEN, null);
                HttpKubeClient client = HttpKubeClient.create(ClientConfig.builder(server.url()).bearerToken(TOKEN)
                        .noRateLimit().build())) {
            KardiaSubject subject = new KardiaSubject(metadata ? "metadata-only" : "full", client,
                    KardiaSubject.Slimming.NONE, watchList, metadata);
            subject.startAndSync(); // warms the client's connection pool and code paths: not counted
            subject.stop();
            Map<String, long[]> before = histogram();
            long usedBefore = Measure.usedHeapAfterGc();
            subject.startAndSync();
            long usedAfter = Measure.usedHeapAfterGc();
            Map<String, long[]> after = histogram();
            System.out.printf(Locale.ROOT, "%s informer (watchList=%s), %,d pods over HTTP: %,.0f heap bytes per pod%n",
                    metadata ? "metadata-only" : "full", watchList, pods, (usedAfter - usedBefore) / (double) pods);
            List<Map.Entry<String, long[]>> grown = new ArrayList<>();
            for (Map.Entry<String, long[]> e : after.entrySet()) {
                long[] b = before.getOrDefault(e.getKey(), new long[2]);
                grown.add(Map.entry(e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]}));
            }
            grown.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
            System.out.println("| class | instances per pod | bytes per pod |");
            System.out.println("|---|---|---|");
            long total = 0;
            for (Map.Entry<String, long[]> e : grown) {
                total += e.getValue()[1];
            }
            for (Map.Entry<String, long[]> e : grown.subList(0, Math.min(top, grown.size()))) {
                System.out.printf(Locale.ROOT, "| %s | %.2f | %.1f |%n", e.getKey(), e.getValue()[0] / (double) pods,
                        e.getValue()[1] / (double) pods);
            }
            System.out.printf(Locale.ROOT, "| (all classes) | | %.1f |%n", total / (double) pods);
            subject.stop();
        }
        System.exit(0); // HTTP client and server threads would keep the JVM alive
    }

    /** Class name → {instances, bytes} of live objects (the diagnostic command collects first). */
    private static Map<String, long[]> histogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, long[]> classes = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                classes.merge(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])},
                        (x, y) -> new long[] {x[0] + y[0], x[1] + y[1]});
            }
        }
        return classes;
    }
}
