package io.kardia.benchmarks.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import io.kardia.core.json.Json;
import io.kardia.kubeapi.KubeApiCatalog;
import io.kardia.store.protobuf.KubeProtobufCodec;
import io.kardia.store.protobuf.ProtobufJsonConverter;
import io.kardia.kubeapi.protobuf.ProtobufKinds;
import io.kardia.kubeapi.protobuf.ProtobufToJson;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decoding the same objects to the store's JSON tree three ways, side by side: Jackson on their
 * JSON (the baseline), the streaming protobuf reader ({@code KubeProtobufCodec.decode}: one pass
 * over the wire bytes), and the path it replaced (protobuf-java's {@code DynamicMessage.parseFrom},
 * then the message converted to JSON); and beside them the client's reader ({@code ProtobufToJson}:
 * the same bytes to JSON text, sharing the store reader's {@code MessageShape}). One realistic kube-apiserver Pod (3.6 KB as JSON, with
 * managedFields, volumes, probes, status) and a PodList of {@code pods} copies of it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ProtobufDecodeBenchmark {
    @Param("1000")
    public int pods;

    private final KubeProtobufCodec codec = new KubeProtobufCodec(ProtobufKinds.builtIn());
    private final ProtobufJsonConverter converter = new ProtobufJsonConverter();
    private final ProtobufToJson clientReader = ProtobufToJson.builtIn();
    private Descriptor podType;
    private Descriptor podListType;
    private byte[] podJson;
    private byte[] podProtobuf;
    private byte[] listJson;
    private byte[] listProtobuf;

    @Setup
    public void load() throws Exception {
        try (InputStream in = ProtobufDecodeBenchmark.class.getResourceAsStream("pod.json")) {
            podJson = in.readAllBytes();
        }
        ObjectNode pod = (ObjectNode) Json.tree(podJson);
        podProtobuf = codec.encode(pod);
        List<ObjectNode> items = new ArrayList<>();
        ObjectNode list = Json.mapper().createObjectNode().put("kind", "PodList").put("apiVersion", "v1");
        list.putObject("metadata").put("resourceVersion", "12345");
        ArrayNode array = list.putArray("items");
        for (int i = 0; i < pods; i++) {
            ObjectNode copy = pod.deepCopy();
            ((ObjectNode) copy.get("metadata")).put("name", "pod-" + i);
            items.add(copy);
            array.add(copy);
        }
        listJson = Json.toBytes(list);
        listProtobuf = codec.encodeList("v1", "PodList", list.get("metadata"), items);
        podType = KubeApiCatalog.messageFor("", "v1", "Pod").orElseThrow();
        podListType = KubeApiCatalog.messageFor("", "v1", "PodList").orElseThrow();
        JsonNode streamed = podStreamingProtobuf();
        if (!streamed.equals(podDynamicMessageProtobuf())) {
            throw new IllegalStateException("the two protobuf paths disagree on the pod");
        }
    }

    @Benchmark
    public JsonNode podJackson() {
        return Json.tree(podJson);
    }

    @Benchmark
    public JsonNode podStreamingProtobuf() {
        return codec.decode(podProtobuf, "v1", "Pod");
    }

    @Benchmark
    public JsonNode podDynamicMessageProtobuf() throws Exception {
        return dynamicMessage(podProtobuf, podType, "Pod");
    }

    /** The client's reader (kube-api's ProtobufToJson): the same bytes to JSON text, which the client's models then read. */
    @Benchmark
    public byte[] podClientProtobufToJson() {
        return clientReader.toJson(podProtobuf);
    }

    @Benchmark
    public JsonNode listJackson() {
        return Json.tree(listJson);
    }

    @Benchmark
    public JsonNode listStreamingProtobuf() {
        return codec.decode(listProtobuf, "v1", "PodList");
    }

    @Benchmark
    public JsonNode listDynamicMessageProtobuf() throws Exception {
        return dynamicMessage(listProtobuf, podListType, "PodList");
    }

    @Benchmark
    public byte[] listClientProtobufToJson() {
        return clientReader.toJson(listProtobuf);
    }

    /** The replaced path, as KubeProtobufCodec.decode did it before the streaming reader. */
    private JsonNode dynamicMessage(byte[] body, Descriptor type, String kind) throws Exception {
        KubeProtobufCodec.Envelope env = KubeProtobufCodec.unwrap(body);
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("kind", kind);
        out.put("apiVersion", "v1");
        out.setAll(converter.toJson(DynamicMessage.parseFrom(type, env.raw())));
        return out;
    }
}
