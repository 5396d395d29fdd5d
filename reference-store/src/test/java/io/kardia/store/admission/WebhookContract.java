package io.kardia.store.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import io.kardia.core.json.Yaml;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.Status;
import io.kardia.store.ReferenceStore;
import io.kardia.store.TestKinds;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Admission webhooks called by the store, against a real HTTPS webhook server in the test: kube's
 * wording for refusals and failures, JSON patches and reinvocation, matching, dry run, failurePolicy;
 * both transports.
 */
abstract class WebhookContract {
    static final ResourceType<GenericObject> VALIDATING = new ResourceType<>("admissionregistration.k8s.io", "v1",
            "ValidatingWebhookConfiguration", "validatingwebhookconfigurations", "validatingwebhookconfiguration", false,
            List.of(), Set.of(), GenericObject.class);
    static final ResourceType<GenericObject> MUTATING = new ResourceType<>("admissionregistration.k8s.io", "v1",
            "MutatingWebhookConfiguration", "mutatingwebhookconfigurations", "mutatingwebhookconfiguration", false,
            List.of(), Set.of(), GenericObject.class);

    static final ResourceType<GenericObject> SERVICES = new ResourceType<>("", "v1", "Service", "services", "service", true,
            List.of(), Set.of("status"), GenericObject.class);
    static final ResourceType<GenericObject> ENDPOINT_SLICES = new ResourceType<>("discovery.k8s.io", "v1", "EndpointSlice",
            "endpointslices", "endpointslice", true, List.of(), Set.of(), GenericObject.class);

    ReferenceStore store;
    KubeClient client;
    TestWebhookServer hooks;
    private ContractTransport.Opened opened;

    /** Each test gets a fresh store, through this transport. */
    abstract ContractTransport transport();

    /** The user a write through {@link #client} is made as: nobody in process, the admin token's user over HTTP. */
    String writer() {
        return opened.writer();
    }

    @BeforeEach
    void setUp() throws Exception {
        hooks = new TestWebhookServer();
        opened = transport().open();
        store = opened.store();
        client = opened.client();
    }

    @AfterEach
    void tearDown() {
        opened.close();
        hooks.close();
    }

    static GenericObject yaml(String y) {
        return Json.fromTree(Yaml.tree(y), GenericObject.class);
    }

    ResourceClient<GenericObject> configMaps() {
        return client.resources(TestKinds.CONFIGMAPS);
    }

