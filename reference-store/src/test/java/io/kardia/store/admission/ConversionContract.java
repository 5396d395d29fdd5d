package io.kardia.store.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.json.Json;
import io.kardia.core.json.Yaml;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ResourceType;
import io.kardia.store.TestKinds;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A CRD served in two versions: objects written in either are read and listed in both, through
 * the operator's conversion webhook (strategy Webhook) or by apiVersion alone (None); both transports.
 * v1 has {@code spec.size}, v2 calls it {@code spec.replicas}; v1 is stored.
 */
abstract class ConversionContract {
    static final ResourceType<GenericObject> V1 = type("v1");
    static final ResourceType<GenericObject> V2 = type("v2");

    KubeClient client;
    TestWebhookServer hooks;
    private ContractTransport.Opened opened;

    /** Each test gets a fresh store, through this transport. */
    abstract ContractTransport transport();

    private static ResourceType<GenericObject> type(String version) {
        return new ResourceType<>("conv.kardia.io", version, "Widget", "widgets", "widget", true, List.of(), Set.of("status"),
                GenericObject.class);
    }

    @BeforeEach
    void setUp() throws Exception {
        hooks = new TestWebhookServer();
        opened = transport().open();
        client = opened.client();
        hooks.handle("/convert", ConversionContract::convert);
    }

    @AfterEach
    void tearDown() {
        opened.close();
        hooks.close();
    }

    /** The operator's conversion: spec.size (v1) and spec.replicas (v2). */
    static String convert(JsonNode review) {
        JsonNode request = review.path("request");
        String desired = request.path("desiredAPIVersion").asText();
        ObjectNode out = Json.mapper().createObjectNode().put("apiVersion", "apiextensions.k8s.io/v1").put("kind", "ConversionReview");
        ObjectNode response = out.putObject("response").put("uid", request.path("uid").asText());
        var converted = response.putArray("convertedObjects");
        for (JsonNode o : request.path("objects")) {
            ObjectNode c = o.deepCopy();
            ObjectNode spec = c.with("spec");
            if (desired.endsWith("/v2") && spec.has("size")) {
                spec.set("replicas", spec.remove("size"));
            } else if (desired.endsWith("/v1") && spec.has("replicas")) {
                spec.set("size", spec.remove("replicas"));
            }
            c.put("apiVersion", desired);
            converted.add(c);
        }
        response.putObject("result").put("status", "Success");
        return out.toString();
    }

    void crd(String conversion) {
        crd(conversion, "");
    }

    /** The CRD; {@code v2Rules} is more of v2's {@code replicas} schema (a flow mapping's entries). */
    void crd(String conversion, String v2Rules) {
        client.resources(TestKinds.CRDS).create(crdObject(conversion, v2Rules));
    }

