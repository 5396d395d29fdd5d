package io.kardia.store.admission;

import static io.kardia.store.admission.ValidatingPolicyContract.configMap;
import static io.kardia.store.admission.ValidatingPolicyContract.denied;
import static io.kardia.store.admission.ValidatingPolicyContract.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.json.Json;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.Status;
import io.kardia.store.TestKinds;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MutatingAdmissionPolicy and its bindings on every write path, with kube-apiserver's semantics and wording; both transports. */
abstract class MutatingPolicyContract {
    static final ResourceType<GenericObject> POLICIES = new ResourceType<>("admissionregistration.k8s.io", "v1",
            "MutatingAdmissionPolicy", "mutatingadmissionpolicies", "mutatingadmissionpolicy", false, List.of(), Set.of(),
            GenericObject.class);
    static final ResourceType<GenericObject> BINDINGS = new ResourceType<>("admissionregistration.k8s.io", "v1",
            "MutatingAdmissionPolicyBinding", "mutatingadmissionpolicybindings", "mutatingadmissionpolicybinding", false,
            List.of(), Set.of(), GenericObject.class);
    static final ResourceType<GenericObject> BETA_POLICIES = new ResourceType<>("admissionregistration.k8s.io", "v1beta1",
            "MutatingAdmissionPolicy", "mutatingadmissionpolicies", "mutatingadmissionpolicy", false, List.of(), Set.of(),
            GenericObject.class);
    static final ResourceType<GenericObject> BETA_BINDINGS = new ResourceType<>("admissionregistration.k8s.io", "v1beta1",
            "MutatingAdmissionPolicyBinding", "mutatingadmissionpolicybindings", "mutatingadmissionpolicybinding", false,
            List.of(), Set.of(), GenericObject.class);

    KubeClient client;
    private ContractTransport.Opened opened;

    /** Each test gets a fresh store, through this transport. */
    abstract ContractTransport transport();

    @BeforeEach
    void setUp() {
        opened = transport().open();
        client = opened.client();
    }

    @AfterEach
    void tearDown() {
        opened.close();
    }

    void policy(String yaml) {
        client.resources(POLICIES).create(yaml("apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingAdmissionPolicy\n" + yaml));
    }

