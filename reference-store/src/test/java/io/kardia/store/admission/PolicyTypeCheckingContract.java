package io.kardia.store.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.PatchType;
import io.kardia.core.json.Json;
import io.kardia.core.model.GenericObject;
import io.kardia.store.TestKinds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ValidatingAdmissionPolicy {@code status.typeChecking}: the store type-checks a policy's
 * validations against the kinds it matches, as kube's status controller, and writes the warnings
 * with {@code status.observedGeneration} shortly after the policy is written; both transports.
 */
abstract class PolicyTypeCheckingContract {
    KubeClient client;
    ContractTransport.Opened opened;

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

    private void policy(String yaml) {
        client.resources(ValidatingPolicyContract.POLICIES).create(ValidatingPolicyContract.yaml(
                "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\n" + yaml));
    }

    /** The policy's status once the store has checked generation {@code generation}. */
    private JsonNode statusAt(String name, long generation) {
        JsonNode[] status = new JsonNode[1];
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode p = Json.toTree(client.resources(ValidatingPolicyContract.POLICIES).get(null, name));
            status[0] = p.path("status");
            return status[0].path("observedGeneration").asLong(0) >= generation;
        });
        return status[0];
    }

    private static List<String> fieldRefs(JsonNode status) {
        List<String> out = new ArrayList<>();
        status.path("typeChecking").path("expressionWarnings").forEach(w -> out.add(w.path("fieldRef").asText()));
        return out;
    }

    private static String warning(JsonNode status, String fieldRef) {
        for (JsonNode w : status.path("typeChecking").path("expressionWarnings")) {
            if (w.path("fieldRef").asText().equals(fieldRef)) {
                return w.path("warning").asText();
            }
        }
        throw new AssertionError("no warning for " + fieldRef + " in " + status);
    }

    @Test
    void fieldsTheMatchedKindDoesNotHaveAndWrongTypesAreWarnedAboutWithKubesWording() {
        policy("""
                metadata: {name: replicas}
                spec:
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments, deployments/scale]}
                  variables:
                  - {name: wanted, expression: "object.spec.replicas"}
                  validations:
                  - expression: "object.spec.replicas <= 5 && object.metadata.labels['app'] != '' && variables.wanted >= 0"
                  - expression: "object.spec.replicass <= 5"
                    messageExpression: "'too many: ' + object.spec.replicas"
                  - expression: "request.operation == 'CREATE' && variables.wanted == 'three'"
                """);
        JsonNode status = statusAt("replicas", 1);
        assertThat(fieldRefs(status)).containsExactly("spec.validations[1].expression", "spec.validations[1].messageExpression",
                "spec.validations[2].expression");
        assertThat(warning(status, "spec.validations[1].expression")).isEqualTo("""
                apps/v1, Kind=Deployment: ERROR: <input>:1:12: undefined field 'replicass'
                 | object.spec.replicass <= 5
                 | ...........^
                """);
        assertThat(warning(status, "spec.validations[1].messageExpression"))
                .startsWith("apps/v1, Kind=Deployment: ERROR: <input>:1:14: found no matching overload for '_+_' applied to '(string, int)'");
        assertThat(warning(status, "spec.validations[2].expression"))
                .contains("found no matching overload for '_==_' applied to '(int, string)'");
        // the policy is stored and works as written: the warnings change nothing
        assertThat(status.path("typeChecking").isObject()).isTrue();
    }

    @Test
    void aNewGenerationIsCheckedAgainAndAFixedPolicyHasNoWarnings() {
        policy("""
                metadata: {name: cm}
                spec:
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}
                  validations:
                  - expression: "object.datta.size() < 10"
                status: {observedGeneration: 9, typeChecking: {}}
                """);
        assertThat(fieldRefs(statusAt("cm", 1))).containsExactly("spec.validations[0].expression");
        assertThat(warning(statusAt("cm", 1), "spec.validations[0].expression")).startsWith("/v1, Kind=ConfigMap: ERROR: ");
        client.resources(ValidatingPolicyContract.POLICIES).patch(null, "cm", PatchType.MERGE, "{\"spec\":{\"validations\":[{\"expression\":\"object.data.size() < 10\"}]}}");
        JsonNode fixed = statusAt("cm", 2);
        assertThat(fixed.path("observedGeneration").asLong()).isEqualTo(2);
        assertThat(fixed.path("typeChecking").isObject()).isTrue();
        assertThat(fieldRefs(fixed)).isEmpty();
    }

    @Test
    void wildcardsUnknownResourcesAndAMissingParamKindAreNotChecked() {
        policy("""
                metadata: {name: loose}
                spec:
                  paramKind: {apiVersion: example.kardia.io/v1, kind: NoSuchKind}
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: ["*"], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}
                    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: ["*"]}
                    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [nosuchthings, configmaps/status]}
                  validations:
                  - expression: "object.nope == params.whatever"
                """);
        JsonNode status = statusAt("loose", 1);
        assertThat(fieldRefs(status)).isEmpty();

        // a paramKind without a schema makes params dyn: only object is checked
        policy("""
                metadata: {name: dyn-params}
                spec:
                  paramKind: {apiVersion: example.kardia.io/v1, kind: NoSuchKind}
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}
                  validations:
                  - expression: "object.data.size() < params.max && params.nothing.at.all"
                  - expression: "object.dat.size() < 1"
                """);
        assertThat(fieldRefs(statusAt("dyn-params", 1))).containsExactly("spec.validations[1].expression");
    }

    @Test
    void paramsAreTypedAsTheirKindAndCustomResourcesAsTheirSchema() {
        client.resources(TestKinds.CRDS).create(ValidatingPolicyContract.yaml("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: gadgets.example.kardia.io}
                spec:
                  group: example.kardia.io
                  scope: Namespaced
                  names: {plural: gadgets, singular: gadget, kind: Gadget, listKind: GadgetList}
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
                              colour: {type: string}
                """));
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> client.resources(GADGETS).list("default") != null);
        policy("""
                metadata: {name: gadgets}
                spec:
                  paramKind: {apiVersion: v1, kind: ConfigMap}
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [example.kardia.io], apiVersions: [v1], operations: [CREATE], resources: [gadgets]}
                  validations:
                  - expression: "object.spec.size <= int(params.data['max']) && object.metadata.labels['team'] == 'a'"
                  - expression: "object.spec.colour > 3"
                  - expression: "params.spec.max > 1"
                  - expression: "object.spec.weight > 1"
                """);
        JsonNode status = statusAt("gadgets", 1);
        assertThat(fieldRefs(status)).containsExactly("spec.validations[1].expression", "spec.validations[2].expression",
                "spec.validations[3].expression");
        assertThat(warning(status, "spec.validations[1].expression"))
                .startsWith("example.kardia.io/v1, Kind=Gadget: ERROR: <input>:1:20: found no matching overload for '_>_' applied to '(string, int)'");
        assertThat(warning(status, "spec.validations[2].expression")).contains("undefined field 'spec'");
        assertThat(warning(status, "spec.validations[3].expression")).contains("undefined field 'weight'");
    }

    @Test
    void expressionsAreCompiledWithKubesTypesForRequestVariablesAndParams() {
        io.kardia.core.model.Status s = ValidatingPolicyContract.denied(() -> {
            policy("""
                    metadata: {name: typed}
                    spec:
                      matchConstraints:
                        resourceRules:
                        - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}
                      variables:
                      - {name: count, expression: "has(object.data) ? object.data.size() : 0"}
                      validations:
                      - expression: "variables.count == 'three'"
                      - expression: "variables.nope"
                      - expression: "params.max > 1"
                      - expression: "request.operation == 1 || request.userInfo.name == ''"
                      - expression: "variables.count < 5 && request.namespace == 'default' && namespaceObject.metadata.name != ''"
                    """);
            return null;
        });
        assertThat(s.code()).isEqualTo(422);
        assertThat(s.details().causes()).extracting(io.kardia.core.model.Status.Cause::field).containsExactly(
                "spec.validations[0].expression", "spec.validations[1].expression", "spec.validations[2].expression",
                "spec.validations[3].expression");
        assertThat(s.message())
                .contains("spec.validations[0].expression: Invalid value: \"variables.count == 'three'\": compilation failed: "
                        + "ERROR: <input>:1:17: found no matching overload for '_==_' applied to '(int, string)'\n")
                .contains("<input>:1:10: undefined field 'nope'")
                .contains("undeclared reference to 'params'")
                .contains("found no matching overload for '_==_' applied to '(string, int)'")
                .contains("undefined field 'name'");
        assertThat(client.resources(ValidatingPolicyContract.POLICIES).find(null, "typed")).isEmpty();

        io.kardia.core.model.Status m = ValidatingPolicyContract.denied(() -> {
            client.resources(MutatingPolicyContract.POLICIES).create(ValidatingPolicyContract.yaml("""
                    apiVersion: admissionregistration.k8s.io/v1
                    kind: MutatingAdmissionPolicy
                    metadata: {name: typed}
                    spec:
                      matchConstraints:
                        resourceRules:
                        - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}
                      variables:
                      - {name: team, expression: "'a'"}
                      mutations:
                      - patchType: ApplyConfiguration
                        applyConfiguration:
                          expression: 'Object{metadata: Object.metadata{labels: {"team": variables.team, "n": variables.nope}}}'
                    """));
            return null;
        });
        assertThat(m.code()).isEqualTo(422);
        assertThat(m.message()).contains("spec.mutations[0].applyConfiguration.expression: Invalid value: ")
                .contains("undefined field 'nope'");
    }

    static final io.kardia.core.model.ResourceType<GenericObject> GADGETS = new io.kardia.core.model.ResourceType<>(
            "example.kardia.io", "v1", "Gadget", "gadgets", "gadget", true, List.of(), java.util.Set.of(), GenericObject.class);
}
