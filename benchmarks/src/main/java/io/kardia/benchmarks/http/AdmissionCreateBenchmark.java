package io.kardia.benchmarks.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Yaml;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ResourceType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.openjdk.jmh.annotations.Threads;

/**
 * The cost of admission on a create over HTTP (issue 22): custom objects created per second by 8
 * keep-alive clients on loopback, with their CRD's schema alone ({@code plain}), with five
 * {@code x-kubernetes-validations} rules ({@code cel5}), with one ValidatingAdmissionPolicy
 * bound to the kind ({@code policy}), or with one validating webhook ({@code webhook}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(8)
public class AdmissionCreateBenchmark {
    private static final ResourceType<GenericObject> CRDS = new ResourceType<>("apiextensions.k8s.io", "v1",
            "CustomResourceDefinition", "customresourcedefinitions", "customresourcedefinition", false, List.of(), Set.of("status"),
            GenericObject.class);
    private static final ResourceType<GenericObject> WIDGETS = new ResourceType<>("bench.kardia.io", "v1", "Widget", "widgets",
            "widget", true, List.of(), Set.of(), GenericObject.class);
    private static final String RULES = """
                x-kubernetes-validations:
                - {rule: "self.replicas <= self.maxReplicas", message: replicas must not exceed maxReplicas}
                - {rule: "self.image.startsWith('registry.example.com/')", message: image must come from the registry}
                - {rule: "self.tags.all(t, t.size() <= 20)", message: tags are short}
                - {rule: "!has(self.mode) || self.mode in ['fast', 'safe']", message: mode is fast or safe}
                - {rule: "quantity(self.memory).isLessThan(quantity('4Gi'))", message: memory under 4Gi}
            """;

    @Param({"plain", "cel5", "policy", "webhook"})
    public String admission;

    private HttpBenchServer server;
    private AutoCloseable installed;
    private final AtomicLong names = new AtomicLong();

    @Setup(Level.Trial)
    public void start() {
        server = new HttpBenchServer();
        installed = install(server.store, admission);
    }

    public static final String POLICY = """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: replicas}
            spec:
              matchConstraints:
                resourceRules:
                - {apiGroups: [bench.kardia.io], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [widgets]}
              validations:
              - {expression: "object.spec.replicas <= object.spec.maxReplicas", message: replicas must not exceed maxReplicas}
            """;
    public static final String BINDING = """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicyBinding
            metadata: {name: replicas}
            spec: {policyName: replicas, validationActions: [Deny]}
            """;

    /** The Widget CRD, with five CEL rules when {@code admission} is {@code cel5}. */
    public static ObjectNode crd(String admission) {
        String schema = """
                type: object
                properties:
                  spec:
                    type: object
                %s    properties:
                      replicas: {type: integer}
                      maxReplicas: {type: integer}
                      image: {type: string, maxLength: 200}
                      mode: {type: string, maxLength: 10}
                      memory: {type: string, maxLength: 20}
                      tags: {type: array, maxItems: 10, items: {type: string, maxLength: 50}}
                """.formatted(admission.equals("cel5") ? RULES : "");
        ObjectNode crd = (ObjectNode) Yaml.tree("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: widgets.bench.kardia.io}
                spec:
                  group: bench.kardia.io
                  scope: Namespaced
                  names: {plural: widgets, singular: widget, kind: Widget}
                  versions: [{name: v1, served: true, storage: true, schema: {}}]
                """);
        ((ObjectNode) crd.at("/spec/versions/0/schema")).set("openAPIV3Schema", Yaml.tree(schema));
        return crd;
    }

    /**
     * Creates the Widget CRD in {@code store}, with five CEL rules ({@code cel5}), bound to one
     * policy ({@code policy}), or validated by one webhook ({@code webhook}: Kardia's SDK webhook
     * server on loopback HTTPS, a Validator that allows every Widget); what to close afterwards.
     */
    public static AutoCloseable install(io.kardia.store.ReferenceStore store, String admission) {
        store.create(CRDS, null, crd(admission), WriteOptions.DEFAULT);
        if (admission.equals("webhook")) {
            io.kardia.runtime.webhook.Webhooks webhooks = io.kardia.runtime.webhook.Webhooks.builder()
                    .validator(WIDGETS, new io.kardia.runtime.webhook.Validator<GenericObject>() { })
                    .build();
            try {
                webhooks.start();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            store.create(new ResourceType<>("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration",
                    "validatingwebhookconfigurations", "validatingwebhookconfiguration", false, List.of(), Set.of(), GenericObject.class),
                    null, webhooks.validatingConfiguration("bench", io.kardia.runtime.webhook.Webhooks.Target.url(
                            "https://127.0.0.1:" + webhooks.port())), WriteOptions.DEFAULT);
            return webhooks;
        }
        if (admission.equals("policy")) {
            store.create(new ResourceType<>("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicy",
                    "validatingadmissionpolicies", "validatingadmissionpolicy", false, List.of(), Set.of("status"), GenericObject.class),
                    null, (ObjectNode) Yaml.tree(POLICY), WriteOptions.DEFAULT);
            store.create(new ResourceType<>("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicyBinding",
                    "validatingadmissionpolicybindings", "validatingadmissionpolicybinding", false, List.of(), Set.of(), GenericObject.class),
                    null, (ObjectNode) Yaml.tree(BINDING), WriteOptions.DEFAULT);
        }
        return () -> { };
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        installed.close();
        server.close();
    }

    /** A valid Widget named {@code name} (it passes every rule and the policy). */
    public static String widget(String name) {
        return "{\"apiVersion\":\"bench.kardia.io/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"" + name
                + "\"},\"spec\":{\"replicas\":2,\"maxReplicas\":5,\"image\":\"registry.example.com/web:1.0\",\"mode\":\"safe\","
                + "\"memory\":\"512Mi\",\"tags\":[\"a\",\"b\",\"c\"]}}";
    }

    /** Per benchmark thread: its own keep-alive connection. */
    @State(Scope.Thread)
    public static class Connection {
        KeepAliveClient client;

        @Setup(Level.Trial)
        public void open(AdmissionCreateBenchmark bench) throws java.io.IOException {
            client = new KeepAliveClient(bench.server.server.port());
        }

        @TearDown(Level.Trial)
        public void close() throws java.io.IOException {
            client.close();
        }
    }

    @Benchmark
    public int createWidget(Connection c) throws Exception {
        String body = widget("w-" + names.incrementAndGet());
        int code = c.client.send("POST", "/apis/bench.kardia.io/v1/namespaces/" + HttpBenchServer.NAMESPACE + "/widgets", server.token,
                body.getBytes(StandardCharsets.UTF_8));
        if (code != 201) {
            throw new IllegalStateException("create answered " + code);
        }
        return code;
    }
}