    void binding(String name, String policy, String extra) {
        client.resources(BINDINGS).create(yaml("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: MutatingAdmissionPolicyBinding
                metadata: {name: %s}
                spec:
                  policyName: %s
                """.formatted(name, policy) + extra));
    }

    ResourceClient<GenericObject> configMaps() {
        return client.resources(TestKinds.CONFIGMAPS);
    }

    JsonNode configMapTree(String name) {
        return Json.toTree(configMaps().get("default", name));
    }

    static String configMapPolicy(String name, String extra) {
        return """
                metadata: {name: %s}
                spec:
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [configmaps]}
                """.formatted(name) + extra;
    }

    @Test
    void anApplyConfigurationMergesIntoTheObjectOnCreateUpdateAndPatch() {
        policy(configMapPolicy("team-label", """
                  mutations:
                  - patchType: ApplyConfiguration
                    applyConfiguration:
                      expression: >
                        Object{metadata: Object.metadata{labels: {"team": "blue"}}, data: {"added": "by-policy"}}
                """));
        binding("team-label", "team-label", "");
        configMaps().create(yaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: default, labels: {app: web}}\n"
                + "data: {k: v}\n"));
        JsonNode a = configMapTree("a");
        assertThat(a.path("metadata").path("labels").path("team").asText()).isEqualTo("blue");
        assertThat(a.path("metadata").path("labels").path("app").asText()).as("merged, not replaced").isEqualTo("web");
        assertThat(a.path("data").path("k").asText()).isEqualTo("v");
        assertThat(a.path("data").path("added").asText()).isEqualTo("by-policy");

        configMaps().patch("default", "a", PatchType.MERGE, "{\"metadata\":{\"labels\":{\"team\":\"red\"}},\"data\":{\"added\":null}}");
        JsonNode patched = configMapTree("a");
        assertThat(patched.path("metadata").path("labels").path("team").asText()).as("the policy runs on every update").isEqualTo("blue");
        assertThat(patched.path("data").path("added").asText()).isEqualTo("by-policy");
    }

    @Test
    void theAuthorizerIsAvailableToMatchConditionsAndMutations() {
        policy(configMapPolicy("checked", """
                  matchConditions:
                  - {name: may-create, expression: "authorizer.requestResource.check('create').allowed()"}
                  mutations:
                  - patchType: ApplyConfiguration
                    applyConfiguration:
                      expression: >
                        Object{data: {"approve": string(authorizer.group('').resource('configmaps')
                        .namespace(object.metadata.namespace).check('approve').allowed())}}
                """));
        binding("checked", "checked", "");
        configMaps().create(yaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: default}\ndata: {k: v}\n"));
        // in process nothing authorizes writes (AlwaysAllow); over HTTP the writer is the admin
        assertThat(configMapTree("a").path("data").path("approve").asText()).isEqualTo("true");
    }

    @Test
    void aJsonPatchWithEscapedKeysAndAFailedTestOperation() {
        policy(configMapPolicy("annotate", """
                  mutations:
                  - patchType: JSONPatch
                    jsonPatch:
                      expression: >
                        [JSONPatch{op: "add", path: "/metadata/annotations", value: {}},
                         JSONPatch{op: "add", path: "/metadata/annotations/" + jsonpatch.escapeKey("example.com/owner"),
                                   value: object.metadata.name}]
                  - patchType: JSONPatch
                    jsonPatch:
                      expression: >
                        [JSONPatch{op: "test", path: "/data/mode", value: "strict"},
                         JSONPatch{op: "add", path: "/data/checked", value: "yes"}]
                """));
        binding("annotate", "annotate", "");
        configMaps().create(configMap("loose", "{mode: loose}"));
        configMaps().create(configMap("strict", "{mode: strict}"));
        JsonNode loose = configMapTree("loose");
        assertThat(loose.path("metadata").path("annotations").path("example.com/owner").asText()).isEqualTo("loose");
        assertThat(loose.path("data").has("checked")).as("a failed test applies none of its patch").isFalse();
        assertThat(configMapTree("strict").path("data").path("checked").asText()).isEqualTo("yes");
    }

    @Test
    void paramsMatchConditionsAndVariablesOfAV1beta1Policy() {
        client.resources(BETA_POLICIES).create(yaml("""
                apiVersion: admissionregistration.k8s.io/v1beta1
                kind: MutatingAdmissionPolicy
                metadata: {name: defaults}
                spec:
                  paramKind: {apiVersion: v1, kind: ConfigMap}
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}
                    excludeResourceRules:
                    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps], resourceNames: [defaults]}
                  matchConditions:
                  - name: not-skipped
                    expression: object.metadata.name != 'skip-me'
                  variables:
                  - name: tier
                    expression: params.data.tier
                  mutations:
                  - patchType: ApplyConfiguration
                    applyConfiguration:
                      expression: 'Object{metadata: Object.metadata{labels: {"tier": variables.tier}}}'
                """));
        client.resources(BETA_BINDINGS).create(yaml("""
                apiVersion: admissionregistration.k8s.io/v1beta1
                kind: MutatingAdmissionPolicyBinding
                metadata: {name: defaults}
                spec:
                  policyName: defaults
                  paramRef: {name: defaults, parameterNotFoundAction: Deny}
                """));
        Status missing = denied(() -> configMaps().create(configMap("early", "{k: v}")));
        assertThat(missing.code()).isEqualTo(403);
        assertThat(missing.reason()).isEqualTo("Forbidden");
        assertThat(missing.message()).isEqualTo("policy 'defaults' with binding 'defaults' denied request: failed to configure binding: "
                + "no params found for policy binding with `Deny` parameterNotFoundAction");
        assertThat(configMaps().find("default", "early")).isEmpty();

        configMaps().create(configMap("defaults", "{tier: gold}"));
        configMaps().create(configMap("skip-me", "{k: v}"));
        assertThat(configMapTree("skip-me").path("metadata").has("labels")).as("a false matchCondition skips the policy").isFalse();
        configMaps().create(configMap("b", "{k: v}"));
        assertThat(configMapTree("b").path("metadata").path("labels").path("tier").asText()).isEqualTo("gold");
    }

    @Test
    void errorsFollowTheFailurePolicyWithKubesWording() {
        policy(configMapPolicy("broken", """
                  failurePolicy: Fail
                  mutations:
                  - patchType: ApplyConfiguration
                    applyConfiguration:
                      expression: 'Object{data: {"copy": object.data.missing}}'
                """));
        binding("broken", "broken", "");
        Status s = denied(() -> configMaps().create(configMap("a", "{k: v}")));
        String expected = "policy 'broken' with binding 'broken' denied request: expression "
                + "'Object{data: {\"copy\": object.data.missing}}' resulted in error: ";
        assertThat(s.code()).isEqualTo(403);
        assertThat(s.reason()).isEqualTo("Invalid");
        assertThat(s.message()).startsWith(expected).contains("missing");
        assertThat(s.details().causes()).extracting(Status.Cause::message).containsExactly(s.message());
        assertThat(configMaps().find("default", "a")).isEmpty();

        JsonNode stored = Json.toTree(client.resources(POLICIES).get(null, "broken"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) stored.path("spec")).put("failurePolicy", "Ignore");
        client.resources(POLICIES).update(Json.fromTree(stored, GenericObject.class));
        configMaps().create(configMap("a", "{k: v}"));
        assertThat(configMapTree("a").path("data").has("copy")).as("under Ignore the failing mutation is skipped").isFalse();
    }

    @Test
    void aMutatingPolicyOrBindingThatIsNotValidIsRefusedNamingTheField() {
        Status s = denied(() -> {
            policy(configMapPolicy("broken", """
                      reinvocationPolicy: Sometimes
                      mutations:
                      - patchType: ApplyConfiguration
                        applyConfiguration:
                          expression: 'Object{data: {"a": object.data.size( }}'
                      - patchType: JSONPatch
                        jsonPatch:
                          expression: "'not a patch list'"
                      - patchType: Replace
                      - patchType: JSONPatch
                        applyConfiguration: {expression: "Object{}"}
                    """));
            return null;
        });
        assertThat(s.code()).isEqualTo(422);
        assertThat(s.details().causes()).extracting(Status.Cause::field).containsExactlyInAnyOrder(
                "spec.reinvocationPolicy", "spec.mutations[0].applyConfiguration.expression", "spec.mutations[1].jsonPatch.expression",
                "spec.mutations[2].patchType", "spec.mutations[3].applyConfiguration", "spec.mutations[3].jsonPatch");
        assertThat(s.message()).contains("spec.mutations[0].applyConfiguration.expression: Invalid value: ")
                .contains("compilation failed: ERROR: <input>:1:")
                .contains("spec.mutations[1].jsonPatch.expression: Invalid value: \"'not a patch list'\": must evaluate to list(JSONPatch)");
        assertThat(client.resources(POLICIES).find(null, "broken")).isEmpty();

        Status empty = denied(() -> {
            policy("metadata: {name: empty}\nspec: {}\n");
            return null;
        });
        assertThat(empty.details().causes()).extracting(Status.Cause::field)
                .containsExactlyInAnyOrder("spec.matchConstraints", "spec.mutations");
        Status b = denied(() -> {
            binding("loose", "Not_A_Name", "  paramRef: {}\n");
            return null;
        });
        assertThat(b.details().causes()).extracting(Status.Cause::field)
                .containsExactlyInAnyOrder("spec.policyName", "spec.paramRef", "spec.paramRef.parameterNotFoundAction");
    }

    @Test
    void initialiserTypeNamesMustFollowTheFieldPath() {
        policy(configMapPolicy("misnamed", """
                  mutations:
                  - patchType: ApplyConfiguration
                    applyConfiguration:
                      expression: 'Object{metadata: Object.spec{labels: {"a": "b"}}}'
                """));
        binding("misnamed", "misnamed", "");
        assertThat(denied(() -> configMaps().create(configMap("a", "{k: v}"))).message())
                .isEqualTo("policy 'misnamed' with binding 'misnamed' denied request: type mismatch: unexpected type name "
                        + "\"Object.spec\", expected \"Object.metadata\", which matches field name path from root Object type");
    }

    @Test
    void anApplyConfigurationIsTypedByTheKindsSchemaWithKubesWording() {
        policy(configMapPolicy("misspelt", """
                  mutations:
                  - patchType: ApplyConfiguration
                    applyConfiguration:
                      expression: 'Object{metadata: Object.metadata{labels: {"a": "b"}}, datta: {"k": "v"}}'
                """));
        binding("misspelt", "misspelt", "");
        assertThat(denied(() -> configMaps().create(configMap("a", "{k: v}"))).message())
                .isEqualTo("policy 'misspelt' with binding 'misspelt' denied request: error applying patch: failed to convert "
                        + "patch object to typed object: .datta: field not declared in schema");
        assertThat(configMaps().find("default", "a")).isEmpty();

        policy("""
                metadata: {name: image}
                spec:
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
                  mutations:
                  - patchType: ApplyConfiguration
                    applyConfiguration:
                      expression: >
                        Object{spec: Object.spec{containers: [Object.spec.containers{name: "app", image: 3}],
                          activeDeadlineSeconds: "soon", hostNetwork: "yes"}}
                """);
        binding("image", "image", "");
        Status s = denied(() -> client.resources(TestKinds.PODS).create(yaml("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p, namespace: default}
                spec: {containers: [{name: app, image: nginx}]}
                """)));
        // every wrong value is one line (in the order of the object's fields, as structured-merge-diff walks it)
        assertThat(s.message()).startsWith("policy 'image' with binding 'image' denied request: error applying patch: failed to "
                + "convert patch object to typed object: errors:\n  ");
        assertThat(s.message().lines().skip(1).map(String::strip)).containsExactlyInAnyOrder(
                ".spec.containers[name=\"app\"].image: expected string, got &value.valueUnstructured{Value:3}",
                ".spec.activeDeadlineSeconds: expected numeric (int or float), got string",
                ".spec.hostNetwork: expected boolean, got &{yes}");
        assertThat(client.resources(TestKinds.PODS).find("default", "p")).isEmpty();
    }

    /**
     * A wrong value the policy copied from the object is the client's: its echo in the refusal keeps
     * a short prefix and says how long it was, so a huge value is not sent back whole.
     */
    @Test
    void aLongWrongValueIsEchoedCutShort() {
        policy(configMapPolicy("copies", """
                  mutations:
                  - patchType: ApplyConfiguration
                    applyConfiguration:
                      expression: 'Object{immutable: object.data["big"], data: {"k": [object.data["big"]]}}'
                """));
        binding("copies", "copies", "");
        String big = "x".repeat(100_000);
        Status s = denied(() -> configMaps().create(configMap("a", "{big: " + big + "}")));
        assertThat(s.message().length()).as("the refusal's length").isLessThan(1_000);
        assertThat(s.message().lines().skip(1).map(String::strip)).containsExactlyInAnyOrder(
                ".immutable: expected boolean, got &{" + "x".repeat(64) + "... (truncated: 100000 characters)}",
                ".data.k: expected string, got &value.valueUnstructured{Value:[]interface {}{\"" + "x".repeat(48)
                        + "... (truncated: 100018 characters)}");
        assertThat(configMaps().find("default", "a")).isEmpty();
    }

    static final ResourceType<GenericObject> GIZMOS = new ResourceType<>("example.kardia.io", "v1", "Gizmo", "gizmos", "gizmo",
            true, List.of(), Set.of(), GenericObject.class);

    @Test
    void aCustomResourcesApplyConfigurationIsTypedByItsSchemaAndKeepsWhatItPreserves() {
        client.resources(TestKinds.CRDS).create(yaml("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: gizmos.example.kardia.io}
                spec:
                  group: example.kardia.io
                  scope: Namespaced
                  names: {plural: gizmos, singular: gizmo, kind: Gizmo, listKind: GizmoList}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec:
                            type: object
                            properties:
                              size: {type: integer}
                              extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
                """));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> client.resources(GIZMOS).list("default") != null);
        policy("""
                metadata: {name: sized}
                spec:
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [example.kardia.io], apiVersions: [v1], operations: [CREATE], resources: [gizmos]}
                  mutations:
                  - patchType: ApplyConfiguration
                    applyConfiguration:
                      expression: 'Object{spec: Object.spec{size: 2, extra: {"anything": {"goes": 1}}}}'
                """);
        binding("sized", "sized", "");
        client.resources(GIZMOS).create(yaml("apiVersion: example.kardia.io/v1\nkind: Gizmo\nmetadata: {name: a, namespace: default}\n"));
        JsonNode a = Json.toTree(client.resources(GIZMOS).get("default", "a")).path("spec");
        assertThat(a.path("size").asInt()).isEqualTo(2);
        assertThat(a.path("extra").path("anything").path("goes").asInt()).isEqualTo(1);

        policy("""
                metadata: {name: coloured}
                spec:
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [example.kardia.io], apiVersions: [v1], operations: [CREATE], resources: [gizmos]}
                  mutations:
                  - patchType: ApplyConfiguration
                    applyConfiguration:
                      expression: 'Object{spec: Object.spec{colour: "red"}}'
                """);
        binding("coloured", "coloured", "");
        assertThat(denied(() -> client.resources(GIZMOS).create(
                yaml("apiVersion: example.kardia.io/v1\nkind: Gizmo\nmetadata: {name: b, namespace: default}\n"))).message())
                .isEqualTo("policy 'coloured' with binding 'coloured' denied request: error applying patch: failed to convert "
                        + "patch object to typed object: .spec.colour: field not declared in schema");
        assertThat(client.resources(GIZMOS).find("default", "b")).isEmpty();
    }

    @Test
    void anApplyConfigurationMayNotSetAnAtomicList() {
        policy("""
                metadata: {name: args}
                spec:
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
                  mutations:
                  - patchType: ApplyConfiguration
                    applyConfiguration:
                      expression: 'Object{spec: Object.spec{containers: [Object.spec.containers{name: "app", args: ["--safe"]}]}}'
                """);
        binding("args", "args", "");
        Status s = denied(() -> client.resources(TestKinds.PODS).create(yaml("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p, namespace: default}
                spec: {containers: [{name: app, image: nginx}]}
                """)));
        assertThat(s.message()).isEqualTo("policy 'args' with binding 'args' denied request: error applying patch: invalid "
                + "ApplyConfiguration: may not mutate atomic arrays, maps or structs: .spec.containers[0].args");
    }

    @Test
    void anApplyConfigurationMergesAssociativeListsByKey() {
        policy("""
                metadata: {name: sidecar-env}
                spec:
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
                  mutations:
                  - patchType: ApplyConfiguration
                    applyConfiguration:
                      expression: >
                        Object{spec: Object.spec{containers: [Object.spec.containers{name: "app",
                          env: [Object.spec.containers.env{name: "MODE", value: "safe"}]}]}}
                """);
        binding("sidecar-env", "sidecar-env", "");
        client.resources(TestKinds.PODS).create(yaml("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p, namespace: default}
                spec: {containers: [{name: side, image: busybox}, {name: app, image: nginx, env: [{name: A, value: "1"}]}]}
                """));
        JsonNode containers = Json.toTree(client.resources(TestKinds.PODS).get("default", "p")).path("spec").path("containers");
        assertThat(containers).hasSize(2);
        assertThat(containers.get(0).path("name").asText()).isEqualTo("side");
        assertThat(containers.get(1).path("image").asText()).isEqualTo("nginx");
        assertThat(containers.get(1).path("env").findValuesAsText("name")).containsExactly("A", "MODE");
    }

    @Test
    void anIfNeededPolicyIsReinvokedWhenALaterPolicyChangesTheObject() {
        // 'a-copy' runs first (by name) and copies label 'b', which only 'b-set' (after it) sets
        policy(configMapPolicy("a-copy", """
                  reinvocationPolicy: IfNeeded
                  mutations:
                  - patchType: ApplyConfiguration
                    applyConfiguration:
                      expression: >
                        has(object.metadata.labels) && 'b' in object.metadata.labels
                          ? Object{metadata: Object.metadata{labels: {"b-copy": object.metadata.labels['b']}}}
                          : Object{}
                """));
        policy(configMapPolicy("b-set", """
                  mutations:
                  - patchType: ApplyConfiguration
                    applyConfiguration:
                      expression: 'Object{metadata: Object.metadata{labels: {"b": "set"}}}'
                """));
        binding("a-copy", "a-copy", "");
        binding("b-set", "b-set", "");
        configMaps().create(configMap("a", "{k: v}"));
        assertThat(configMapTree("a").path("metadata").path("labels").path("b-copy").asText()).isEqualTo("set");

        JsonNode stored = Json.toTree(client.resources(POLICIES).get(null, "a-copy"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) stored.path("spec")).put("reinvocationPolicy", "Never");
        client.resources(POLICIES).update(Json.fromTree(stored, GenericObject.class));
        configMaps().create(configMap("never", "{k: v}"));
        assertThat(configMapTree("never").path("metadata").path("labels").has("b-copy"))
                .as("a Never policy does not see the later change").isFalse();
    }

    @Test
    void deletesAndOtherResourcesAreLeftAlone() {
        policy(configMapPolicy("team-label", """
                  mutations:
                  - patchType: ApplyConfiguration
                    applyConfiguration:
                      expression: 'Object{metadata: Object.metadata{labels: {"team": "blue"}}}'
                """));
        binding("team-label", "team-label", "");
        client.resources(TestKinds.LEASES).create(yaml("apiVersion: coordination.k8s.io/v1\nkind: Lease\n"
                + "metadata: {name: l, namespace: default}\n"));
        assertThat(Json.toTree(client.resources(TestKinds.LEASES).get("default", "l")).path("metadata").has("labels")).isFalse();
        configMaps().create(configMap("a", "{k: v}"));
        configMaps().delete("default", "a");
        assertThat(configMaps().find("default", "a")).isEmpty();
    }
}
