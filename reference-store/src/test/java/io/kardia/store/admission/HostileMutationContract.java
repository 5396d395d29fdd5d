package io.kardia.store.admission;

import static io.kardia.store.admission.ValidatingPolicyContract.denied;
import static io.kardia.store.admission.ValidatingPolicyContract.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.Status;
import io.kardia.store.TestKinds;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile mutations: a MutatingAdmissionPolicy or a mutating webhook whose mutation makes the
 * object break the store's write limits (nesting deeper than the limit, a body over the size
 * limit) is refused on create, update, every patch type and apply, and nothing of it is stored;
 * run against both transports by its subclasses.
 */
abstract class HostileMutationContract {
    static final ResourceType<GenericObject> BAGS = new ResourceType<>("limits.kardia.io", "v1", "Bag", "bags", "bag", true,
            List.of(), Set.of(), GenericObject.class);
    static final ResourceType<GenericObject> MAPS = new ResourceType<>("admissionregistration.k8s.io", "v1",
            "MutatingAdmissionPolicy", "mutatingadmissionpolicies", "mutatingadmissionpolicy", false, List.of(), Set.of("status"),
            GenericObject.class);
    static final ResourceType<GenericObject> MAP_BINDINGS = new ResourceType<>("admissionregistration.k8s.io", "v1",
            "MutatingAdmissionPolicyBinding", "mutatingadmissionpolicybindings", "mutatingadmissionpolicybinding", false,
            List.of(), Set.of(), GenericObject.class);
    static final ResourceType<GenericObject> MUTATING_WEBHOOKS = new ResourceType<>("admissionregistration.k8s.io", "v1",
            "MutatingWebhookConfiguration", "mutatingwebhookconfigurations", "mutatingwebhookconfiguration", false,
            List.of(), Set.of(), GenericObject.class);
    /** Levels the hostile mutations nest: far over the store's limit (96). */
    static final int LEVELS = 300;

    KubeClient client;
    TestWebhookServer hooks;
    private ContractTransport.Opened opened;

    /** Each test gets a fresh store, through this transport. */
    abstract ContractTransport transport();

    @BeforeEach
    void setUp() throws Exception {
        opened = transport().open();
        client = opened.client();
        hooks = new TestWebhookServer();
        client.resources(TestKinds.CRDS).create(yaml("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: bags.limits.kardia.io}
                spec:
                  group: limits.kardia.io
                  scope: Namespaced
                  names: {plural: bags, singular: bag, kind: Bag}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
                """));
    }

    @AfterEach
    void tearDown() {
        hooks.close();
        opened.close();
    }

    /** A MutatingAdmissionPolicy named {@code name} for Bags labelled grow={@code name}, with one mutation (YAML). */
    void policy(String name, String mutation) {
        client.resources(MAPS).create(yaml("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: MutatingAdmissionPolicy
                metadata: {name: %s}
                spec:
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [limits.kardia.io], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [bags]}
                  matchConditions:
                  - {name: grows, expression: "has(object.metadata.labels) && object.metadata.labels.?grow.orValue('') == '%s'"}
                  mutations:
                """.formatted(name, name) + mutation.indent(2)));
        client.resources(MAP_BINDINGS).create(yaml("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: MutatingAdmissionPolicyBinding
                metadata: {name: %s}
                spec: {policyName: %s}
                """.formatted(name, name)));
    }

    /**
     * A JSONPatch expression that nests {@link #LEVELS} objects under /spec/deep: each operation adds
     * ten levels one below the previous one (literal paths keep the CEL cost low).
     */
    static String deepJsonPatchExpression() {
        StringBuilder ops = new StringBuilder("[");
        String tenLevels = "{}";
        for (int i = 0; i < 9; i++) {
            tenLevels = "{'n': " + tenLevels + "}";
        }
        String path = "/spec/deep";
        for (int i = 0; i < LEVELS / 10; i++) {
            ops.append(i == 0 ? "" : ", ").append("JSONPatch{op: 'add', path: '").append(path).append("', value: ").append(tenLevels)
                    .append("}");
            path += "/n".repeat(10);
        }
        return ops.append("]").toString();
    }

    /** A spec nested {@code levels} objects deep: {@code {"n":{"n":...{}}}}. */
    static String nested(int levels) {
        return "{\"n\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1);
    }

    /** A mutating webhook for {@code resource} objects labelled grow=&lt;grow&gt; that answers {@code patch}. */
    void webhook(String group, String resource, String grow, String patch) {
        hooks.handle("/" + grow, review -> {
            boolean hit = grow.equals(review.path("request").path("object").path("metadata").path("labels").path("grow").asText());
            return TestWebhookServer.answer(review, true, null, hit ? patch : null);
        });
        client.resources(MUTATING_WEBHOOKS).create(yaml("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: MutatingWebhookConfiguration
                metadata: {name: %s}
                webhooks:
                - name: %s.limits.kardia.io
                  clientConfig: {url: "%s", caBundle: %s}
                  rules: [{apiGroups: ["%s"], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [%s]}]
                  sideEffects: None
                  admissionReviewVersions: [v1]
                """.formatted(grow, grow, hooks.url("/" + grow), hooks.caBundle(), group, resource)));
    }

