package io.kardia.benchmarks.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.benchmarks.http.AdmissionCreateBenchmark;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.store.ReferenceStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
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

/**
 * The cost admission adds to one create inside the store (issue 22), one thread, no HTTP: the
 * time of an in-memory create of a custom object with its CRD's schema alone ({@code plain}), with
 * five CEL rules ({@code cel5}), one ValidatingAdmissionPolicy ({@code policy}) or one validating
 * webhook on loopback HTTPS ({@code webhook}: the difference to {@code plain} is the webhook's
 * round trip). Sampled, so JMH reports p50/p90/p99 beside the mean. Single-threaded times compare
 * better than throughput on a loaded machine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AdmissionStoreBenchmark {
    private static final ResourceType<GenericObject> WIDGETS = new ResourceType<>("bench.kardia.io", "v1", "Widget", "widgets",
            "widget", true, List.of(), Set.of(), GenericObject.class);

    @Param({"plain", "cel5", "policy", "webhook"})
    public String admission;

    private ReferenceStore store;
    private AutoCloseable installed;
    private long n;

    @Setup(Level.Trial)
    public void start() {
        store = ReferenceStore.inMemory();
        store.create(ResourceTypes.NAMESPACE, null, (ObjectNode) Json.tree(
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"bench\"}}".getBytes(StandardCharsets.UTF_8)),
                WriteOptions.DEFAULT);
        installed = AdmissionCreateBenchmark.install(store, admission);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        installed.close();
        store.close();
    }

    @Benchmark
    public Object createWidget() {
        ObjectNode body = (ObjectNode) Json.tree(AdmissionCreateBenchmark.widget("w-" + n++).getBytes(StandardCharsets.UTF_8));
        return store.create(WIDGETS, "bench", body, WriteOptions.DEFAULT);
    }
}
