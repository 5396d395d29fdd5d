package io.kardia.store.cel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.json.Json;
import io.kardia.core.json.Yaml;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ResourceType;
import io.kardia.store.TestKinds;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * x-kubernetes-validations (CEL) rules of a CRD, enforced by the store on every write path with
 * kube-apiserver's wording; run against both transports by its subclasses.
 */
abstract class CelRulesContract {
    static final ResourceType<GenericObject> APPS = new ResourceType<>("example.kardia.io", "v1", "App",
            "apps", "app", true, List.of(), Set.of("status"), GenericObject.class);

    static final String SCHEMA = """
            type: object
            x-kubernetes-validations:
            - rule: self.metadata.name.size() <= 20
              message: name too long
            properties:
              spec:
                type: object
                x-kubernetes-validations:
                - rule: self.replicas <= self.maxReplicas
                  message: replicas must not exceed maxReplicas
                - rule: "!has(self.mode) || self.mode != 'unsafe'"
                  reason: FieldValueForbidden
                  fieldPath: .mode
                  message: unsafe mode is not allowed
                - rule: self.image.startsWith('registry.example.com/')
                  messageExpression: "'image ' + self.image + ' is not from registry.example.com'"
                properties:
                  replicas: {type: integer}
                  maxReplicas: {type: integer}
                  mode: {type: string, maxLength: 10}
                  image: {type: string, maxLength: 100}
                  immutableId:
                    type: string
                    maxLength: 20
                    x-kubernetes-validations:
                    - rule: self == oldSelf
                      message: immutableId is immutable
                  version:
                    type: integer
                    x-kubernetes-validations:
                    - rule: "oldSelf.hasValue() ? self >= oldSelf.value() : self >= 1"
                      optionalOldSelf: true
                      message: version may only grow and starts at 1
                  memory:
                    type: string
                    maxLength: 20
                    x-kubernetes-validations:
                    - rule: isQuantity(self) && quantity(self).isLessThan(quantity('2Gi'))
                      message: memory must be a quantity under 2Gi
                  url:
                    type: string
                    maxLength: 200
                    x-kubernetes-validations:
                    - rule: isURL(self) && url(self).getScheme() == 'https'
                      message: url must be https
                  tags:
                    type: array
                    maxItems: 10
                    items: {type: string, maxLength: 10}
                    x-kubernetes-validations:
                    - rule: self.isSorted() && self.indexOf('forbidden') < 0
                      message: tags must be sorted and not forbidden
                  cidr:
                    type: string
                    maxLength: 50
                    x-kubernetes-validations:
                    - rule: isCIDR(self) && cidr(self).containsIP('10.0.0.1')
                      message: cidr must contain 10.0.0.1
                  host:
                    type: string
                    maxLength: 50
                    x-kubernetes-validations:
                    - rule: self.find('[0-9]+') == '' && self.lowerAscii() == self
                      message: host must be lower case without digits
                  ports:
                    type: array
                    maxItems: 10
                    x-kubernetes-list-type: map
                    x-kubernetes-list-map-keys: [name]
                    items:
                      type: object
                      required: [name]
                      properties:
                        name: {type: string, maxLength: 10}
                        port:
                          type: integer
                          x-kubernetes-validations:
                          - rule: self == oldSelf
                            message: a port's number is immutable
                        limit:
                          type: integer
                          x-kubernetes-validations:
                          - rule: self <= 100
                  labels:
                    type: object
                    maxProperties: 10
                    additionalProperties:
                      type: string
                      maxLength: 10
                      x-kubernetes-validations:
                      - rule: self != 'bad'
                        reason: FieldValueRequired
                        message: no bad label values
              status:
                type: object
                properties:
                  ready:
                    type: integer
                    x-kubernetes-validations:
                    - rule: self >= 0
                      message: ready must not be negative
            """;

    KubeClient client;

    /** A client of a fresh store with the CRD above created. */
    abstract KubeClient newClient();

    abstract void closeStore();

    @BeforeEach
    void setUp() {
        client = newClient();
        client.resources(TestKinds.CRDS).create(Json.fromTree(crd(SCHEMA), GenericObject.class));
    }

    @AfterEach
    void tearDown() {
        closeStore();
    }

