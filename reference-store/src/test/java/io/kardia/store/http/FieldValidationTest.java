package io.kardia.store.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.store.FieldValidation;
import io.kardia.store.ReferenceStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code fieldValidation}: duplicates found while a body is parsed, unknown fields found by the
 * store in its type check of the body (typed kinds, schema-checked kinds, patches of every type).
 */
class FieldValidationTest {
    private static final String TOKEN = BearerTokenAuthenticator.newToken();
    private static ReferenceStore store;
    private static ApiServer server;
    private static RawHttp http;
    private String ns;

    @BeforeAll
    static void start() throws IOException {
        store = ReferenceStore.inMemory();
        server = ApiServer.start(store, "127.0.0.1", 0, TOKEN, null);
        http = new RawHttp("127.0.0.1", server.port(), TOKEN);
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    @BeforeEach
    void namespace() {
        ns = "fv-" + UUID.randomUUID().toString().substring(0, 8);
        store.create(ResourceTypes.NAMESPACE, null, json("{'metadata':{'name':'" + ns + "'}}"), WriteOptions.DEFAULT);
    }

    private static ObjectNode json(String s) {
        return (ObjectNode) Json.tree(bytes(s));
    }

    private static byte[] bytes(String s) {
        return s.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void duplicateFieldsAreNamedByTheirPathIncludingListIndexes() {
        DuplicateFields.Parsed parsed = DuplicateFields.readJson(bytes("{'a':1,'b':{'c':1,'c':2},'a':3}"));
        assertThat(parsed.duplicates()).containsExactly("b.c", "a");
        assertThat(parsed.tree()).as("the tree is Jackson's: a later duplicate wins").isEqualTo(json("{'a':3,'b':{'c':2}}"));
        assertThat(DuplicateFields.readJson(bytes(
                "{'spec':{'containers':[{'name':'x'},{'name':'y','image':'i','image':'j'}],'replicas':1,'replicas':2}}")).duplicates())
                .containsExactly("spec.containers[1].image", "spec.replicas");
        assertThat(DuplicateFields.inJson(bytes("{'a':[[1,2],{'k':1,'k':1}]}"))).containsExactly("a[1].k");
        assertThat(DuplicateFields.inJson(bytes("{'a':1,'b':[1,{'a':2}]}"))).isEmpty();
        assertThat(DuplicateFields.inJson(bytes("{'a':"))).isEmpty();
        assertThatThrownBy(() -> DuplicateFields.readJson(bytes("{'a':"))).isInstanceOf(io.kardia.core.json.CodecException.class);
        assertThat(DuplicateFields.inYaml(bytes("""
                kind: Deployment
                spec:
                  replicas: 1
                  template:
                    spec:
                      containers:
                      - name: a
                        name: b
                  replicas: 2
                """))).containsExactly("spec.template.spec.containers[0].name", "spec.replicas");
    }

    @Test
    void unknownFieldsOfATypedKindAreFoundAtEveryDepthInTheTypeCheck() {
        FieldValidation warn = FieldValidation.of(FieldValidation.Mode.Warn, List.of());
        store.create(ResourceTypes.DEPLOYMENT, ns, json(
                "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d','colour':'x'},'spec':{'replica':1,"
                        + "'selector':{'matchLabels':{'a':'b'}},"
                        + "'template':{'metadata':{'labels':{'a':'b'}},'spec':{'containers':[{'name':'c','image':'i','imagePullPolice':'Always'}],"
                        + "'volumes':[{'name':'v','configMap':{'name':'cm','nope':1}}]}}},'extra':1}"), WriteOptions.DEFAULT, warn);
        assertThat(warn.warnings()).containsExactlyInAnyOrder("unknown field \"metadata.colour\"", "unknown field \"spec.replica\"",
                "unknown field \"spec.template.spec.containers[0].imagePullPolice\"",
                "unknown field \"spec.template.spec.volumes[0].configMap.nope\"", "unknown field \"extra\"");
        FieldValidation clean = FieldValidation.of(FieldValidation.Mode.Strict, List.of());
        store.create(ResourceTypes.DEPLOYMENT, ns, json("{'metadata':{'name':'e','labels':{'any':'thing'}},"
                + "'spec':{'selector':{'matchLabels':{'a':'b'}},'template':{'metadata':{'labels':{'a':'b'}},"
                + "'spec':{'containers':[{'name':'c','image':'i'}]}}}}"), WriteOptions.DEFAULT, clean);
        assertThat(clean.warnings()).isEmpty();
    }

    @Test
    void unknownFieldsOfASchemaCheckedKindAreFoundInTheSchemaWalk() {
        ResourceType<?> services = store.types().byGroupResource("services").orElseThrow();
        FieldValidation warn = FieldValidation.of(FieldValidation.Mode.Warn, List.of());
        store.create(services, ns, json("{'metadata':{'name':'s'},'spec':{'ports':[{'port':80,'prot':'TCP'}],'typo':1}}"),
                WriteOptions.DEFAULT, warn);
        assertThat(warn.warnings()).containsExactly("unknown field \"spec.ports[0].prot\"", "unknown field \"spec.typo\"");
    }

    @Test
    void strictRefusesWithEveryFieldAndStoresNothing() {
        FieldValidation strict = FieldValidation.of(FieldValidation.Mode.Strict, List.of("data.k"));
        assertThatThrownBy(() -> store.create(ResourceTypes.CONFIG_MAP, ns,
                json("{'metadata':{'name':'c'},'data':{'k':'v'},'bogus':1}"), WriteOptions.DEFAULT, strict))
                .isInstanceOfSatisfying(KubeApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo("strict decoding error: unknown field \"bogus\", duplicate field \"data.k\"");
                });
        assertThat(store.client().resources(ResourceTypes.CONFIG_MAP).find(ns, "c")).isEmpty();
        FieldValidation ignore = FieldValidation.ignore();
        store.create(ResourceTypes.CONFIG_MAP, ns, json("{'metadata':{'name':'c'},'bogus':1}"), WriteOptions.DEFAULT, ignore);
        assertThat(ignore.warnings()).isEmpty();
    }

    @Test
    void aJsonPatchIsCheckedAsTheObjectItProducesOverHttp() throws IOException {
        String path = "/api/v1/namespaces/" + ns + "/configmaps";
        assertThat(http.request("POST", path).contentType("application/json")
                .body("{\"metadata\":{\"name\":\"p\"},\"data\":{\"k\":\"v\"}}").send().code()).isEqualTo(201);
        RawHttp.Response refused = http.request("PATCH", path + "/p?fieldValidation=Strict").contentType("application/json-patch+json")
                .body("[{\"op\":\"add\",\"path\":\"/spec\",\"value\":{\"x\":1}}]").send();
        assertThat(refused.code()).isEqualTo(400);
        assertThat(Json.tree(refused.body()).path("message").asText()).isEqualTo("strict decoding error: unknown field \"spec\"");
        assertThat(store.get(ResourceTypes.CONFIG_MAP, ns, "p", null).json().has("spec")).isFalse();

        RawHttp.Response warned = http.request("PATCH", path + "/p?fieldValidation=Warn").contentType("application/json-patch+json")
                .body("[{\"op\":\"add\",\"path\":\"/spec\",\"value\":{\"x\":1}}]").send();
        assertThat(warned.code()).isEqualTo(200);
        assertThat(warned.header("Warning")).isEqualTo("299 - \"unknown field \\\"spec\\\"\"");

        // the object now has an unknown field of its own: a later patch is not blamed for it
        RawHttp.Response later = http.request("PATCH", path + "/p?fieldValidation=Strict").contentType("application/merge-patch+json")
                .body("{\"data\":{\"k\":\"w\"}}").send();
        assertThat(later.code()).as(later.text()).isEqualTo(200);
        RawHttp.Response duplicate = http.request("PATCH", path + "/p?fieldValidation=Strict").contentType("application/merge-patch+json")
                .body("{\"data\":{\"k\":\"a\",\"k\":\"b\"}}").send();
        assertThat(Json.tree(duplicate.body()).path("message").asText()).isEqualTo("strict decoding error: duplicate field \"data.k\"");
    }

    @Test
    void aJsonBodyIsParsedOnceWithItsDuplicatesOverHttp() throws IOException {
        RawHttp.Response r = http.request("POST", "/api/v1/namespaces/" + ns + "/configmaps?fieldValidation=Strict")
                .contentType("application/json").body("{\"metadata\":{\"name\":\"d\"},\"data\":{\"k\":\"v\",\"k\":\"w\"}}").send();
        assertThat(r.code()).isEqualTo(400);
        assertThat(Json.tree(r.body()).path("message").asText()).isEqualTo("strict decoding error: duplicate field \"data.k\"");
        RawHttp.Response malformed = http.request("POST", "/api/v1/namespaces/" + ns + "/configmaps?fieldValidation=Strict")
                .contentType("application/json").body("{\"metadata\":").send();
        assertThat(malformed.code()).isEqualTo(400);
    }
}
