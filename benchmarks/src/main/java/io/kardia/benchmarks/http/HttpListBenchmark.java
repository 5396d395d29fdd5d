package io.kardia.benchmarks.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.json.Json;
import io.kardia.store.protobuf.KubeProtobufCodec;
import io.kardia.kubeapi.protobuf.ProtobufKinds;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One unpaged {@code LIST} of every pod in a namespace over HTTP (the response read fully into
 * memory), as an informer without paging or {@code kubectl get -o json} does it; as JSON and as
 * protobuf, and with the client's decoding of each.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class HttpListBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(HttpListBenchmark.class);

    @Param("50000")
    public int pods;

    private HttpBenchServer server;
    private final KubeProtobufCodec codec = new KubeProtobufCodec(ProtobufKinds.builtIn());

    @Setup(Level.Trial)
    public void start() throws Exception {
        server = new HttpBenchServer();
        server.loadPods(pods, "p-");
        byte[] body = list();
        LOG.info("LIST of {} pods: {} bytes ({} bytes per pod)", pods, body.length, body.length / pods);
        byte[] protobuf = list(KubeProtobufCodec.MEDIA_TYPE);
        LOG.info("LIST of {} pods as protobuf: {} bytes ({} bytes per pod)", pods, protobuf.length, protobuf.length / pods);
    }

    @TearDown(Level.Trial)
    public void stop() {
        server.close();
    }

    @Benchmark
    public byte[] listAllPods() throws Exception {
        return list("application/json");
    }

    /** The same LIST as protobuf (a PodList in the k8s envelope): the server converts each stored pod. */
    @Benchmark
    public byte[] listAllPodsProtobuf() throws Exception {
        return list(KubeProtobufCodec.MEDIA_TYPE);
    }

    /** LIST as JSON and decode it to a tree, as a JSON client does. */
    @Benchmark
    public JsonNode listAndDecodeJson() throws Exception {
        return Json.tree(list("application/json"));
    }

    /** LIST as protobuf and decode it (descriptor-driven, to the same JSON tree). */
    @Benchmark
    public JsonNode listAndDecodeProtobuf() throws Exception {
        return codec.decode(list(KubeProtobufCodec.MEDIA_TYPE), "v1", "PodList");
    }

    /**
     * LIST as protobuf and decode it as Kardia's HTTP client does (issue 20): kube-api's streaming
     * {@code ProtobufToJson} to JSON bytes, then the same tree as {@link #listAndDecodeJson}.
     */
    @Benchmark
    public JsonNode listAndDecodeProtobufClient() throws Exception {
        return Json.tree(io.kardia.kubeapi.protobuf.ProtobufToJson.builtIn().toJson(list(KubeProtobufCodec.MEDIA_TYPE)));
    }

    private byte[] list() throws Exception {
        return list("application/json");
    }

    private byte[] list(String accept) throws Exception {
        HttpResponse<byte[]> r = server.http.send(server.request("/api/v1/namespaces/" + HttpBenchServer.NAMESPACE + "/pods")
                .header("Accept", accept).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("list answered " + r.statusCode());
        }
        return r.body();
    }
}
