package io.kardia.benchmarks.informer;

import io.kardia.store.http.ApiServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The reference store and its API server in a JVM of their own, so a benchmark can tell the
 * server's heap from the client's. Loads {@code pods} realistic pods, prints {@code url <url>},
 * then answers one line per command read from stdin:
 * <ul>
 *   <li>{@code begin}: collects the heap, starts sampling its peak; answers {@code base <bytes>}</li>
 *   <li>{@code end}: stops sampling; answers {@code peak <bytes>} (the highest heap in use since begin,
 *       garbage included)</li>
 *   <li>{@code heap}: answers {@code heap <bytes>} in use after a full collection</li>
 * </ul>
 * It exits when stdin ends (the benchmark exited or was killed).
 *
 * <p>Arguments: {@code pods=50000 token=<bearer token>}.
 */
public final class BenchServerProcess {
    private BenchServerProcess() {
    }

    public static void main(String[] args) throws Exception {
        int pods = 10_000;
        String token = "informer-benchmark-token";
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "pods" -> pods = Integer.parseInt(kv[1]);
                case "token" -> token = kv[1];
                default -> throw new IllegalArgumentException("unknown argument " + a + "; use pods=, token=");
            }
        }
        try (BenchStore store = new BenchStore(pods);
             ApiServer server = ApiServer.start(store.store, "127.0.0.1", 0, token, null);
             BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("url " + server.url());
            System.out.flush();
            Measure.PeakHeap peak = null;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                switch (line.trim()) {
                    case "begin" -> {
                        long base = Measure.usedHeapAfterGc();
                        peak = Measure.PeakHeap.start();
                        System.out.println("base " + base);
                    }
                    case "end" -> {
                        if (peak == null) {
                            System.out.println("error end without begin");
                        } else {
                            peak.close();
                            System.out.println("peak " + peak.peak());
                            peak = null;
                        }
                    }
                    case "heap" -> System.out.println("heap " + Measure.usedHeapAfterGc());
                    default -> System.out.println("error unknown command " + line);
                }
                System.out.flush();
            }
        }
        System.exit(0); // HTTP server threads would keep the JVM alive
    }
}
