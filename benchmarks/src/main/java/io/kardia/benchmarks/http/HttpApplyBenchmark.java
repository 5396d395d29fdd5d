package io.kardia.benchmarks.http;

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
 * Server-side apply against a plain update of the same Deployment over HTTP (one keep-alive
 * connection, one thread): each operation writes a changed image, as {@code PUT} of the whole
 * object ({@code updateDeployment}) or as {@code PATCH application/apply-patch+yaml} of the same
 * object as an applied configuration ({@code applyDeployment}). Both record managed fields;
 * apply also merges by schema, prunes and checks conflicts. Target (issue 15): apply within 2x of update.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HttpApplyBenchmark {
    private static final String PATH = "/apis/apps/v1/namespaces/" + HttpBenchServer.NAMESPACE + "/deployments/";

    private HttpBenchServer server;
    private KeepAliveClient client;
    private long n;

    @Setup(Level.Trial)
    public void start() throws Exception {
        server = new HttpBenchServer();
        client = new KeepAliveClient(server.server.port());
        expect(201, client.send("POST", "/apis/apps/v1/namespaces/" + HttpBenchServer.NAMESPACE + "/deployments", server.token,
                "application/json", deployment("updated", 0)));
        expect(201, client.send("PATCH", PATH + "applied?fieldManager=bench", server.token, "application/apply-patch+yaml",
                deployment("applied", 0)));
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        client.close();
        server.close();
    }

    @Benchmark
    public int updateDeployment() throws Exception {
        return expect(200, client.send("PUT", PATH + "updated?fieldManager=bench", server.token, "application/json",
                deployment("updated", ++n)));
    }

    @Benchmark
    public int applyDeployment() throws Exception {
        return expect(200, client.send("PATCH", PATH + "applied?fieldManager=bench", server.token,
                "application/apply-patch+yaml", deployment("applied", ++n)));
    }

    /** The same two writes on an in-memory store, in process: the CPU cost of apply itself, without HTTP or the journal. */
    @State(Scope.Benchmark)
    public static class InMemory {
        io.kardia.store.ReferenceStore store;
        io.kardia.core.model.ResourceType<?> deployments;
        long n;

        @Setup(Level.Trial)
        public void open() {
            store = io.kardia.store.ReferenceStore.inMemory();
            deployments = store.types().byGroupResource("deployments.apps").orElseThrow();
            store.create(io.kardia.core.model.ResourceTypes.NAMESPACE, null, tree(("{\"metadata\":{\"name\":\""
                    + HttpBenchServer.NAMESPACE + "\"}}").getBytes(StandardCharsets.UTF_8)), null);
            store.create(deployments, HttpBenchServer.NAMESPACE, tree(deployment("updated", 0)), io.kardia.core.client.WriteOptions.DEFAULT);
        }

        @TearDown(Level.Trial)
        public void close() {
            store.close();
        }
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode tree(byte[] json) {
        return (com.fasterxml.jackson.databind.node.ObjectNode) io.kardia.core.json.Json.tree(json);
    }

    @Benchmark
    public Object updateDeploymentInMemory(InMemory m) {
        return m.store.update(m.deployments, HttpBenchServer.NAMESPACE, "updated", tree(deployment("updated", ++m.n)),
                new io.kardia.core.client.WriteOptions(false, "bench"));
    }

    @Benchmark
    public Object applyDeploymentInMemory(InMemory m) {
        return m.store.patch(m.deployments, HttpBenchServer.NAMESPACE, "applied", io.kardia.core.client.PatchType.APPLY,
                deployment("applied", ++m.n), io.kardia.core.client.WriteOptions.apply("bench"));
    }

    private static int expect(int code, int got) {
        if (got != code) {
            throw new IllegalStateException("expected " + code + ", got " + got);
        }
        return got;
    }

    /** A 1.5 KB Deployment as kubectl users write it; {@code version} changes the image on every write. */
    static byte[] deployment(String name, long version) {
        return ("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s","namespace":"%s",
                 "labels":{"app":"web","tier":"frontend","team":"payments"},"annotations":{"owner":"payments@example.com"}},
                 "spec":{"replicas":3,"revisionHistoryLimit":5,"selector":{"matchLabels":{"app":"web"}},
                  "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%%","maxUnavailable":0}},
                  "template":{"metadata":{"labels":{"app":"web","tier":"frontend"}},
                   "spec":{"containers":[
                     {"name":"web","image":"registry.example.com/web:1.%d","imagePullPolicy":"IfNotPresent",
                      "args":["--port=8080","--log-level=info"],
                      "ports":[{"name":"http","containerPort":8080,"protocol":"TCP"},{"name":"metrics","containerPort":9090}],
                      "env":[{"name":"MODE","value":"production"},{"name":"REGION","value":"eu-west-1"}],
                      "resources":{"requests":{"cpu":"250m","memory":"256Mi"},"limits":{"cpu":"1","memory":"512Mi"}},
                      "readinessProbe":{"httpGet":{"path":"/healthz","port":8080},"periodSeconds":5},
                      "volumeMounts":[{"name":"config","mountPath":"/etc/web"}]},
                     {"name":"proxy","image":"envoyproxy/envoy:v1.31","ports":[{"containerPort":15001}]}],
                    "volumes":[{"name":"config","configMap":{"name":"web-config"}}]}}}}""")
                .formatted(name, HttpBenchServer.NAMESPACE, version).getBytes(StandardCharsets.UTF_8);
    }
}
