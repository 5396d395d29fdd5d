package io.kardia.benchmarks.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.benchmarks.http.AdmissionCreateBenchmark;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.json.Json;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ResourceType;
import io.kardia.core.validation.Causes;
import io.kardia.store.ReferenceStore;
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

    private static final ResourceType<GenericObject> CRDS = new ResourceType<>("apiextensions.k8s.io", "v1",
            "CustomResourceDefinition", "customresourcedefinitions", "customresourcedefinition", false, List.of(), Set.of("status"),
            GenericObject.class);
    private static final ResourceType<GenericObject> POLICIES = new ResourceType<>("admissionregistration.k8s.io", "v1",
            "ValidatingAdmissionPolicy", "validatingadmissionpolicies", "validatingadmissionpolicy", false, List.of(), Set.of("status"),
            GenericObject.class);
    private static final ResourceType<GenericObject> BINDINGS = new ResourceType<>("admissionregistration.k8s.io", "v1",
            "ValidatingAdmissionPolicyBinding", "validatingadmissionpolicybindings", "validatingadmissionpolicybinding", false,
            List.of(), Set.of(), GenericObject.class);

    @Param({"plain", "cel5", "policy"})
    public String admission;

    private CustomResourceValidator validator;
    private AdmissionChain chain;
    private ObjectNode widget;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        // The CRD and the policy go through the store first, so what is measured is what the store
        // keeps (validated, defaulted), not a hand-written tree the store would refuse or complete.
        ObjectNode crd;
        ObjectNode policy = null;
        ObjectNode binding = null;
        try (ReferenceStore store = ReferenceStore.inMemory(); AutoCloseable installed = AdmissionCreateBenchmark.install(store, admission)) {
            crd = store.get(CRDS, null, "widgets.bench.kardia.io", null).json();
            if (admission.equals("policy")) {
                policy = store.get(POLICIES, null, "replicas", null).json();
                binding = store.get(BINDINGS, null, "replicas", null).json();
            }
        }
        validator = new CustomResourceValidator(crd.at("/spec/versions/0/schema/openAPIV3Schema"));
        widget = (ObjectNode) Json.tree(AdmissionCreateBenchmark.widget("w").getBytes(StandardCharsets.UTF_8));
        if (policy != null) {
            chain = new AdmissionChain(new NoStoreContext());
            chain.policies().onChange(POLICIES.groupResource(), "replicas", policy);
            chain.policies().onChange(BINDINGS.groupResource(), "replicas", binding);
        }
        proveTheRulesRun();
    }

    /**
     * Refuses to measure unless the work it names is done: the valid Widget passes, and one that
     * breaks {@code replicas <= maxReplicas} is refused by the rules ({@code cel5}) or the policy
     * ({@code policy}); {@code plain} has no such rule and must let it through.
     */
    private void proveTheRulesRun() {
        validate();
        ObjectNode broken = widget.deepCopy();
        ((ObjectNode) broken.get("spec")).put("replicas", 50);
        Causes c = new Causes();
        validator.validateCreate(broken, c);
        boolean refused = !c.isEmpty();
        if (chain != null) {
            try {
                chain.validate(request(broken));
            } catch (KubeApiException denied) {
                refused = true;
            }
        }
        if (refused != !admission.equals("plain")) {
            throw new IllegalStateException(admission + ": a Widget with replicas over maxReplicas was " + (refused ? "" : "not ")
                    + "refused; the benchmark would not measure what it names");
        }
    }

    private static AdmissionRequest request(ObjectNode object) {
        return new AdmissionRequest(AdmissionRequest.Operation.CREATE, WIDGETS, "", "bench", "w", object, null, false);
    }

    @Benchmark
    public Object validate() {
        Causes c = new Causes();
        validator.validateCreate(widget, c);
        if (chain != null) {
            chain.validate(request(widget));
        }
        if (!c.isEmpty()) {
            throw new IllegalStateException(c.list().toString());
        }
        return c;
    }

    /** The policy's matching needs nothing from a store: no namespace selector, no params. */
    private static final class NoStoreContext implements AdmissionContext {
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
    }
}
