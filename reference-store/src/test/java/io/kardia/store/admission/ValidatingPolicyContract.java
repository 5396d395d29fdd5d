package io.kardia.store.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.json.Json;
import io.kardia.core.json.Yaml;
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

/** ValidatingAdmissionPolicy and its bindings on every write path, with kube-apiserver's wording; both transports. */
abstract class ValidatingPolicyContract {
    static final ResourceType<GenericObject> POLICIES = new ResourceType<>("admissionregistration.k8s.io", "v1",
            "ValidatingAdmissionPolicy", "validatingadmissionpolicies", "validatingadmissionpolicy", false, List.of(), Set.of("status"),
            GenericObject.class);
    static final ResourceType<GenericObject> BINDINGS = new ResourceType<>("admissionregistration.k8s.io", "v1",
            "ValidatingAdmissionPolicyBinding", "validatingadmissionpolicybindings", "validatingadmissionpolicybinding", false,
            List.of(), Set.of(), GenericObject.class);

    static final ResourceType<GenericObject> SECRETS = new ResourceType<>("", "v1", "Secret", "secrets", "secret", true,
            List.of(), Set.of(), GenericObject.class);

    KubeClient client;
    ContractTransport.Opened opened;

    /** Each test gets a fresh store, through this transport. */
    abstract ContractTransport transport();

    /** The user a write through {@link #client} is made as: nobody in process, the admin token's user over HTTP. */
    String writer() {
        return opened.writer();
    }

    @Test
    void requestUserInfoNamesTheWritingUser() {
        policy("""
                metadata: {name: who}
                spec:
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}
                  validations:
                  - expression: "false"
                    messageExpression: "'written by [' + request.userInfo.username + '] in ' + string(request.userInfo.groups.size()) + ' groups'"
                """);
        binding("who", "who", "  validationActions: [Deny]\n");
        String message = denied(() -> configMaps().create(configMap("a", "{k: v}"))).message();
        assertThat(message).contains("written by [" + writer() + "]");
        if (writer().isEmpty()) {
            assertThat(message).endsWith(" in 0 groups");
        } else {
            assertThat(message).doesNotEndWith(" in 0 groups");
        }
    }

    /** kube's approval example: only users the authorizer lets "approve" configmaps may label one approved. */
    static final String APPROVAL = """
            metadata: {name: approval}
            spec:
              matchConstraints:
                resourceRules:
                - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [configmaps]}
              validations:
              - expression: >-
                  !has(object.metadata.labels) || !('approved' in object.metadata.labels) ||
                  authorizer.group('').resource('configmaps').namespace(object.metadata.namespace).check('approve').allowed()
                message: only approvers may label a ConfigMap approved
              - expression: "!has(object.data) || !('probe' in object.data)"
                messageExpression: >-
                  'request=' + string(authorizer.requestResource.check('create').allowed())
                  + ' sa=' + string(authorizer.serviceAccount('default', 'builder').group('').resource('configmaps')
                  .namespace('default').name('x').check('get').allowed())
                  + ' path=' + string(authorizer.path('/healthz').check('get').allowed())
                  + ' errored=' + string(authorizer.group('').resource('configmaps').subresource('status').check('get').errored())
            """;

    @Test
    void authorizerChecksAreAnsweredForTheWritingUser() {
        policy(APPROVAL);
        binding("approval", "approval", "  validationActions: [Deny]\n");
        // in process nothing authorizes a write (AlwaysAllow); the HTTP halves write as the admin (system:masters)
        GenericObject approved = yaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: default, labels: {approved: 'yes'}}\n");
        assertThat(configMaps().create(approved).metadata().labels()).containsEntry("approved", "yes");
        assertThat(denied(() -> configMaps().create(configMap("p", "{probe: x}"))).message())
                .endsWith("denied request: request=true sa=true path=true errored=false");