    /** JSON patch operations adding {@link #LEVELS} nested objects under /spec/deep, one level per operation. */
    static String deepPatchOperations() {
        StringBuilder ops = new StringBuilder("[");
        String path = "/spec/deep";
        for (int i = 0; i < LEVELS; i++) {
            ops.append(i == 0 ? "" : ",").append("{\"op\":\"add\",\"path\":\"").append(path).append("\",\"value\":{}}");
            path += "/n";
        }
        return ops.append("]").toString();
    }

    /** A Bag, labelled grow={@code grow} unless null, with {@code spec} (JSON; null: a small one). */
    static GenericObject bag(String name, String grow, String spec) {
        String json = "{\"apiVersion\":\"limits.kardia.io/v1\",\"kind\":\"Bag\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"default\"" + (grow == null ? "" : ",\"labels\":{\"grow\":\"" + grow + "\"}")
                + "},\"spec\":" + (spec == null ? "{\"size\":1}" : spec) + "}";
        return Json.fromTree(Json.tree(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)), GenericObject.class);
    }

    @Test
    void aJsonPatchPolicyBuildingThreeHundredLevelsIsRefusedOnEveryWritePath() {
        policy("deep", """
                - patchType: JSONPatch
                  jsonPatch: {expression: "%s"}
                """.formatted(deepJsonPatchExpression()));
        assertEveryWriteRefused(client.resources(BAGS), "deep", null, s -> {
            assertThat(s.code()).as(s.message()).isEqualTo(403);
            assertThat(s.message()).contains("policy 'deep' with binding 'deep' denied request: ")
                    .contains("deeper than the limit of");
        });
    }

    @Test
    void anApplyConfigurationNestingTheObjectInsideItselfPastTheLimitIsRefusedOnEveryWritePath() {
        // the stored spec is within the limit (94 levels from the root); the copy wrapped in five more is not
        policy("wrap", """
                - patchType: ApplyConfiguration
                  applyConfiguration: {expression: 'Object{spec: {"copy": {"a": {"b": {"c": {"d": object.spec}}}}}}'}
                """);
        assertEveryWriteRefused(client.resources(BAGS), "wrap", nested(92), s -> {
            assertThat(s.code()).as(s.message()).isEqualTo(422);
            assertThat(s.message()).contains("nested deeper than the limit of");
        });
    }

    @Test
    void anObjectAPolicyNestedPastTheLimitIsRefusedBeforeAWebhookIsSentIt() {
        policy("wrap", """
                - patchType: ApplyConfiguration
                  applyConfiguration: {expression: 'Object{spec: {"copy": {"a": {"b": {"c": {"d": object.spec}}}}}}'}
                """);
        webhook("limits.kardia.io", "bags", "wrap", null);
        assertEveryWriteRefused(client.resources(BAGS), "wrap", nested(92), s -> {
            assertThat(s.code()).as(s.message()).isEqualTo(422);
            assertThat(s.message()).contains("nested deeper than the limit of");
        });
        assertThat(hooks.received("/wrap")).as("the webhook after the policy is never sent the too-deep object")
                .noneMatch(review -> review.at("/request/object/spec").has("copy"));
    }

    @Test
    void aPolicyWhoseExpressionNestsAThousandLevelsIsRefusedWhenWritten() {
        String deep = "{\"n\": ".repeat(1000) + "1" + "}".repeat(1000);
        GenericObject policy = yaml("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: MutatingAdmissionPolicy
                metadata: {name: thousand}
                spec:
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [limits.kardia.io], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [bags]}
                  mutations:
                  - patchType: ApplyConfiguration
                    applyConfiguration: {expression: 'Object{spec: %s}'}
                """.formatted(deep));
        Status s = denied(() -> client.resources(MAPS).create(policy));
        assertThat(s.code()).as(s.message()).isEqualTo(422);
        assertThat(s.message()).contains("spec.mutations[0].applyConfiguration.expression");
        assertThat(client.resources(MAPS).find(null, "thousand")).isEmpty();
    }

    @Test
    void aWebhookNestingAnObjectPastTheLimitIsRefusedOnEveryWritePath() {
        webhook("limits.kardia.io", "bags", "deep", deepPatchOperations());
        // kube-apiserver answers a webhook's patch that does not apply with an internal error, whatever the failurePolicy
        assertEveryWriteRefused(client.resources(BAGS), "deep", null, s -> {
            assertThat(s.code()).as(s.message()).isEqualTo(500);
            assertThat(s.message()).contains("failed calling webhook \"deep.limits.kardia.io\"").contains("deeper than the limit of");
        });
    }

    @Test
    void aWebhookGrowingAnObjectPastTheSizeLimitIsRefusedOnEveryWritePathAndPatchType() {
        String big = "x".repeat(2 * 1024 * 1024);
        webhook("", "configmaps", "big", "[{\"op\":\"add\",\"path\":\"/data/big\",\"value\":\"" + big + "\"}]");
        ResourceClient<GenericObject> configMaps = client.resources(TestKinds.CONFIGMAPS);
        GenericObject small = yaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: small, namespace: default}\ndata: {k: v}\n");
        GenericObject labelled = yaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: default, labels: {grow: big}}\n"
                + "data: {k: v}\n");
        java.util.function.Consumer<Status> tooLarge = s -> {
            assertThat(s.code()).isEqualTo(413);
            assertThat(s.message()).contains("Request entity too large");
        };
        tooLarge.accept(denied(() -> configMaps.create(labelled)));
        assertThat(configMaps.find("default", "c")).isEmpty();
        GenericObject stored = configMaps.create(small);
        String label = "{\"metadata\":{\"labels\":{\"grow\":\"big\"}}}";
        tooLarge.accept(denied(() -> configMaps.patch("default", "small", PatchType.STRATEGIC, label)));
        assertUnchanged(configMaps, stored);
        assertEveryWriteRefused(configMaps, stored, "big", tooLarge);
    }

    /** Creates a Bag labelled to grow (refused, not stored), one without the label, then every write path adding the label. */
    private void assertEveryWriteRefused(ResourceClient<GenericObject> bags, String grow, String spec,
                                         java.util.function.Consumer<Status> refusal) {
        refusal.accept(denied(() -> bags.create(bag("grown", grow, spec))));
        assertThat(bags.find("default", "grown")).as("a refused create stores nothing").isEmpty();
        GenericObject stored = bags.create(bag("plain", null, spec));
        assertEveryWriteRefused(bags, stored, grow, refusal);
    }

    /** Update, JSON merge patch, JSON patch and apply of {@code stored} adding the label grow={@code grow}: each refused, {@code stored} unchanged. */
    private void assertEveryWriteRefused(ResourceClient<GenericObject> client, GenericObject stored, String grow,
                                         java.util.function.Consumer<Status> refusal) {
        String ns = stored.metadata().namespace();
        String name = stored.metadata().name();
        ObjectNode updated = (ObjectNode) Json.toTree(stored);
        ((ObjectNode) updated.path("metadata")).putObject("labels").put("grow", grow);
        List<Supplier<?>> writes = List.of(
                () -> client.update(Json.fromTree(updated, GenericObject.class)),
                () -> client.patch(ns, name, PatchType.MERGE, "{\"metadata\":{\"labels\":{\"grow\":\"" + grow + "\"}}}"),
                () -> client.patch(ns, name, PatchType.JSON, "[{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"grow\":\""
                        + grow + "\"}}]"),
                () -> client.patch(ns, name, PatchType.APPLY, "{\"apiVersion\":\"" + stored.apiVersion() + "\",\"kind\":\""
                        + stored.kind() + "\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + ns
                        + "\",\"labels\":{\"grow\":\"" + grow + "\"}}}", WriteOptions.apply("hostile").withForce(true)));
        for (Supplier<?> write : writes) {
            refusal.accept(denied(write));
            assertUnchanged(client, stored);
        }
    }

    private static void assertUnchanged(ResourceClient<GenericObject> client, GenericObject stored) {
        GenericObject now = client.get(stored.metadata().namespace(), stored.metadata().name());
        assertThat(now.metadata().resourceVersion()).as("nothing of a refused write is stored")
                .isEqualTo(stored.metadata().resourceVersion());
        JsonNode labels = Json.toTree(now).path("metadata").path("labels");
        assertThat(labels.has("grow")).isFalse();
    }
}
