package io.kardia.benchmarks.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Write-path throughput over HTTP: {@code clients} keep-alive clients (see {@link KeepAliveClient})
 * POST pods, then PUT them back whole, then merge-PATCH a label, each phase timed on its own
 * after a warm-up, against an in-memory store served on loopback. A main rather than JMH so the
 * same client code can be run against an older build's store for an A/B in one session:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.kardia.benchmarks.http.HttpWriteBenchmark [seconds=10] [clients=8]
 * # the old build's server with this harness: this jar's classes first, then the old jar
 * java -cp /tmp/harness:OLD/benchmarks/target/benchmarks.jar io.kardia.benchmarks.http.HttpWriteBenchmark
 * </pre>
 */
public final class HttpWriteBenchmark {
    private HttpWriteBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = 10;
        int clients = 8;
        for (String a : args) {
            if (a.startsWith("seconds=")) {
                seconds = Integer.parseInt(a.substring(8));
            } else if (a.startsWith("clients=")) {
                clients = Integer.parseInt(a.substring(8));
            } else {
                throw new IllegalArgumentException("parameters: seconds=N clients=N, got " + a);
            }
        }
        try (HttpBenchServer server = new HttpBenchServer()) {
            String base = "/api/v1/namespaces/" + HttpBenchServer.NAMESPACE + "/pods";
            // warm-up: every path for a while, on names the measured phases do not use
            Phase warmCreate = run(server, clients, seconds, "warm", null, (c, name, i) -> post(server, c, base, name));
            run(server, clients, seconds, "warm", warmCreate.made(), (c, name, i) -> put(server, c, base, name, i));
            run(server, clients, seconds, "warm", warmCreate.made(), (c, name, i) -> patch(server, c, base, name, i));
            Phase create = run(server, clients, seconds, "c", null, (c, name, i) -> post(server, c, base, name));
            Phase update = run(server, clients, seconds, "c", create.made(), (c, name, i) -> put(server, c, base, name, i));
            Phase merge = run(server, clients, seconds, "c", create.made(), (c, name, i) -> patch(server, c, base, name, i));
            System.out.printf(Locale.ROOT, "create %.0f/s  update %.0f/s  patch %.0f/s  (%d clients, %d s each; failed %d)%n",
                    create.perSecond(), update.perSecond(), merge.perSecond(), clients, seconds,
                    create.failed() + update.failed() + merge.failed());
        }
    }

    /** A timed phase: its rate, its failed requests, and how many names each client created (create phases). */
    private record Phase(double perSecond, long failed, long[] made) {
    }

    private interface Op {
        int send(KeepAliveClient c, String name, long i) throws Exception;
    }

    private static int post(HttpBenchServer s, KeepAliveClient c, String base, String name) throws Exception {
        return c.send("POST", base, s.token, HttpBenchServer.pod(name).getBytes(StandardCharsets.UTF_8));
    }

    /** A whole-object update without resourceVersion (unconditional), with a label that changes each time (never a no-op). */
    private static int put(HttpBenchServer s, KeepAliveClient c, String base, String name, long i) throws Exception {
        String pod = HttpBenchServer.pod(name).replace("\"tier\":\"frontend\"", "\"tier\":\"frontend\",\"round\":\"r" + i + "\"");
        return c.send("PUT", base + "/" + name, s.token, pod.getBytes(StandardCharsets.UTF_8));
    }

    private static int patch(HttpBenchServer s, KeepAliveClient c, String base, String name, long i) throws Exception {
        return c.send("PATCH", base + "/" + name, s.token, "application/merge-patch+json",
                ("{\"metadata\":{\"labels\":{\"round\":\"r" + i + "\"}}}").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Each client works through its own names ({@code prefix-client-k}): with {@code existing} null
     * it creates new ones, else it goes round the {@code existing[client]} names a create phase made.
     */
    private static Phase run(HttpBenchServer server, int clients, int seconds, String prefix, long[] existing, Op op)
            throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder done = new LongAdder();
        LongAdder failed = new LongAdder();
        long[] made = new long[clients];
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            int client = t;
            threads.add(Thread.ofPlatform().start(() -> {
                try (KeepAliveClient c = new KeepAliveClient(server.server.port())) {
                    ready.countDown();
                    go.await();
                    for (long i = 0; !stop.get(); i++) {
                        long k = existing == null ? i : i % Math.max(1, existing[client]);
                        if (op.send(c, prefix + "-" + client + "-" + k, i) >= 300) {
                            failed.increment();
                        } else if (existing == null) {
                            made[client] = i + 1;
                        }
                        done.increment();
                    }
                } catch (Exception e) {
                    failed.increment();
                    System.err.println("client " + client + ": " + e);
                }
            }));
        }
        ready.await();
        long start = System.nanoTime();
        go.countDown();
        Thread.sleep(seconds * 1000L); // the measured window
        stop.set(true);
        long elapsed = System.nanoTime() - start;
        for (Thread t : threads) {
            t.join();
        }
        return new Phase(done.sum() / (elapsed / 1e9), failed.sum(), made);
    }
}