        Status untyped = denied(() -> client.resources(POLICIES).create(yaml("apiVersion: admissionregistration.k8s.io/v1\n"
                + "kind: ValidatingAdmissionPolicy\n" + """
                metadata: {name: untyped}
                spec:
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}
                  validations:
                  - expression: "authorizer.group('').check('get').allowed()"
                """)));
        assertThat(untyped.code()).isEqualTo(422);
        assertThat(untyped.message()).contains("spec.validations[0].expression").contains("found no matching overload for 'check'");
    }

    @BeforeEach
    void setUp() {
        opened = transport().open();
        client = opened.client();
    }

    @AfterEach
    void tearDown() {
        opened.close();
    }

    static GenericObject yaml(String y) {
        return Json.fromTree(Yaml.tree(y), GenericObject.class);
    }

    void policy(String yaml) {
        client.resources(POLICIES).create(yaml("apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\n" + yaml));
    }

    void binding(String name, String policy, String extra) {
        client.resources(BINDINGS).create(yaml("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: %s}
                spec:
                  policyName: %s
                """.formatted(name, policy) + extra));
    }

    ResourceClient<GenericObject> configMaps() {
        return client.resources(TestKinds.CONFIGMAPS);
    }

    static GenericObject configMap(String name, String data) {
        return yaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + name + ", namespace: default}\ndata: " + data + "\n");
    }

    static Status denied(Supplier<?> write) {
        KubeApiException e = catchThrowableOfType(KubeApiException.class, write::get);
        assertThat(e).as("the write is denied").isNotNull();
        return e.status();
    }

    static final String NO_FORBIDDEN_KEY = """
            metadata: {name: no-forbidden-key}
            spec:
              failurePolicy: Fail
              matchConstraints:
                resourceRules:
                - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [configmaps]}
              validations:
              - expression: "!has(object.data) || !('forbidden' in object.data)"
                message: the key 'forbidden' is not allowed
            """;

    @Test
    void aDenyBindingRefusesCreateUpdateAndPatchWithKubesWording() {
        policy(NO_FORBIDDEN_KEY);
        binding("deny-forbidden", "no-forbidden-key", "  validationActions: [Deny]\n");
        String expected = "ValidatingAdmissionPolicy 'no-forbidden-key' with binding 'deny-forbidden' denied request: "
                + "the key 'forbidden' is not allowed";
        Status s = denied(() -> configMaps().create(configMap("a", "{forbidden: x}")));
        assertThat(s.code()).isEqualTo(422);
        assertThat(s.reason()).isEqualTo("Invalid");
        assertThat(s.message()).isEqualTo("configmaps \"a\" is forbidden: " + expected);
        assertThat(s.details().causes()).extracting(Status.Cause::message).containsExactly(expected);
        assertThat(configMaps().find("default", "a")).isEmpty();

        configMaps().create(configMap("a", "{ok: x}"));
        assertThat(denied(() -> configMaps().patch("default", "a", PatchType.MERGE, "{\"data\":{\"forbidden\":\"y\"}}")).message())
                .endsWith(expected);
        assertThat(configMaps().get("default", "a").toString()).doesNotContain("forbidden");
    }

    @Test
    void paramsMatchConditionsVariablesMessageExpressionAndReason() {
        policy("""
                metadata: {name: max-keys}
                spec:
                  paramKind: {apiVersion: v1, kind: ConfigMap}
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}
                  matchConditions:
                  - name: not-the-limits
                    expression: object.metadata.name != 'limits'
                  variables:
                  - name: keys
                    expression: "has(object.data) ? object.data.size() : 0"
                  validations:
                  - expression: variables.keys <= int(params.data.max)
                    messageExpression: "'at most ' + params.data.max + ' keys, found ' + string(variables.keys)"
                    reason: Forbidden
                """);
        binding("max-keys", "max-keys", """
                  validationActions: [Deny]
                  paramRef: {name: limits, parameterNotFoundAction: Deny}
                """);
        Status missing = denied(() -> configMaps().create(configMap("a", "{k: v}")));
        assertThat(missing.message()).endsWith("ValidatingAdmissionPolicy 'max-keys' with binding 'max-keys' denied request: "
                + "failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction");
        // As in kube, the missing param refuses its own creation too: create it while unbound.
        client.resources(BINDINGS).delete(null, "max-keys");
        configMaps().create(configMap("limits", "{max: '1'}"));
        binding("max-keys", "max-keys", """
                  validationActions: [Deny]
                  paramRef: {name: limits, parameterNotFoundAction: Deny}
                """);
        Status tooMany = denied(() -> configMaps().create(configMap("b", "{k1: v, k2: v}")));
        assertThat(tooMany.code()).isEqualTo(403);
        assertThat(tooMany.reason()).isEqualTo("Forbidden");
        assertThat(tooMany.message()).endsWith("denied request: at most 1 keys, found 2");
        assertThat(configMaps().create(configMap("c", "{k1: v}")).metadata().name()).isEqualTo("c");
    }

    @Test
    void selectorsAndExcludedResourcesLimitWhatAPolicyMatches() {
        policy("""
                metadata: {name: labelled-only}
                spec:
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*"]}
                    excludeResourceRules:
                    - {apiGroups: [""], apiVersions: [v1], operations: ["*"], resources: [namespaces]}
                    objectSelector: {matchLabels: {guarded: "yes"}}
                    namespaceSelector: {matchExpressions: [{key: team, operator: In, values: [a]}]}
                  validations:
                  - expression: "false"
                """);
        binding("labelled-only", "labelled-only", "  validationActions: [Deny]\n");
        client.resources(TestKinds.NAMESPACES).create(yaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a, labels: {team: a, guarded: \"yes\"}}"));
        GenericObject unlabelled = yaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: u, namespace: team-a}");
        assertThat(configMaps().create(unlabelled).metadata().name()).isEqualTo("u");
        GenericObject otherNamespace = yaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: g, namespace: default, labels: {guarded: \"yes\"}}");
        assertThat(configMaps().create(otherNamespace).metadata().name()).isEqualTo("g");
        GenericObject guarded = yaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: g, namespace: team-a, labels: {guarded: \"yes\"}}");
        assertThat(denied(() -> configMaps().create(guarded)).message()).endsWith("denied request: failed expression: false");
    }

    @Test
    void statusSubresourceAndDeleteAreAdmittedToo() {
        policy("""
                metadata: {name: frozen}
                spec:
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [""], apiVersions: [v1], operations: [UPDATE], resources: [namespaces/status]}
                    - {apiGroups: [""], apiVersions: [v1], operations: [DELETE], resources: [configmaps]}
                  validations:
                  - expression: "request.operation == 'DELETE' ? oldObject.metadata.name != 'keep' : !('frozen' in object.metadata.labels)"
                    message: frozen
                """);
        binding("frozen", "frozen", "  validationActions: [Deny]\n");
        client.resources(TestKinds.NAMESPACES).create(yaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: ice, labels: {frozen: x}}"));
        // the main resource is not matched by namespaces/status
        client.resources(TestKinds.NAMESPACES).patch(null, "ice", PatchType.MERGE, "{\"metadata\":{\"annotations\":{\"a\":\"b\"}}}");
        ObjectNode ice = Json.toTree(client.resources(TestKinds.NAMESPACES).get(null, "ice"));
        ice.putObject("status").put("phase", "Active").putArray("conditions");
        assertThat(denied(() -> client.resources(TestKinds.NAMESPACES).updateStatus(Json.fromTree(ice, GenericObject.class)))
                .message()).endsWith("denied request: frozen");
        configMaps().create(configMap("keep", "{a: b}"));
        assertThat(denied(() -> configMaps().delete("default", "keep")).message())
                .isEqualTo("configmaps \"keep\" is forbidden: ValidatingAdmissionPolicy 'frozen' with binding 'frozen' denied request: frozen");
        assertThat(configMaps().find("default", "keep")).isPresent();
    }

    @Test
    void aPolicyWhoseExpressionDoesNotCompileIsRefusedNamingTheField() {
        Status s = denied(() -> {
            policy("""
                    metadata: {name: broken}
                    spec:
                      matchConstraints:
                        resourceRules:
                        - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}
                      validations:
                      - {expression: "true"}
                      - expression: object.data.size( > 1
                      - expression: "'not a bool'"
                    """);
            return null;
        });
        assertThat(s.code()).isEqualTo(422);
        assertThat(s.message()).startsWith("ValidatingAdmissionPolicy.admissionregistration.k8s.io \"broken\" is invalid: ")
                .contains("spec.validations[1].expression: Invalid value: \"object.data.size( > 1\": compilation failed: ERROR: <input>:1:")
                .contains("spec.validations[2].expression: Invalid value: \"'not a bool'\": must evaluate to bool");
        assertThat(s.details().causes()).extracting(Status.Cause::field)
                .containsExactly("spec.validations[1].expression", "spec.validations[2].expression");
        assertThat(client.resources(POLICIES).find(null, "broken")).isEmpty();
    }

    @Test
    void policiesAndBindingsMissingRequiredFieldsAreRefusedWithKubesWording() {
        Status p = denied(() -> {
            policy("""
                    metadata: {name: empty}
                    spec:
                      failurePolicy: Sometimes
                      paramKind: {apiVersion: v1}
                      variables:
                      - {name: "not-an-identifier", expression: "1"}
                      matchConditions:
                      - {name: first, expression: "object.x("}
                    """);
            return null;
        });
        assertThat(p.code()).isEqualTo(422);
        assertThat(p.details().causes()).extracting(Status.Cause::field).containsExactlyInAnyOrder(
                "spec.failurePolicy", "spec.paramKind.kind", "spec.matchConstraints", "spec.matchConditions[0].expression",
                "spec.variables[0].name", "spec.validations", "spec.auditAnnotations");
        assertThat(p.message()).contains("spec.failurePolicy: Unsupported value: \"Sometimes\": supported values: \"Fail\", \"Ignore\"")
                .contains("spec.validations: Required value: validations or auditAnnotations must contain at least one item")
                .contains("spec.variables[0].name: Invalid value: \"not-an-identifier\": name is not a valid CEL identifier");

        Status b = denied(() -> {
            binding("loose", "", "  paramRef: {name: p, selector: {}}\n  validationActions: [Deny, Warn, Deny]\n");
            return null;
        });
        assertThat(b.details().causes()).extracting(Status.Cause::field).containsExactlyInAnyOrder(
                "spec.policyName", "spec.paramRef.name", "spec.paramRef.selector", "spec.paramRef.parameterNotFoundAction",
                "spec.validationActions[2]", "spec.validationActions");
        assertThat(client.resources(POLICIES).find(null, "empty")).isEmpty();
        assertThat(client.resources(BINDINGS).find(null, "loose")).isEmpty();
    }

    @Test
    void anExpressionThatFailsWhenEvaluatedFollowsTheFailurePolicy() {
        policy("""
                metadata: {name: failing}
                spec:
                  failurePolicy: Fail
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}
                  validations:
                  - expression: object.data.nope == 'x'
                """);
        binding("failing", "failing", "  validationActions: [Deny]\n");
        assertThat(denied(() -> configMaps().create(configMap("a", "{k: v}"))).message())
                .contains("ValidatingAdmissionPolicy 'failing' with binding 'failing' denied request: expression "
                        + "'object.data.nope == 'x'' resulted in error: ")
                .contains("nope");
        assertThat(configMaps().find("default", "a")).isEmpty();
        policy("""
                metadata: {name: failing-ignored}
                spec:
                  failurePolicy: Ignore
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [secrets]}
                  validations:
                  - expression: object.nope == 1
                """);
        binding("failing-ignored", "failing-ignored", "  validationActions: [Deny]\n");
        GenericObject secret = yaml("apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: default}");
        assertThat(client.resources(SECRETS).create(secret).metadata().name()).isEqualTo("s");
    }

    @Test
    void warnAndAuditActionsLetTheWriteThrough() {
        policy(NO_FORBIDDEN_KEY);
        binding("warn-forbidden", "no-forbidden-key", "  validationActions: [Warn, Audit]\n");
        assertThat(configMaps().create(configMap("a", "{forbidden: x}")).metadata().name()).isEqualTo("a");
    }
}