    static GenericObject configMap(String name, String labels) {
        return yaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + name + ", namespace: default, labels: " + labels
                + "}\ndata: {k: v}\n");
    }

    static Status refused(Supplier<?> write) {
        KubeApiException e = catchThrowableOfType(KubeApiException.class, write::get);
        assertThat(e).as("the write is refused").isNotNull();
        return e.status();
    }

    /** One webhook entry for configmaps CREATE/UPDATE calling {@code path} on the test server; {@code extra} is more YAML fields. */
    String webhook(String name, String path, String extra) {
        return """
                - name: %s
                  clientConfig: {url: "%s", caBundle: %s}
                  rules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE, DELETE], resources: [configmaps]}]
                  sideEffects: None
                  admissionReviewVersions: [v1]
                """.formatted(name, hooks.url(path), hooks.caBundle()) + extra.indent(2);
    }

    void validating(String config, String webhooks) {
        client.resources(VALIDATING).create(yaml("apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\n"
                + "metadata: {name: " + config + "}\nwebhooks:\n" + webhooks));
    }

    void mutating(String config, String webhooks) {
        client.resources(MUTATING).create(yaml("apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\n"
                + "metadata: {name: " + config + "}\nwebhooks:\n" + webhooks));
    }

    static ObjectNode status(int code, String message) {
        ObjectNode s = Json.mapper().createObjectNode();
        s.put("code", code);
        s.put("message", message);
        return s;
    }

    @Test
    void aValidatingWebhookRefusesWithKubesWordingAndNothingIsStored() {
        hooks.handle("/deny", review -> {
            boolean bad = review.path("request").path("object").path("metadata").path("labels").has("bad");
            return TestWebhookServer.answer(review, !bad, bad ? status(403, "no bad labels") : null, null);
        });
        validating("deny-bad", webhook("deny.example.com", "/deny", ""));

        Status s = refused(() -> configMaps().create(configMap("a", "{bad: x}")));
        assertThat(s.code()).isEqualTo(403);
        assertThat(s.message()).isEqualTo("admission webhook \"deny.example.com\" denied the request: no bad labels");
        assertThat(configMaps().find("default", "a")).isEmpty();

        configMaps().create(configMap("a", "{good: x}"));
        JsonNode request = hooks.received("/deny").getLast().path("request");
        assertThat(request.path("operation").asText()).isEqualTo("CREATE");
        assertThat(request.path("kind").toString()).isEqualTo("{\"group\":\"\",\"version\":\"v1\",\"kind\":\"ConfigMap\"}");
        assertThat(request.path("resource").path("resource").asText()).isEqualTo("configmaps");
        assertThat(request.path("namespace").asText()).isEqualTo("default");
        assertThat(request.path("name").asText()).isEqualTo("a");
        assertThat(request.path("uid").asText()).isNotEmpty();
        assertThat(request.path("dryRun").asBoolean()).isFalse();

        assertThat(refused(() -> configMaps().patch("default", "a", PatchType.MERGE, "{\"metadata\":{\"labels\":{\"bad\":\"y\"}}}"))
                .message()).isEqualTo("admission webhook \"deny.example.com\" denied the request: no bad labels");
        assertThat(configMaps().get("default", "a").metadata().labels()).doesNotContainKey("bad");
        JsonNode update = hooks.received("/deny").getLast().path("request");
        assertThat(update.path("operation").asText()).isEqualTo("UPDATE");
        assertThat(update.path("oldObject").path("metadata").path("labels").has("bad")).isFalse();
    }

    @Test
    void aConfigurationTheStoreCouldNotCallIsRefusedWithTheReasons() {
        Status s = refused(() -> {
            validating("bad", """
                    - name: short
                      clientConfig: {url: "http://127.0.0.1:1/x"}
                      rules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}]
                      timeoutSeconds: 31
                      admissionReviewVersions: [v1]
                      matchConditions: [{name: c, expression: "object.nope("}]
                    - name: short
                      clientConfig: {}
                      sideEffects: None
                      admissionReviewVersions: [v1]
                    """);
            return null;
        });
        assertThat(s.code()).isEqualTo(422);
        assertThat(s.details().causes()).extracting(c -> c.field() + ": " + c.message()).contains(
                "webhooks[0].name: Invalid value: \"short\": should be a domain with at least three segments separated by dots",
                "webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun",
                "webhooks[0].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds",
                "webhooks[0].clientConfig.url: Invalid value: \"http://127.0.0.1:1/x\": 'https' is the only allowed URL scheme",
                "webhooks[1].name: Duplicate value: \"short\"",
                "webhooks[1].clientConfig: Required value: exactly one of url or service is required");
        assertThat(s.details().causes()).anySatisfy(c -> {
            assertThat(c.field()).isEqualTo("webhooks[0].matchConditions[0].expression");
            assertThat(c.message()).startsWith("Invalid value: \"object.nope(\": compilation failed: ");
        });
        assertThat(client.resources(VALIDATING).find(null, "bad")).isEmpty();
    }

    @Test
    void aRefusalWithoutMessageOrCodeIsA400WithoutExplanation() {
        hooks.handle("/no", review -> TestWebhookServer.answer(review, false, null, null));
        validating("no", webhook("no.example.com", "/no", ""));
        Status s = refused(() -> configMaps().create(configMap("a", "{}")));
        assertThat(s.code()).isEqualTo(400);
        assertThat(s.message()).isEqualTo("admission webhook \"no.example.com\" denied the request without explanation");
    }

    @Test
    void aValidatingWebhookCanRefuseADelete() {
        configMaps().create(configMap("keep", "{}"));
        hooks.handle("/nodelete", review -> {
            boolean delete = review.path("request").path("operation").asText().equals("DELETE");
            return TestWebhookServer.answer(review, !delete, delete ? status(403, "keep it") : null, null);
        });
        validating("nodelete", webhook("nodelete.example.com", "/nodelete", ""));
        assertThat(refused(() -> configMaps().delete("default", "keep")).message())
                .isEqualTo("admission webhook \"nodelete.example.com\" denied the request: keep it");
        assertThat(configMaps().find("default", "keep")).isPresent();
        assertThat(hooks.received("/nodelete").getLast().path("request").path("oldObject").path("metadata").path("name").asText())
                .isEqualTo("keep");
    }

    @Test
    void mutatingWebhooksPatchInConfigurationOrderBeforeValidatingWebhooksSeeTheObject() {
        hooks.handle("/add-team", review -> TestWebhookServer.answer(review, true, null,
                "[{\"op\":\"add\",\"path\":\"/metadata/labels/team\",\"value\":\"blue\"}]"));
        hooks.handle("/add-tier", review -> {
            // the second configuration sees the first one's patch
            String team = review.path("request").path("object").path("metadata").path("labels").path("team").asText();
            return TestWebhookServer.answer(review, true, null,
                    "[{\"op\":\"add\",\"path\":\"/metadata/labels/tier\",\"value\":\"" + team + "-1\"}]");
        });
        hooks.handle("/check", review -> {
            boolean tier = review.path("request").path("object").path("metadata").path("labels").has("tier");
            return TestWebhookServer.answer(review, tier, tier ? null : status(422, "no tier"), null);
        });
        mutating("b-tier", webhook("tier.example.com", "/add-tier", ""));
        mutating("a-team", webhook("team.example.com", "/add-team", ""));
        validating("check", webhook("check.example.com", "/check", ""));

        GenericObject created = configMaps().create(configMap("m", "{app: x}"));
        assertThat(created.metadata().labels()).containsEntry("team", "blue").containsEntry("tier", "blue-1").containsEntry("app", "x");
        assertThat(configMaps().get("default", "m").metadata().labels()).containsEntry("tier", "blue-1");
        // the webhook cannot rename the object or change what the server owns
        assertThat(created.metadata().name()).isEqualTo("m");
    }

    @Test
    void ifNeededWebhooksAreCalledOnceMoreWhenALaterWebhookChangedTheObject() {
        hooks.handle("/first", review -> TestWebhookServer.answer(review, true, null, null));
        hooks.handle("/second", review -> {
            boolean has = review.path("request").path("object").path("metadata").path("labels").has("second");
            return TestWebhookServer.answer(review, true, null,
                    has ? null : "[{\"op\":\"add\",\"path\":\"/metadata/labels/second\",\"value\":\"yes\"}]");
        });
        hooks.handle("/never", review -> TestWebhookServer.answer(review, true, null, null));
        mutating("a", webhook("first.example.com", "/first", "reinvocationPolicy: IfNeeded")
                + webhook("never.example.com", "/never", "reinvocationPolicy: Never"));
        mutating("b", webhook("second.example.com", "/second", "reinvocationPolicy: IfNeeded"));

        configMaps().create(configMap("r", "{app: r}"));
        assertThat(hooks.received("/first")).hasSize(2);
        assertThat(hooks.received("/first").get(1).path("request").path("object").path("metadata").path("labels").path("second").asText())
                .isEqualTo("yes");
        assertThat(hooks.received("/never")).hasSize(1);
        assertThat(hooks.received("/second")).as("the webhook that changed the object is not called again for its own change").hasSize(1);

        configMaps().create(configMap("s", "{second: already}"));
        assertThat(hooks.received("/first")).as("nothing changed the object: no reinvocation").hasSize(3);
    }

    @Test
    void mutatingPoliciesRunBeforeWebhooksAndAnIfNeededPolicyIsReinvokedAfterAWebhooksChange() {
        client.resources(MutatingPolicyContract.POLICIES).create(yaml("apiVersion: admissionregistration.k8s.io/v1\n"
                + "kind: MutatingAdmissionPolicy\n" + MutatingPolicyContract.configMapPolicy("copy-hooked", """
                  reinvocationPolicy: IfNeeded
                  mutations:
                  - patchType: ApplyConfiguration
                    applyConfiguration:
                      expression: >
                        Object{metadata: Object.metadata{labels: {"policy": "ran",
                          "hooked-copy": has(object.metadata.labels) && 'hooked' in object.metadata.labels
                            ? object.metadata.labels['hooked'] : "none"}}}
                """)));
        client.resources(MutatingPolicyContract.BINDINGS).create(yaml("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: MutatingAdmissionPolicyBinding
                metadata: {name: copy-hooked}
                spec: {policyName: copy-hooked}
                """));
        hooks.handle("/hook", review -> {
            boolean has = review.path("request").path("object").path("metadata").path("labels").has("hooked");
            return TestWebhookServer.answer(review, true, null,
                    has ? null : "[{\"op\":\"add\",\"path\":\"/metadata/labels/hooked\",\"value\":\"by-webhook\"}]");
        });
        mutating("hook", webhook("hook.example.com", "/hook", "reinvocationPolicy: Never"));

        configMaps().create(configMap("p", "{app: p}"));
        assertThat(hooks.received("/hook")).hasSize(1);
        assertThat(hooks.received("/hook").get(0).path("request").path("object").path("metadata").path("labels").path("policy").asText())
                .as("the webhook sees the policy's change").isEqualTo("ran");
        JsonNode labels = Json.toTree(configMaps().get("default", "p")).path("metadata").path("labels");
        assertThat(labels.path("hooked").asText()).isEqualTo("by-webhook");
        assertThat(labels.path("hooked-copy").asText()).as("the IfNeeded policy ran again after the webhook's change").isEqualTo("by-webhook");
    }

    @Test
    void theReviewNamesTheWritingUser() {
        validating("who", webhook("who.example.com", "/who", ""));
        configMaps().create(configMap("u", "{app: u}"));
        JsonNode user = hooks.received("/who").get(0).path("request").path("userInfo");
        assertThat(user.path("username").asText()).isEqualTo(writer());
        if (!writer().isEmpty()) {
            assertThat(user.path("groups")).extracting(JsonNode::asText).contains("system:masters", "system:authenticated");
        }
    }

    @Test
    void rulesSelectorsAndMatchConditionsDecideWhichWebhooksAreCalled() {
        validating("selective", webhook("labelled.example.com", "/labelled", "objectSelector: {matchLabels: {check: me}}")
                + webhook("namespaced.example.com", "/namespaced", "namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: other}}")
                + webhook("condition.example.com", "/condition", """
                        matchConditions:
                        - name: not-excluded
                          expression: "!has(object.metadata.labels) || !('skip' in object.metadata.labels)"
                        """)
                + webhook("secrets-only.example.com", "/secrets", "").replace("resources: [configmaps]", "resources: [secrets]"));

        configMaps().create(configMap("plain", "{}"));
        configMaps().create(configMap("checked", "{check: me, skip: x}"));
        assertThat(hooks.received("/labelled")).extracting(r -> r.path("request").path("name").asText()).containsExactly("checked");
        assertThat(hooks.received("/condition")).extracting(r -> r.path("request").path("name").asText()).containsExactly("plain");
        assertThat(hooks.received("/namespaced")).isEmpty();
        assertThat(hooks.received("/secrets")).isEmpty();
    }

    @Test
    void aMatchConditionThatFailsToEvaluateIsDecidedByFailurePolicy() {
        validating("bad-condition", webhook("condition.example.com", "/condition", """
                matchConditions:
                - name: broken
                  expression: "object.metadata.labels.missing == 'x'"
                """));
        Status s = refused(() -> configMaps().create(configMap("c", "{a: b}")));
        assertThat(s.code()).isEqualTo(500);
        assertThat(s.message()).startsWith("Internal error occurred: failed calling webhook \"condition.example.com\": "
                + "failed to evaluate match conditions: matchCondition 'broken'");
        assertThat(hooks.received("/condition")).isEmpty();
    }

    @Test
    void aDryRunIsSentWithDryRunTrueAndWebhooksWithSideEffectsCannotBeConfigured() {
        validating("dry", webhook("none.example.com", "/none", "")
                + webhook("noneondryrun.example.com", "/none-on-dry-run", "").replace("sideEffects: None", "sideEffects: NoneOnDryRun"));
        GenericObject dry = configMaps().create(configMap("d", "{}"), WriteOptions.DRY_RUN);
        assertThat(dry.metadata().name()).isEqualTo("d");
        assertThat(hooks.received("/none").getLast().path("request").path("dryRun").asBoolean()).isTrue();
        assertThat(hooks.received("/none-on-dry-run").getLast().path("request").path("dryRun").asBoolean()).isTrue();
        assertThat(configMaps().find("default", "d")).isEmpty();

        configMaps().create(configMap("d", "{}"));
        configMaps().delete("default", "d", new DeleteOptions(null, null, null, null, true));
        JsonNode delete = hooks.received("/none").getLast().path("request");
        assertThat(delete.path("operation").asText()).isEqualTo("DELETE");
        assertThat(delete.path("dryRun").asBoolean()).isTrue();
        assertThat(delete.path("options").path("kind").asText()).isEqualTo("DeleteOptions");
        assertThat(configMaps().find("default", "d")).isPresent();

        // v1 knows only None and NoneOnDryRun: a webhook with side effects (which kube refuses dry runs for) cannot be configured
        Status s = refused(() -> {
            validating("some", webhook("some.example.com", "/some", "").replace("sideEffects: None", "sideEffects: Some"));
            return null;
        });
        assertThat(s.details().causes()).extracting(Status.Cause::message)
                .containsExactly("Unsupported value: \"Some\": supported values: \"None\", \"NoneOnDryRun\"");
    }

    @Test
    void anUnreachableWebhookFailsTheWriteUnderFailAndIsSkippedUnderIgnore() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String unreachable = "https://127.0.0.1:" + closedPort + "/hook";
        validating("gone", """
                - name: gone.example.com
                  clientConfig: {url: "%s", caBundle: %s}
                  rules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}]
                  sideEffects: None
                  admissionReviewVersions: [v1]
                  timeoutSeconds: 2
                """.formatted(unreachable, hooks.caBundle()));
        Status s = refused(() -> configMaps().create(configMap("u", "{}")));
        assertThat(s.code()).isEqualTo(500);
        assertThat(s.reason()).isEqualTo("InternalError");
        assertThat(s.message()).startsWith("Internal error occurred: failed calling webhook \"gone.example.com\": failed to call webhook: Post \""
                + unreachable + "?timeout=2s\": ");
        assertThat(configMaps().find("default", "u")).isEmpty();

        client.resources(VALIDATING).patch(null, "gone", PatchType.JSON, "[{\"op\":\"add\",\"path\":\"/webhooks/0/failurePolicy\",\"value\":\"Ignore\"}]");
        configMaps().create(configMap("u", "{}"));
        assertThat(configMaps().find("default", "u")).isPresent();
    }

    @Test
    void garbageAnswersAndUntrustedCertificatesAreFailuresThatFailurePolicyDecides() {
        hooks.handle("/garbage", review -> "this is not an AdmissionReview");
        hooks.handle("/wrong-uid", review -> TestWebhookServer.answer(Json.mapper().createObjectNode(), true, null, null));
        validating("garbage", webhook("garbage.example.com", "/garbage", ""));
        assertThat(refused(() -> configMaps().create(configMap("g", "{}"))).message())
                .startsWith("Internal error occurred: failed calling webhook \"garbage.example.com\": received invalid webhook response: ");
        client.resources(VALIDATING).delete(null, "garbage");

        validating("wrong-uid", webhook("uid.example.com", "/wrong-uid", ""));
        assertThat(refused(() -> configMaps().create(configMap("g", "{}"))).message())
                .contains("received invalid webhook response: expected response.uid=");
        client.resources(VALIDATING).delete(null, "wrong-uid");

        validating("untrusted", webhook("untrusted.example.com", "/allow", "")
                .replace(hooks.caBundle(), TestWebhookServer.otherCaBundle()));
        assertThat(refused(() -> configMaps().create(configMap("g", "{}"))).message())
                .startsWith("Internal error occurred: failed calling webhook \"untrusted.example.com\": failed to call webhook: ");
        assertThat(hooks.received("/allow")).isEmpty();
        assertThat(configMaps().find("default", "g")).isEmpty();

        client.resources(VALIDATING).patch(null, "untrusted", PatchType.JSON,
                "[{\"op\":\"add\",\"path\":\"/webhooks/0/failurePolicy\",\"value\":\"Ignore\"}]");
        configMaps().create(configMap("g", "{}"));
    }

    @Test
    void anAnswerLargerThanTheCapIsAFailureAndNothingIsStored() {
        String huge = "x".repeat((int) WebhookCaller.MAX_RESPONSE_BYTES + 1);
        hooks.handle("/huge", review -> huge);
        validating("huge", webhook("huge.example.com", "/huge", ""));
        assertThat(refused(() -> configMaps().create(configMap("h", "{}"))).message())
                .startsWith("Internal error occurred: failed calling webhook \"huge.example.com\": failed to call webhook: ")
                .endsWith("the response is larger than 16 MiB");
        assertThat(configMaps().find("default", "h")).isEmpty();
    }

    @Test
    void aWebhookThatDoesNotAnswerInTimeFailsTheWrite() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        hooks.handle("/slow", review -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return TestWebhookServer.answer(review, true, null, null);
        });
        mutating("slow", webhook("slow.example.com", "/slow", "timeoutSeconds: 1\n"
                + "reinvocationPolicy: Never"));
        try {
            Status s = refused(() -> configMaps().create(configMap("t", "{}")));
            assertThat(s.message()).isEqualTo("Internal error occurred: failed calling webhook \"slow.example.com\": failed to call webhook: "
                    + "Post \"" + hooks.url("/slow") + "?timeout=1s\": context deadline exceeded");
            assertThat(configMaps().find("default", "t")).isEmpty();
        } finally {
            release.countDown();
        }
    }

    @Test
    void aServiceReferenceReachesAMappedAddressAndChecksTheServiceName() {
        store.webhookServices().map("default", "hook", 443, new InetSocketAddress("127.0.0.1", hooks.port()));
        hooks.handle("/svc", review -> TestWebhookServer.answer(review, false, status(403, "via the service"), null));
        validating("svc", """
                - name: svc.example.com
                  clientConfig:
                    service: {namespace: default, name: hook, path: /svc}
                    caBundle: %s
                  rules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}]
                  sideEffects: None
                  admissionReviewVersions: [v1]
                """.formatted(hooks.caBundle()));
        assertThat(refused(() -> configMaps().create(configMap("s", "{}"))).message())
                .isEqualTo("admission webhook \"svc.example.com\" denied the request: via the service");

        store.webhookServices().unmap("default", "hook", 443);
        assertThat(refused(() -> configMaps().create(configMap("s", "{}"))).message())
                .isEqualTo("Internal error occurred: failed calling webhook \"svc.example.com\": failed to call webhook: "
                        + "Post \"https://hook.default.svc/svc?timeout=10s\": service \"hook\" not found");

        // without a mapping: a ready endpoint of the Service's EndpointSlices, on the port named as the Service port
        client.resources(SERVICES).create(yaml("""
                apiVersion: v1
                kind: Service
                metadata: {name: hook, namespace: default}
                spec:
                  ports: [{name: https, port: 443, targetPort: 9443}]
                """));
        assertThat(refused(() -> configMaps().create(configMap("s", "{}"))).message()).endsWith("service \"hook\" has no ready endpoints"
                + " (a Kardia store reaches a webhook service through an EndpointSlice or an address mapped for it)");
        client.resources(ENDPOINT_SLICES).create(yaml("""
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: hook-1, namespace: default, labels: {kubernetes.io/service-name: hook}}
                addressType: IPv4
                ports: [{name: https, port: %d, protocol: TCP}]
                endpoints: [{addresses: [127.0.0.1], conditions: {ready: true}}]
                """.formatted(hooks.port())));
        assertThat(refused(() -> configMaps().create(configMap("s", "{}"))).message())
                .isEqualTo("admission webhook \"svc.example.com\" denied the request: via the service");
    }
}
