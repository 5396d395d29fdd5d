package io.kardia.benchmarks.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.store.ReferenceStore;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Server-side apply against a plain update of a custom resource with 50 fields in its spec (40
 * scalars, a 4-field struct, an associative list of 3 items keyed by name), driven by its CRD's
 * structural schema: each operation changes one scalar, as {@code PUT} of the whole object or as
 * {@code PATCH application/apply-patch+yaml} of the same object, over HTTP (one keep-alive
 * connection) and in process on an in-memory store (the cost of apply itself). Target (issue 15):
 * apply within 2x of update.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CustomResourceApplyBenchmark {
    static final String GROUP = "bench.kardia.io";
    private static final String COLLECTION = "/apis/" + GROUP + "/v1/namespaces/" + HttpBenchServer.NAMESPACE + "/gizmos";
    private static final int SCALARS = 40;

    private HttpBenchServer server;
    private KeepAliveClient client;
    private long n;

    @Setup(Level.Trial)
    public void start() throws Exception {
        server = new HttpBenchServer();
        install(server.store);
        client = new KeepAliveClient(server.server.port());
        expect(201, client.send("POST", COLLECTION, server.token, "application/json", gizmo("updated", 0)));
        expect(201, client.send("PATCH", COLLECTION + "/applied?fieldManager=bench", server.token,
                "application/apply-patch+yaml", gizmo("applied", 0)));
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        client.close();
        server.close();
    }

    @Benchmark
    public int updateCustomResource() throws Exception {
        return expect(200, client.send("PUT", COLLECTION + "/updated?fieldManager=bench", server.token, "application/json",
                gizmo("updated", ++n)));
    }

    @Benchmark
    public int applyCustomResource() throws Exception {
        return expect(200, client.send("PATCH", COLLECTION + "/applied?fieldManager=bench", server.token,
                "application/apply-patch+yaml", gizmo("applied", ++n)));
    }

    /** The same two writes on an in-memory store, in process: apply's own CPU cost, without HTTP or a journal. */
    @State(Scope.Benchmark)
    public static class InMemory {
        ReferenceStore store;
        ResourceType<?> gizmos;
        long n;

        @Setup(Level.Trial)
        public void open() throws InterruptedException {
            store = ReferenceStore.inMemory();
            store.create(ResourceTypes.NAMESPACE, null, tree(("{\"metadata\":{\"name\":\"" + HttpBenchServer.NAMESPACE
                    + "\"}}").getBytes(StandardCharsets.UTF_8)), null);
            gizmos = install(store);
            store.create(gizmos, HttpBenchServer.NAMESPACE, tree(gizmo("updated", 0)), WriteOptions.DEFAULT);
            store.patch(gizmos, HttpBenchServer.NAMESPACE, "applied", PatchType.APPLY, gizmo("applied", 0),
                    WriteOptions.apply("bench"));
        }

        @TearDown(Level.Trial)
        public void close() {
            store.close();
        }
    }

    @Benchmark
    public Object updateCustomResourceInMemory(InMemory m) {
        return m.store.update(m.gizmos, HttpBenchServer.NAMESPACE, "updated", tree(gizmo("updated", ++m.n)),
                new WriteOptions(false, "bench"));
    }

    @Benchmark
    public Object applyCustomResourceInMemory(InMemory m) {
        return m.store.patch(m.gizmos, HttpBenchServer.NAMESPACE, "applied", PatchType.APPLY, gizmo("applied", ++m.n),
                WriteOptions.apply("bench"));
    }

    /** Creates the Gizmo CRD and waits until the store serves the kind. */
    static ResourceType<?> install(ReferenceStore store) throws InterruptedException {
        store.create(ResourceTypes.CUSTOM_RESOURCE_DEFINITION, null, tree(crd()), null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            var type = store.types().byGroupResource("gizmos." + GROUP);
            if (type.isPresent()) {
                return type.get();
            }
            Thread.sleep(10); // setup only: the CRD becomes served asynchronously
        }
        throw new IllegalStateException("the Gizmo CRD was not served within 30 s");
    }

    private static byte[] crd() {
        StringBuilder props = new StringBuilder();
        for (int i = 0; i < SCALARS; i++) {
            String type = i % 3 == 0 ? "integer" : i % 3 == 1 ? "string" : "boolean";
            props.append("\"f").append(i).append("\":{\"type\":\"").append(type).append("\"},");
        }
        props.append("""
                "resources":{"type":"object","properties":{"cpu":{"type":"string"},"memory":{"type":"string"},
                  "gpu":{"type":"integer"},"disk":{"type":"string"}}},
                "endpoints":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
                  "items":{"type":"object","required":["name"],"properties":{"name":{"type":"string"},"port":{"type":"integer"}}}}""");
        return ("""
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"gizmos.%s"},
                 "spec":{"group":"%s","scope":"Namespaced","names":{"plural":"gizmos","singular":"gizmo","kind":"Gizmo","listKind":"GizmoList"},
                  "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
                   "schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object","properties":{%s}},
                    "status":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}}}]}}""")
                .formatted(GROUP, GROUP, props).getBytes(StandardCharsets.UTF_8);
    }

    /** A Gizmo whose 50 spec fields are all set; {@code version} changes {@code f0} on every write. */
    static byte[] gizmo(String name, long version) {
        StringBuilder spec = new StringBuilder();
        for (int i = 0; i < SCALARS; i++) {
            spec.append("\"f").append(i).append("\":");
            if (i == 0) {
                spec.append(version);
            } else if (i % 3 == 0) {
                spec.append(i * 7);
            } else if (i % 3 == 1) {
                spec.append("\"value-").append(i).append('"');
            } else {
                spec.append(i % 2 == 0);
            }
            spec.append(',');
        }
        spec.append("""
                "resources":{"cpu":"500m","memory":"1Gi","gpu":1,"disk":"20Gi"},
                "endpoints":[{"name":"http","port":8080},{"name":"grpc","port":9090},{"name":"metrics","port":9100}]""");
        return ("{\"apiVersion\":\"" + GROUP + "/v1\",\"kind\":\"Gizmo\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"" + HttpBenchServer.NAMESPACE + "\"},\"spec\":{" + spec + "}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectNode tree(byte[] json) {
        return (ObjectNode) io.kardia.core.json.Json.tree(json);
    }

    private static int expect(int code, int got) {
        if (got != code) {
            throw new IllegalStateException("expected " + code + ", got " + got);
        }
        return got;
    }
}