    /** The two-version Widget CRD with {@code conversion}; {@code v2Rules} as for {@link #crd(String, String)}. */
    static GenericObject crdObject(String conversion, String v2Rules) {
        String schema = """
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec:
                            type: object
                            properties:
                              %s: {type: integer%s}
                """;
        return Json.fromTree(Yaml.tree("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: widgets.conv.kardia.io}
                spec:
                  group: conv.kardia.io
                  scope: Namespaced
                  names: {plural: widgets, singular: widget, kind: Widget, listKind: WidgetList}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                """ + schema.formatted("size", "") + """
                  - name: v2
                    served: true
                    storage: false
                """ + schema.formatted("replicas", v2Rules) + conversion), GenericObject.class);
    }

    static GenericObject widget(String version, String name, String field, int value) {
        return Json.fromTree(Yaml.tree("apiVersion: conv.kardia.io/" + version + "\nkind: Widget\nmetadata: {name: " + name
                + ", namespace: default, labels: {app: w}}\nspec: {" + field + ": " + value + "}\n"), GenericObject.class);
    }

    static JsonNode spec(GenericObject o) {
        return Json.toTree(o).path("spec");
    }

    @Test
    void aWebhookConvertsBetweenTheServedVersionsOnWritesReadsAndLists() {
        crd("""
                  conversion:
                    strategy: Webhook
                    webhook:
                      conversionReviewVersions: [v1]
                      clientConfig: {url: "%s", caBundle: %s}
                """.formatted(hooks.url("/convert"), hooks.caBundle()));
        ResourceClient<GenericObject> v1 = client.resources(V1);
        ResourceClient<GenericObject> v2 = client.resources(V2);

        GenericObject created = v2.create(widget("v2", "a", "replicas", 3));
        assertThat(Json.toTree(created).path("apiVersion").asText()).isEqualTo("conv.kardia.io/v2");
        assertThat(spec(created).path("replicas").asInt()).isEqualTo(3);
        assertThat(spec(v1.get("default", "a")).path("size").asInt()).as("stored in v1").isEqualTo(3);
        assertThat(spec(v1.get("default", "a")).has("replicas")).isFalse();

        v1.create(widget("v1", "b", "size", 5));
        assertThat(v2.list("default").items()).extracting(o -> spec(o).path("replicas").asInt()).containsExactly(3, 5);
        assertThat(v2.get("default", "b").metadata().labels()).containsEntry("app", "w");

        List<JsonNode> sent = hooks.received("/convert");
        assertThat(sent).isNotEmpty();
        assertThat(sent.getFirst().path("kind").asText()).isEqualTo("ConversionReview");
    }

    @Test
    void aFailingConversionWebhookRefusesTheWriteAndStoresNothing() {
        hooks.handle("/refuse", review -> {
            ObjectNode out = Json.mapper().createObjectNode().put("apiVersion", "apiextensions.k8s.io/v1").put("kind", "ConversionReview");
            ObjectNode response = out.putObject("response").put("uid", review.path("request").path("uid").asText());
            response.putObject("result").put("status", "Failure").put("message", "cannot convert widgets today");
            return out.toString();
        });
        crd("""
                  conversion:
                    strategy: Webhook
                    webhook:
                      conversionReviewVersions: [v1]
                      clientConfig: {url: "%s", caBundle: %s}
                """.formatted(hooks.url("/refuse"), hooks.caBundle()));
        KubeApiException e = catchThrowableOfType(KubeApiException.class, () -> client.resources(V2).create(widget("v2", "a", "replicas", 1)));
        assertThat(e).isNotNull();
        assertThat(e.status().code()).isEqualTo(500);
        assertThat(e.status().message()).isEqualTo("conversion webhook for conv.kardia.io/v1, Kind=Widget failed: conversion failed: "
                + "cannot convert widgets today");
        assertThat(client.resources(V1).list("default").items()).isEmpty();
    }

    @Test
    void aWebhookStrategyWithoutAUsableWebhookIsRefused() {
        KubeApiException e = catchThrowableOfType(KubeApiException.class, () -> crd("""
                  conversion:
                    strategy: Webhook
                    webhook:
                      conversionReviewVersions: [v1beta1]
                      clientConfig: {url: "http://127.0.0.1:1/convert"}
                """));
        assertThat(e).isNotNull();
        assertThat(e.status().code()).isEqualTo(422);
        assertThat(e.status().details().causes()).extracting(c -> c.field() + ": " + c.message()).containsExactly(
                "spec.conversion.webhook.conversionReviewVersions: Invalid value: \"[\"v1beta1\"]\": must include at least one of v1 "
                        + "(the only ConversionReview version the store sends)",
                "spec.conversion.webhook.clientConfig.url: Invalid value: \"http://127.0.0.1:1/convert\": 'https' is the only allowed URL scheme");
    }

    @Test
    void strategyNoneChangesOnlyTheApiVersion() {
        crd("  conversion: {strategy: None}\n");
        client.resources(V1).create(widget("v1", "a", "size", 2));
        GenericObject asV2 = client.resources(V2).get("default", "a");
        assertThat(Json.toTree(asV2).path("apiVersion").asText()).isEqualTo("conv.kardia.io/v2");
        assertThat(spec(asV2).path("size").asInt()).isEqualTo(2);
        assertThat(hooks.received("/convert")).isEmpty();
    }

    @Test
    void aWriteInAnotherVersionIsPrunedWithThatVersionsSchema() {
        crd("  conversion: {strategy: None}\n");
        // v2 declares only replicas, v1 only size: a v2 body's size is unknown in v2 and pruned before
        // conversion (kube prunes in the request's version), its replicas after it (unknown in v1)
        client.resources(V2).create(Json.fromTree(Yaml.tree("""
                apiVersion: conv.kardia.io/v2
                kind: Widget
                metadata: {name: a, namespace: default}
                spec: {size: 3, replicas: 2}
                """), GenericObject.class));
        assertThat(spec(client.resources(V1).get("default", "a")).isEmpty()).as("nothing v2 does not declare reaches storage").isTrue();
        client.resources(V1).create(widget("v1", "b", "size", 4));
        assertThat(spec(client.resources(V1).get("default", "b")).path("size").asInt()).isEqualTo(4);
    }

    @Test
    void aWriteInAnotherVersionIsValidatedWithThatVersionsSchemaAndRules() {
        crd("""
                  conversion:
                    strategy: Webhook
                    webhook:
                      conversionReviewVersions: [v1]
                      clientConfig: {url: "%s", caBundle: %s}
                """.formatted(hooks.url("/convert"), hooks.caBundle()),
                ", maximum: 10, x-kubernetes-validations: [{rule: 'self != 7', message: seven is unlucky}]");
        ResourceClient<GenericObject> v1 = client.resources(V1);
        ResourceClient<GenericObject> v2 = client.resources(V2);

        KubeApiException tooMany = catchThrowableOfType(KubeApiException.class, () -> v2.create(widget("v2", "a", "replicas", 20)));
        assertThat(tooMany.status().code()).isEqualTo(422);
        assertThat(tooMany.status().details().causes()).extracting(c -> c.field() + ": " + c.message())
                .containsExactly("spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10");
        KubeApiException seven = catchThrowableOfType(KubeApiException.class, () -> v2.create(widget("v2", "a", "replicas", 7)));
        assertThat(seven.status().details().causes()).extracting(c -> c.message()).containsExactly("Invalid value: \"integer\": seven is unlucky");
        assertThat(v1.find("default", "a")).isEmpty();

        v1.create(widget("v1", "a", "size", 20));
        assertThat(spec(v2.get("default", "a")).path("replicas").asInt()).as("v1 has no limit; v2 reads it").isEqualTo(20);
        GenericObject asV2 = v2.get("default", "a");
        ObjectNode labelled = Json.toTree(asV2);
        ((ObjectNode) labelled.path("metadata").path("labels")).put("more", "x");
        v2.update(Json.fromTree(labelled, GenericObject.class));
        assertThat(v1.get("default", "a").metadata().labels()).as("an unchanged invalid value is ratcheted in v2 too")
                .containsEntry("more", "x");
        ((ObjectNode) labelled.path("spec")).put("replicas", 30);
        ((ObjectNode) labelled.path("metadata")).remove("resourceVersion");
        KubeApiException changed = catchThrowableOfType(KubeApiException.class,
                () -> v2.update(Json.fromTree(labelled, GenericObject.class)));
        assertThat(changed.status().code()).isEqualTo(422);
        assertThat(spec(v1.get("default", "a")).path("size").asInt()).isEqualTo(20);
    }
}
