package io.kardia.benchmarks.core;

import io.kardia.core.json.Codec;
import io.kardia.core.json.Json;
import io.kardia.core.json.Yaml;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.Pod;
import io.kardia.core.model.Quantity;
import io.kardia.core.selector.FieldSelector;
import io.kardia.core.selector.FieldSelectors;
import io.kardia.core.selector.Selector;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Object-model hot paths: decoding a realistic kube-apiserver Pod (3.6 KB, with managedFields,
 * volumes, probes) into the typed, frozen model and into a generic tree, encoding it, and the
 * label/field selector and quantity parsing that list/watch filtering does per request.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {
    private byte[] podJson;
    private String podYaml;
    private Pod pod;
    private Map<String, String> labels;
    private Selector selector;
    private FieldSelector fieldSelector;

    @Setup
    public void setUp() throws IOException {
        try (InputStream in = CodecBenchmark.class.getResourceAsStream("pod.json")) {
            podJson = in.readAllBytes();
        }
        pod = Json.fromBytes(podJson, Pod.class);
        podYaml = Yaml.write(pod);
        labels = Map.of("app", "web", "pod-template-hash", "7d4b9c8f5", "tier", "frontend", "env", "prod");
        selector = Selector.parse("app=web,env in (prod,qa),tier notin (cache),!canary");
        fieldSelector = FieldSelector.parse("spec.nodeName=node-1,status.phase=Running");
    }

    @Benchmark
    public Pod decodePodTyped() {
        return Json.fromBytes(podJson, Pod.class);
    }

    @Benchmark
    public GenericObject decodePodGeneric() {
        return Json.fromBytes(podJson, GenericObject.class);
    }

    @Benchmark
    public Object decodePodByKind() {
        return Codec.builtIns().decode(podJson);
    }

    @Benchmark
    public Object decodePodYaml() {
        return Yaml.read(podYaml, Pod.class);
    }

    @Benchmark
    public byte[] encodePod() {
        return Json.toBytes(pod);
    }

    @Benchmark
    public Selector parseLabelSelector() {
        return Selector.parse("app=web,env in (prod,qa),tier notin (cache),!canary");
    }

    @Benchmark
    public boolean matchLabelSelector() {
        return selector.matches(labels);
    }

    @Benchmark
    public boolean matchFieldSelectorOnTypedPod() {
        return FieldSelectors.matches(fieldSelector, pod);
    }

    @Benchmark
    public Quantity parseQuantity() {
        return Quantity.parse("1536Mi");
    }
}
