package io.kardia.benchmarks.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.benchmarks.http.AdmissionCreateBenchmark;
import io.kardia.core.json.Json;
import io.kardia.core.json.Yaml;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ResourceType;
import io.kardia.core.validation.Causes;
import io.kardia.store.admission.AdmissionChain;
import io.kardia.store.admission.AdmissionContext;
import io.kardia.store.admission.AdmissionRequest;
import io.kardia.store.validation.CustomResourceValidator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
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

/**
 * What admission itself costs per write, CPU only (issue 22): the custom-resource validation of one
 * Widget with its schema alone ({@code plain}) or with five CEL rules ({@code cel5}), and one
 * ValidatingAdmissionPolicy's evaluation ({@code policy}: validation plus the policy). Compare with
 * the cost of a whole create ({@code StoreWriteBenchmark}, {@code HttpCreateBenchmark}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AdmissionEvaluationBenchmark {
    private static final ResourceType<GenericObject> WIDGETS = new ResourceType<>("bench.kardia.io", "v1", "Widget", "widgets",
            "widget", true, List.of(), Set.of(), GenericObject.class);

    @Param({"plain", "cel5", "policy"})
    public String admission;

    private CustomResourceValidator validator;
    private AdmissionChain chain;
    private ObjectNode widget;

    @Setup(Level.Trial)
    public void setUp() {
        ObjectNode crd = AdmissionCreateBenchmark.crd(admission);
        validator = new CustomResourceValidator(crd.at("/spec/versions/0/schema/openAPIV3Schema"));
        widget = (ObjectNode) Json.tree(AdmissionCreateBenchmark.widget("w").getBytes(StandardCharsets.UTF_8));
        if (admission.equals("policy")) {
            chain = new AdmissionChain(new AdmissionContext() {
                public Optional<ObjectNode> namespace(String name) {
                    return Optional.empty();
                }

                public Optional<ResourceType<?>> typeOf(String apiVersion, String kind) {
                    return Optional.empty();
                }

                public Optional<ObjectNode> get(ResourceType<?> type, String namespace, String name) {
                    return Optional.empty();
                }

                public List<ObjectNode> list(ResourceType<?> type, String namespace, JsonNode selector) {
                    return List.of();
                }
            });
            chain.policies().onChange("validatingadmissionpolicies.admissionregistration.k8s.io", "replicas",
                    (ObjectNode) Yaml.tree(AdmissionCreateBenchmark.POLICY));
            chain.policies().onChange("validatingadmissionpolicybindings.admissionregistration.k8s.io", "replicas",
                    (ObjectNode) Yaml.tree(AdmissionCreateBenchmark.BINDING));
        }
    }

    @Benchmark
    public Object validate() {
        Causes c = new Causes();
        validator.validateCreate(widget, c);
        if (chain != null) {
            chain.validate(new AdmissionRequest(AdmissionRequest.Operation.CREATE, WIDGETS, "", "bench", "w", widget, null, false));
        }
        if (!c.isEmpty()) {
            throw new IllegalStateException(c.list().toString());
        }
        return c;
    }
}
