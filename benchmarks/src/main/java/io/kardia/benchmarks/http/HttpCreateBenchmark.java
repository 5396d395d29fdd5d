package io.kardia.benchmarks.http;

import io.kardia.store.protobuf.KubeProtobufCodec;
import io.kardia.kubeapi.protobuf.ProtobufKinds;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Creates per second over HTTP on loopback with 8 concurrent clients (JDK HttpClient, HTTP/1.1
 * keep-alive): each operation is one {@code POST} of a 1.3 KB pod answered with {@code 201}, as
 * JSON or (the {@code Protobuf} variant) as {@code application/vnd.kubernetes.protobuf}.
 * Server and clients share the machine, so this is end-to-end on one host.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(8)
public class HttpCreateBenchmark {
    private HttpBenchServer server;
    private final AtomicLong names = new AtomicLong();

    @Setup(Level.Trial)
    public void start() {
        server = new HttpBenchServer();
    }

    @TearDown(Level.Trial)
    public void stop() {
        server.close();
    }

    /** Per benchmark thread: its own keep-alive connection for the raw-client variants. */
    @State(Scope.Thread)
    public static class Connection {
        KeepAliveClient client;
        /** The pod as protobuf, encoded once; each create writes a fresh fixed-width name into it. */
        byte[] protobufPod;
        int nameAt;

        @Setup(Level.Trial)
        public void open(HttpCreateBenchmark bench) throws java.io.IOException {
            client = new KeepAliveClient(bench.server.server.port());
            String placeholder = protobufName(0);
            protobufPod = new KubeProtobufCodec(ProtobufKinds.builtIn()).encode(HttpBenchServer.tree(HttpBenchServer.pod(placeholder)));
            nameAt = indexOf(protobufPod, placeholder.getBytes(StandardCharsets.US_ASCII));
        }

        @TearDown(Level.Trial)
        public void close() throws java.io.IOException {
            client.close();
        }
    }

    /** The same create through a minimal keep-alive client: what the server sustains, client cost aside. */
    @Benchmark
    public int createPodRawClient(Connection c) throws Exception {
        int code = c.client.send("POST", "/api/v1/namespaces/" + HttpBenchServer.NAMESPACE + "/pods", server.token,
                HttpBenchServer.pod("r-" + names.incrementAndGet()).getBytes(StandardCharsets.UTF_8));
        if (code != 201) {
            throw new IllegalStateException("create answered " + code);
        }
        return code;
    }

    /**
     * The raw-client create with {@code ?fieldValidation=Strict}, as kubectl sends it on every create:
     * the server looks for unknown and duplicate fields as well as checking types.
     */
    @Benchmark
    public int createPodRawClientStrict(Connection c) throws Exception {
        int code = c.client.send("POST", "/api/v1/namespaces/" + HttpBenchServer.NAMESPACE + "/pods?fieldValidation=Strict",
                server.token, HttpBenchServer.pod("s-" + names.incrementAndGet()).getBytes(StandardCharsets.UTF_8));
        if (code != 201) {
            throw new IllegalStateException("create answered " + code);
        }
        return code;
    }

    /**
     * The same create with a protobuf body and a protobuf answer, as typed Go clients (kubectl
     * create, client-go clientsets) send it: the server decodes protobuf to JSON and encodes the
     * answer back.
     */
    @Benchmark
    public int createPodProtobufRawClient(Connection c) throws Exception {
        byte[] name = protobufName(names.incrementAndGet()).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, c.protobufPod, c.nameAt, name.length);
        int code = c.client.send("POST", "/api/v1/namespaces/" + HttpBenchServer.NAMESPACE + "/pods", server.token,
                KubeProtobufCodec.MEDIA_TYPE, c.protobufPod);
        if (code != 201) {
            throw new IllegalStateException("create answered " + code);
        }
        return code;
    }

    private static String protobufName(long n) {
        return "b-" + String.format("%016d", n);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("the name is not in the encoded pod");
    }

    @Benchmark
    public int createPod() throws Exception {
        String body = HttpBenchServer.pod("p-" + names.incrementAndGet());
        HttpResponse<Void> r = server.http.send(server.request("/api/v1/namespaces/" + HttpBenchServer.NAMESPACE + "/pods")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("create answered " + r.statusCode());
        }
        return r.statusCode();
    }
}