    static ObjectNode crd(String schemaYaml) {
        ObjectNode crd = (ObjectNode) Yaml.tree("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: apps.example.kardia.io}
                spec:
                  group: example.kardia.io
                  scope: Namespaced
                  names: {plural: apps, singular: app, kind: App}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    subresources: {status: {}}
                    schema: {}
                """);
        ((ObjectNode) crd.at("/spec/versions/0/schema")).set("openAPIV3Schema", Yaml.tree(schemaYaml));
        return crd;
    }

    ResourceClient<GenericObject> apps() {
        return client.resources(APPS);
    }

    static GenericObject app(String name, String specYaml) {
        ObjectNode a = (ObjectNode) Yaml.tree("apiVersion: example.kardia.io/v1\nkind: App\nmetadata: {name: " + name + ", namespace: default}\n");
        a.set("spec", Yaml.tree(specYaml));
        return Json.fromTree(a, GenericObject.class);
    }

    static final String VALID = "{replicas: 2, maxReplicas: 3, image: registry.example.com/web, immutableId: a1, version: 1}";

    static List<String> refused(Supplier<?> write) {
        KubeApiException e = catchThrowableOfType(KubeApiException.InvalidException.class, write::get);
        assertThat(e).as("the write is refused as Invalid").isNotNull();
        assertThat(e.code()).isEqualTo(422);
        return e.status().details().causes().stream().map(c -> c.field() + ": " + c.message()).toList();
    }

    static String reasonOf(Supplier<?> write) {
        KubeApiException e = catchThrowableOfType(KubeApiException.InvalidException.class, write::get);
        return e.status().details().causes().get(0).reason();
    }

    @Test
    void aValidObjectPassesEveryRule() {
        GenericObject created = apps().create(app("ok", """
                {replicas: 2, maxReplicas: 3, image: registry.example.com/web, immutableId: a1, version: 1, memory: 1Gi,
                 url: 'https://example.com/x', tags: [a, b], cidr: 10.0.0.0/8, host: web,
                 ports: [{name: http, port: 80, limit: 5}], labels: {tier: front}}"""));
        assertThat(created.metadata().uid()).isNotEmpty();
    }

    @Test
    void failedRulesAreReportedWithKubeApiserversWording() {
        assertThat(refused(() -> apps().create(app("bad", "{replicas: 5, maxReplicas: 3, image: docker.io/web}"))))
                .containsExactly(
                        "spec: Invalid value: \"object\": replicas must not exceed maxReplicas",
                        "spec: Invalid value: \"object\": image docker.io/web is not from registry.example.com");
        assertThat(refused(() -> apps().create(app("bad", "{replicas: 1, maxReplicas: 3, image: registry.example.com/web, mode: unsafe}"))))
                .containsExactly("spec.mode: Forbidden: unsafe mode is not allowed");
        assertThat(reasonOf(() -> apps().create(app("bad", "{replicas: 1, maxReplicas: 3, image: registry.example.com/web, mode: unsafe}"))))
                .isEqualTo("FieldValueForbidden");
        assertThat(refused(() -> apps().create(app("bad", VALID.replace("}", ", labels: {a: bad}}")))))
                .containsExactly("spec.labels[a]: Required value: no bad label values");
        assertThat(refused(() -> apps().create(app("a-name-that-is-far-too-long", VALID))))
                .containsExactly("<nil>: Invalid value: \"object\": name too long");
        assertThat(refused(() -> apps().create(app("bad", VALID.replace("}", ", ports: [{name: a, limit: 101}]}")))))
                .containsExactly("spec.ports[0].limit: Invalid value: \"integer\": failed rule: self <= 100");
    }

    @Test
    void kubernetesLibrariesAreAvailable() {
        assertThat(refused(() -> apps().create(app("bad", VALID.replace("}",
                ", memory: 3Gi, url: 'http://example.com', tags: [b, a], cidr: 192.168.0.0/16, host: Web1}")))))
                .containsExactly(
                        "spec.memory: Invalid value: \"string\": memory must be a quantity under 2Gi",
                        "spec.url: Invalid value: \"string\": url must be https",
                        "spec.tags: Invalid value: \"array\": tags must be sorted and not forbidden",
                        "spec.cidr: Invalid value: \"string\": cidr must contain 10.0.0.1",
                        "spec.host: Invalid value: \"string\": host must be lower case without digits");
    }

    @Test
    void transitionRulesRunOnlyOnUpdateAgainstTheOldValue() {
        apps().create(app("t", VALID.replace("}", ", ports: [{name: http, port: 80}]}")));
        assertThat(refused(() -> apps().patch("default", "t", PatchType.MERGE, "{\"spec\":{\"immutableId\":\"b2\"}}")))
                .containsExactly("spec.immutableId: Invalid value: \"string\": immutableId is immutable");
        // map-list items correlate by key: the port of 'http' may not change, a new item has no old value
        assertThat(refused(() -> apps().patch("default", "t", PatchType.MERGE,
                "{\"spec\":{\"ports\":[{\"name\":\"http\",\"port\":81},{\"name\":\"https\",\"port\":443}]}}")))
                .containsExactly("spec.ports[0].port: Invalid value: \"integer\": a port's number is immutable");
        GenericObject ok = apps().patch("default", "t", PatchType.MERGE,
                "{\"spec\":{\"ports\":[{\"name\":\"https\",\"port\":443},{\"name\":\"http\",\"port\":80}]}}");
        assertThat(ok.metadata().generation()).isEqualTo(2);
        // optionalOldSelf: evaluated on create (no old value) and on update
        assertThat(refused(() -> apps().create(app("v0", VALID.replace("version: 1", "version: 0")))))
                .containsExactly("spec.version: Invalid value: \"integer\": version may only grow and starts at 1");
        assertThat(refused(() -> apps().patch("default", "t", PatchType.MERGE, "{\"spec\":{\"version\":0}}")))
                .containsExactly("spec.version: Invalid value: \"integer\": version may only grow and starts at 1");
    }

    @Test
    void unchangedInvalidValuesAreRatchetedOnUpdate() {
        // Stored before the rule tightened: the object can still be labelled and get status.
        ObjectNode loose = crd(SCHEMA.replace("self.replicas <= self.maxReplicas", "self.replicas <= self.maxReplicas + 10"));
        ResourceClient<GenericObject> crds = client.resources(TestKinds.CRDS);
        GenericObject stored = crds.get(null, "apps.example.kardia.io");
        loose.set("metadata", Json.toTree(stored.metadata()));
        crds.update(Json.fromTree(loose, GenericObject.class));
        apps().create(app("old", "{replicas: 5, maxReplicas: 3, image: registry.example.com/web}"));
        GenericObject current = crds.get(null, "apps.example.kardia.io");
        ObjectNode strict = crd(SCHEMA);
        strict.set("metadata", Json.toTree(current.metadata()));
        crds.update(Json.fromTree(strict, GenericObject.class));

        GenericObject labelled = apps().patch("default", "old", PatchType.MERGE, "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}");
        assertThat(labelled.metadata().labels()).containsEntry("a", "b");
        GenericObject withStatus = apps().patch("default", "old", PatchType.MERGE, "{\"status\":{\"ready\":1}}");
        assertThat(withStatus).isNotNull();
        assertThat(refused(() -> apps().patch("default", "old", PatchType.MERGE, "{\"spec\":{\"replicas\":6}}")))
                .containsExactly("spec: Invalid value: \"object\": replicas must not exceed maxReplicas");
    }

    @Test
    void statusRulesRunOnTheStatusSubresource() {
        GenericObject a = apps().create(app("s", VALID));
        ObjectNode tree = Json.toTree(a);
        tree.putObject("status").put("ready", -1);
        assertThat(refused(() -> apps().updateStatus(Json.fromTree(tree, GenericObject.class))))
                .containsExactly("status.ready: Invalid value: \"integer\": ready must not be negative");
    }

    @Test
    void aCrdWhoseRulesDoNotCompileIsRefusedWithTheRuleAndTheReason() {
        ObjectNode bad = crd("""
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      replicas: {type: integer}
                    x-kubernetes-validations:
                    - rule: self.replicas > self.nope
                    - rule: self.replicas
                    - rule: "  "
                """);
        bad.with("metadata").put("name", "apps.example.kardia.io");
        client.resources(TestKinds.CRDS).delete(null, "apps.example.kardia.io");
        List<String> causes = refused(() -> client.resources(TestKinds.CRDS).create(Json.fromTree(bad, GenericObject.class)));
        String prefix = "spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations";
        assertThat(causes).containsExactly(
                prefix + "[0].rule: Invalid value: apiextensions.ValidationRule{Rule:\"self.replicas > self.nope\", Message:\"\", "
                        + "MessageExpression:\"\", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:\"\", "
                        + "OptionalOldSelf:(*bool)(nil)}: compilation failed: ERROR: <input>:1:21: undefined field 'nope'\n"
                        + " | self.replicas > self.nope\n | ....................^",
                prefix + "[1].rule: Invalid value: apiextensions.ValidationRule{Rule:\"self.replicas\", Message:\"\", "
                        + "MessageExpression:\"\", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:\"\", "
                        + "OptionalOldSelf:(*bool)(nil)}: cel expression must evaluate to a bool",
                prefix + "[2].rule: Required value: rule is not specified");
    }

    @Test
    void aCrdWhoseDefaultsFailTheirOwnSchemaIsRefusedNamingEachDefault() {
        ObjectNode bad = crd("""
                type: object
                properties:
                  metadata:
                    type: object
                    properties:
                      name: {type: string, default: fixed}
                  spec:
                    type: object
                    properties:
                      replicas: {type: integer, maximum: 10, default: 50}
                      mode: {type: string, enum: [fast, safe], default: unsafe}
                      policy:
                        type: object
                        default: {retries: 3, colour: red}
                        properties:
                          retries: {type: integer}
                      limits:
                        type: object
                        default: {min: 5, max: 1}
                        x-kubernetes-validations:
                        - rule: self.min <= self.max
                          message: min must not exceed max
                        properties:
                          min: {type: integer}
                          max: {type: integer}
                      ports:
                        type: array
                        items:
                          type: object
                          required: [name]
                          properties:
                            name: {type: string}
                            protocol: {type: string, maxLength: 3, default: SCTP-over-UDP}
                """);
        List<String> causes = refused(() -> client.resources(TestKinds.CRDS).update(withStoredMeta(bad)));
        String spec = "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties";
        assertThat(causes).containsExactlyInAnyOrder(
                "spec.versions[0].schema.openAPIV3Schema.properties[metadata].properties[name].default: Forbidden: "
                        + "must not be set in top-level metadata",
                spec + "[replicas].default: Invalid value: 50: " + spec + "[replicas].default in body should be less than or equal to 10",
                spec + "[mode].default: Unsupported value: \"unsafe\": supported values: \"fast\", \"safe\"",
                spec + "[policy].default: Invalid value: {\"retries\":3,\"colour\":\"red\"}: must not have unknown fields",
                spec + "[limits].default: Invalid value: \"object\": min must not exceed max",
                spec + "[ports].items.properties[protocol].default: Too long: may not be longer than 3");
        assertThat(Json.toTree(client.resources(TestKinds.CRDS).get(null, "apps.example.kardia.io"))
                .at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/policy").isMissingNode())
                .as("the refused CRD was not stored").isTrue();

        ObjectNode good = crd("""
                type: object
                properties:
                  spec:
                    type: object
                    default: {}
                    properties:
                      replicas: {type: integer, maximum: 10, default: 5}
                      limits:
                        type: object
                        default: {min: 1, max: 5}
                        x-kubernetes-validations:
                        - rule: self.min <= self.max
                        properties:
                          min: {type: integer}
                          max: {type: integer}
                """);
        client.resources(TestKinds.CRDS).update(withStoredMeta(good));
        assertThat(Json.toTree(apps().create(app("defaulted", "{}"))).get("spec"))
                .isEqualTo(Yaml.tree("{replicas: 5, limits: {min: 1, max: 5}}"));
    }

    @Test
    void aCrdWhoseRulesCostTooMuchIsRefused() {
        ObjectNode expensive = crd("""
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      names:
                        type: array
                        items: {type: string}
                        x-kubernetes-validations:
                        - rule: self.all(a, self.all(b, a == b || a != b))
                """);
        List<String> causes = refused(() -> client.resources(TestKinds.CRDS).update(withStoredMeta(expensive)));
        assertThat(causes).contains(
                "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[names].x-kubernetes-validations[0].rule: "
                        + "Forbidden: estimated rule cost exceeds budget by factor of more than 100x (try simplifying the rule, "
                        + "or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)",
                "spec.versions[0].schema.openAPIV3Schema: Forbidden: x-kubernetes-validations estimated rule cost total for entire "
                        + "OpenAPIv3 schema exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, "
                        + "maxProperties, and maxLength where arrays, maps, and strings are declared)");
    }

    @Test
    void theRuntimeCostLimitStopsAnExpensiveRule() {
        ObjectNode bounded = crd("""
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      numbers:
                        type: array
                        maxItems: 500
                        items: {type: integer}
                        x-kubernetes-validations:
                        - rule: self.all(a, self.all(b, a + b >= 0))
                """);
        client.resources(TestKinds.CRDS).update(withStoredMeta(bounded));
        ObjectNode a = (ObjectNode) Yaml.tree("apiVersion: example.kardia.io/v1\nkind: App\nmetadata: {name: big, namespace: default}\n");
        ArrayNode numbers = a.putObject("spec").putArray("numbers");
        for (int i = 0; i < 500; i++) {
            numbers.add(i);
        }
        assertThat(refused(() -> apps().create(Json.fromTree(a, GenericObject.class))))
                .containsExactly("spec.numbers: Invalid value: \"array\": 'operation cancelled: actual cost limit exceeded': "
                        + "no further validation rules will be run due to call cost exceeds limit for rule: self.all(a, self.all(b, a + b >= 0))");
        numbers.removeAll();
        numbers.add(1).add(2);
        assertThat(apps().create(Json.fromTree(a, GenericObject.class)).metadata().name()).isEqualTo("big");
    }

    private GenericObject withStoredMeta(ObjectNode crd) {
        GenericObject stored = client.resources(TestKinds.CRDS).get(null, "apps.example.kardia.io");
        crd.set("metadata", Json.toTree(stored.metadata()));
        return Json.fromTree(crd, GenericObject.class);
    }
}
