package io.kardia.store.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.Status;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import io.kardia.store.StoredObject;
import io.kardia.store.TestKinds;
import io.kardia.store.journal.Journal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Custom objects are pruned and validated against their CRD's served openAPIV3Schema, as kube-apiserver does. */
class CustomResourceSchemaTest {
    private static final ResourceType<GenericObject> GADGETS = new ResourceType<>("example.kardia.io", "v1", "Gadget",
            "gadgets", "gadget", true, List.of(), Set.of("status"), GenericObject.class);
    private static final String SCHEMA = """
            {'type':'object','required':['spec'],'properties':{
              'spec':{'type':'object','required':['image'],'properties':{
                'image':{'type':'string','minLength':1,'maxLength':20,'pattern':'^[^\\\\s]+$'},
                'replicas':{'type':'integer','format':'int32','minimum':0,'maximum':10},
                'ratio':{'type':'number','minimum':0,'exclusiveMinimum':true,'maximum':1,'exclusiveMaximum':true},
                'mode':{'type':'string','enum':['fast','safe']},
                'port':{'x-kubernetes-int-or-string':true},
                'note':{'type':'string','nullable':true},
                'enabled':{'type':'boolean'},
                'tags':{'type':'array','minItems':1,'maxItems':2,'items':{'type':'string','maxLength':5}},
                'content':{'type':'object','additionalProperties':{'type':'string'}},
                'ports':{'type':'array','items':{'type':'object','properties':{'name':{'type':'string'}}}},
                'extra':{'type':'object','x-kubernetes-preserve-unknown-fields':true,'properties':{
                  'known':{'type':'object','properties':{'a':{'type':'integer'}}}}}}},
              'status':{'type':'object','properties':{'ready':{'type':'boolean'},'observed':{'type':'integer','minimum':0}}}}}""";

    private ReferenceStore store;

    @BeforeEach
    void setUp() {
        store = ReferenceStore.inMemory();
        store.create(TestKinds.CRDS, null, crd(SCHEMA), WriteOptions.DEFAULT);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private static ObjectNode o(String json) {
        return (ObjectNode) Json.tree(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode crd(String schema) {
        ObjectNode crd = o("""
                {'apiVersion':'apiextensions.k8s.io/v1','kind':'CustomResourceDefinition',
                 'metadata':{'name':'gadgets.example.kardia.io'},
                 'spec':{'group':'example.kardia.io','scope':'Namespaced',
                   'names':{'plural':'gadgets','singular':'gadget','kind':'Gadget'},
                   'versions':[{'name':'v1','served':true,'storage':true,'subresources':{'status':{}},'schema':{}}]}}""");
        ((ObjectNode) crd.at("/spec/versions/0/schema")).set("openAPIV3Schema", o(schema));
        return crd;
    }

    private static ObjectNode gadget(String name, String spec) {
        ObjectNode g = o("{'apiVersion':'example.kardia.io/v1','kind':'Gadget','metadata':{'name':'" + name + "'}}");
        if (spec != null) {
            g.set("spec", o(spec));
        }
        return g;
    }

    private StoredObject create(ObjectNode body) {
        return store.create(GADGETS, "default", body, WriteOptions.DEFAULT);
    }

    private static Status refused(Supplier<?> write) {
        KubeApiException e = catchThrowableOfType(KubeApiException.InvalidException.class, write::get);
        assertThat(e).as("the write is refused as Invalid").isNotNull();
        assertThat(e.code()).isEqualTo(422);
        return e.status();
    }

    private static List<String> causes(Status s) {
        return s.details().causes().stream().map(c -> c.field() + ": " + c.message()).toList();
    }

    private List<String> createRefused(String spec) {
        return causes(refused(() -> create(gadget("bad", spec))));
    }

    @Test
    void aValidObjectIsAccepted() {
        StoredObject s = create(gadget("ok", """
                {'image':'nginx','replicas':10,'ratio':0.5,'mode':'safe','port':'http','note':null,'enabled':true,
                 'tags':['a','b'],'content':{'index.html':'hi'},'ports':[{'name':'web'}],'extra':{'known':{'a':1}}}"""));
        assertThat(s.json().at("/spec/replicas").asInt()).isEqualTo(10);
        assertThat(create(gadget("port-number", "{'image':'nginx','port':8080,'replicas':3.0}")).json().at("/spec/port").asInt())
                .isEqualTo(8080);
    }

    @Test
    void eachRuleIsReportedWithKubeApiserversFieldAndWording() {
        assertThat(createRefused("{'image':'nginx','replicas':50}"))
                .containsExactly("spec.replicas: Invalid value: 50: spec.replicas in body should be less than or equal to 10");
        assertThat(createRefused("{'image':'nginx','replicas':-1}"))
                .containsExactly("spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0");
        assertThat(createRefused("{'replicas':1}")).containsExactly("spec.image: Required value");
        assertThat(causes(refused(() -> create(gadget("no-spec", null))))).containsExactly("spec: Required value");
        assertThat(createRefused("{'image':'nginx','replicas':'string'}")).containsExactly(
                "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"");
        assertThat(createRefused("{'image':'nginx','replicas':1.5}")).containsExactly(
                "spec.replicas: Invalid value: \"number\": spec.replicas in body must be of type integer: \"number\"");
        assertThat(createRefused("{'image':'nginx','enabled':'yes'}")).containsExactly(
                "spec.enabled: Invalid value: \"string\": spec.enabled in body must be of type boolean: \"string\"");
        assertThat(createRefused("{'image':'nginx','ratio':1}"))
                .containsExactly("spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1");
        assertThat(createRefused("{'image':'nginx','ratio':0}"))
                .containsExactly("spec.ratio: Invalid value: 0: spec.ratio in body should be greater than 0");
        assertThat(createRefused("{'image':'nginx','mode':'slow'}"))
                .containsExactly("spec.mode: Unsupported value: \"slow\": supported values: \"fast\", \"safe\"");
        assertThat(createRefused("{'image':''}"))
                .containsExactly("spec.image: Invalid value: \"\": spec.image in body should be at least 1 chars long",
                        "spec.image: Invalid value: \"\": spec.image in body should match '^[^\\s]+$'");
        assertThat(createRefused("{'image':'" + "x".repeat(21) + "'}"))
                .containsExactly("spec.image: Too long: may not be longer than 20");
        assertThat(createRefused("{'image':'has spaces'}"))
                .containsExactly("spec.image: Invalid value: \"has spaces\": spec.image in body should match '^[^\\s]+$'");
        assertThat(createRefused("{'image':'nginx','tags':[]}"))
                .containsExactly("spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items");
        assertThat(createRefused("{'image':'nginx','tags':['a','b','c']}"))
                .containsExactly("spec.tags: Too many: 3: must have at most 2 items");
        assertThat(createRefused("{'image':'nginx','tags':['toolong']}"))
                .containsExactly("spec.tags[0]: Too long: may not be longer than 5");
        assertThat(createRefused("{'image':'nginx','content':{'index.html':7}}")).containsExactly(
                "spec.content[index.html]: Invalid value: \"integer\": spec.content[index.html] in body must be of type string: \"integer\"");
        assertThat(createRefused("{'image':'nginx','port':true}")).containsExactly(
                "spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer or string: \"boolean\"");
        assertThat(createRefused("{'image':'nginx','mode':null}")).containsExactly(
                "spec.mode: Invalid value: \"null\": spec.mode in body must be of type string: \"null\"");
        assertThat(createRefused("{'image':'nginx','extra':{'known':{'a':'x'}}}")).containsExactly(
                "spec.extra.known.a: Invalid value: \"string\": spec.extra.known.a in body must be of type integer: \"string\"");
    }

    @Test
    void everyViolationIsReportedAtOnceInTheStatusMessage() {
        Status s = refused(() -> create(gadget("bad", "{'replicas':50,'mode':'slow'}")));
        assertThat(causes(s)).hasSize(3);
        assertThat(s.reason()).isEqualTo("Invalid");
        assertThat(s.message()).startsWith("Gadget.example.kardia.io \"bad\" is invalid: ")
                .contains("spec.image: Required value", "spec.replicas: Invalid value: 50");
    }

    @Test
    void unknownFieldsArePrunedNotRefused() {
        StoredObject s = create(gadget("pruned", """
                {'image':'nginx','unknown':1,'ports':[{'name':'a','bogus':true}],'content':{'f':'x'}}"""));
        ObjectNode stored = s.json();
        stored.remove("status");
        assertThat(stored.get("spec")).isEqualTo(o("{'image':'nginx','ports':[{'name':'a'}],'content':{'f':'x'}}"));
        ObjectNode topLevel = gadget("top", "{'image':'nginx'}");
        topLevel.put("surprise", "x");
        topLevel.with("metadata").putObject("labels").put("app", "kept");
        StoredObject t = create(topLevel);
        assertThat(t.json().has("surprise")).isFalse();
        assertThat(t.json().at("/metadata/labels/app").asText()).isEqualTo("kept");
        assertThat(t.json().path("apiVersion").asText()).isEqualTo("example.kardia.io/v1");
    }

    @Test
    void preserveUnknownFieldsKeepsThemButStillChecksKnownOnes() {
        StoredObject s = create(gadget("kept", "{'image':'nginx','extra':{'anything':{'goes':[1,'two']},'known':{'a':1,'b':2}}}"));
        assertThat(s.json().at("/spec/extra/anything/goes/1").asText()).isEqualTo("two");
        assertThat(s.json().at("/spec/extra/known").has("b")).as("pruned inside a specified property").isFalse();
    }

    @Test
    void updatesAndPatchesAreValidatedAndARefusedWriteChangesNothing() {
        StoredObject created = create(gadget("g", "{'image':'nginx','replicas':1}"));
        ObjectNode update = created.json().deepCopy();
        ((ObjectNode) update.get("spec")).put("replicas", 11);
        assertThat(causes(refused(() -> store.update(GADGETS, "default", "g", update, WriteOptions.DEFAULT))))
                .containsExactly("spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10");
        byte[] patch = "{\"spec\":{\"image\":null}}".getBytes(StandardCharsets.UTF_8);
        assertThat(causes(refused(() -> store.patch(GADGETS, "default", "g", PatchType.MERGE, patch, WriteOptions.DEFAULT))))
                .containsExactly("spec.image: Required value");
        StoredObject after = store.get(GADGETS, "default", "g", null);
        assertThat(after.revision()).isEqualTo(created.revision());
        assertThat(after.bytes()).isEqualTo(created.bytes());

        ObjectNode unknownOnly = created.json().deepCopy();
        ((ObjectNode) unknownOnly.get("spec")).put("unknown", "dropped");
        StoredObject same = store.update(GADGETS, "default", "g", unknownOnly, WriteOptions.DEFAULT);
        assertThat(same.revision()).as("a pruned no-op update writes nothing").isEqualTo(created.revision());
        assertThat(same.json().at("/metadata/generation").asLong()).isEqualTo(1);
    }

    @Test
    void theStatusSubresourceValidatesTheStatus() {
        StoredObject created = create(gadget("s", "{'image':'nginx'}"));
        ObjectNode body = created.json().deepCopy();
        body.set("status", o("{'ready':'yes','observed':-1}"));
        assertThat(causes(refused(() -> store.updateStatus(GADGETS, "default", "s", body, WriteOptions.DEFAULT)))).containsExactly(
                "status.ready: Invalid value: \"string\": status.ready in body must be of type boolean: \"string\"",
                "status.observed: Invalid value: -1: status.observed in body should be greater than or equal to 0");
        assertThat(store.get(GADGETS, "default", "s", null).revision()).isEqualTo(created.revision());

        body.set("status", o("{'ready':true,'observed':1,'junk':1}"));
        JsonNode status = store.updateStatus(GADGETS, "default", "s", body, WriteOptions.DEFAULT).json().get("status");
        assertThat(status).isEqualTo(o("{'ready':true,'observed':1}"));
        byte[] patch = "{\"status\":{\"observed\":\"x\"}}".getBytes(StandardCharsets.UTF_8);
        assertThat(causes(refused(() -> store.patchStatus(GADGETS, "default", "s", PatchType.MERGE, patch, WriteOptions.DEFAULT))))
                .singleElement().asString().startsWith("status.observed: Invalid value: \"string\"");
    }

    @Test
    void dryRunIsValidatedToo() {
        Status s = refused(() -> store.create(GADGETS, "default", gadget("dry", "{'replicas':1}"), WriteOptions.DRY_RUN));
        assertThat(causes(s)).containsExactly("spec.image: Required value");
    }

    /** kube-apiserver's structural defaulting: absent fields, and nulls where null is not allowed, get the schema's default. */
    @Test
    void schemaDefaultsFillAbsentFieldsOnEveryWrite() {
        ObjectNode crd = store.get(TestKinds.CRDS, null, "gadgets.example.kardia.io", null).json().deepCopy();
        ((ObjectNode) crd.at("/spec/versions/0/schema")).set("openAPIV3Schema", o("""
                {'type':'object','properties':{
                  'spec':{'type':'object','default':{},'properties':{
                    'image':{'type':'string','default':'nginx'},
                    'replicas':{'type':'integer','default':1},
                    'note':{'type':'string','nullable':true,'default':'n'},
                    'policy':{'type':'object','default':{'mode':'safe'},'properties':{
                      'mode':{'type':'string'},'retries':{'type':'integer','default':3}}},
                    'ports':{'type':'array','items':{'type':'object','properties':{
                      'name':{'type':'string'},'protocol':{'type':'string','default':'TCP'}}}}}}}}"""));
        store.update(TestKinds.CRDS, null, "gadgets.example.kardia.io", crd, WriteOptions.DEFAULT);

        StoredObject bare = create(gadget("bare", null));
        assertThat(bare.json().get("spec")).as("spec defaulted to {}, then its fields, then the default's own fields")
                .isEqualTo(o("{'image':'nginx','replicas':1,'note':'n','policy':{'mode':'safe','retries':3}}"));

        StoredObject given = create(gadget("given", "{'image':'redis','replicas':null,'note':null,'ports':[{'name':'web'}]}"));
        assertThat(given.json().get("spec")).as("a null where null is not allowed is defaulted; a nullable null is kept")
                .isEqualTo(o("{'image':'redis','replicas':1,'note':null,'policy':{'mode':'safe','retries':3},"
                        + "'ports':[{'name':'web','protocol':'TCP'}]}"));

        byte[] removeImage = "{\"spec\":{\"image\":null,\"policy\":{\"retries\":null}}}".getBytes(StandardCharsets.UTF_8);
        StoredObject patched = store.patch(GADGETS, "default", "given", PatchType.MERGE, removeImage, WriteOptions.DEFAULT);
        assertThat(patched.json().at("/spec/image").asText()).as("a field a patch removes comes back as its default").isEqualTo("nginx");
        assertThat(patched.json().at("/spec/policy/retries").asInt()).isEqualTo(3);

        ObjectNode update = patched.json().deepCopy();
        ((ObjectNode) update.get("spec")).remove("replicas");
        assertThat(store.update(GADGETS, "default", "given", update, WriteOptions.DEFAULT).json().at("/spec/replicas").asInt())
                .isEqualTo(1);
    }

    @Test
    void aChangedSchemaAppliesToLaterWritesAndADeletedCrdTakesItsRulesAway() {
        ObjectNode crd = store.get(TestKinds.CRDS, null, "gadgets.example.kardia.io", null).json().deepCopy();
        ((ObjectNode) crd.at("/spec/versions/0/schema")).set("openAPIV3Schema",
                o("{'type':'object','properties':{'spec':{'type':'object','x-kubernetes-preserve-unknown-fields':true}}}"));
        store.update(TestKinds.CRDS, null, "gadgets.example.kardia.io", crd, WriteOptions.DEFAULT);
        assertThat(create(gadget("loose", "{'replicas':50,'free':1}")).json().at("/spec/free").asInt()).isEqualTo(1);
    }

    @Test
    void aCrdWithoutASchemaServesItsKindUnchecked() {
        store.close();
        store = ReferenceStore.inMemory();
        ObjectNode crd = crd("{}");
        ((ObjectNode) crd.at("/spec/versions/0")).remove("schema");
        store.create(TestKinds.CRDS, null, crd, WriteOptions.DEFAULT);
        assertThat(create(gadget("any", "{'replicas':'many'}")).json().at("/spec/replicas").asText()).isEqualTo("many");
    }

    @Test
    void aRestartedStoreServesTheSchemaOfItsRecoveredCrds(@TempDir Path dir) {
        try (ReferenceStore durable = ReferenceStore.open(StoreOptions.defaults(), Journal.open(dir))) {
            durable.create(TestKinds.CRDS, null, crd(SCHEMA), WriteOptions.DEFAULT);
        }
        try (ReferenceStore again = ReferenceStore.open(StoreOptions.defaults(), Journal.open(dir))) {
            Status s = refused(() -> again.create(GADGETS, "default", gadget("bad", "{'replicas':1}"), WriteOptions.DEFAULT));
            assertThat(causes(s)).containsExactly("spec.image: Required value");
            assertThat(again.create(GADGETS, "default", gadget("ok", "{'image':'i','x':1}"), WriteOptions.DEFAULT).json()
                    .at("/spec")).isEqualTo(o("{'image':'i'}"));
        }
    }

    @Test
    void unchangedInvalidFieldsRatchetThroughUpdatesButChangedOnesAreChecked() {
        // Stored under a loose schema, then the schema tightens (the setUp schema is restored).
        ObjectNode crd = store.get(TestKinds.CRDS, null, "gadgets.example.kardia.io", null).json().deepCopy();
        ((ObjectNode) crd.at("/spec/versions/0/schema")).set("openAPIV3Schema",
                o("{'type':'object','properties':{'spec':{'type':'object','x-kubernetes-preserve-unknown-fields':true}}}"));
        StoredObject loose = store.update(TestKinds.CRDS, null, "gadgets.example.kardia.io", crd, WriteOptions.DEFAULT);
        create(gadget("old", "{'image':'nginx','replicas':50}"));
        ObjectNode tight = loose.json().deepCopy();
        ((ObjectNode) tight.at("/spec/versions/0/schema")).set("openAPIV3Schema", o(SCHEMA));
        store.update(TestKinds.CRDS, null, "gadgets.example.kardia.io", tight, WriteOptions.DEFAULT);

        // A metadata-only change (a finalizer, as an operator adds) goes through.
        ObjectNode withFinalizer = store.get(GADGETS, "default", "old", null).json();
        ((ObjectNode) withFinalizer.get("metadata")).putArray("finalizers").add("example.kardia.io/cleanup");
        StoredObject updated = store.update(GADGETS, "default", "old", withFinalizer, WriteOptions.DEFAULT);
        assertThat(updated.json().at("/metadata/finalizers/0").asText()).isEqualTo("example.kardia.io/cleanup");

        // Changing the invalid field to another invalid value is checked.
        ObjectNode stillBad = updated.json();
        ((ObjectNode) stillBad.get("spec")).put("replicas", 60);
        assertThat(causes(refused(() -> store.update(GADGETS, "default", "old", stillBad, WriteOptions.DEFAULT))))
                .containsExactly("spec.replicas: Invalid value: 60: spec.replicas in body should be less than or equal to 10");
        // And a fix is accepted.
        ObjectNode fixed = updated.json();
        ((ObjectNode) fixed.get("spec")).put("replicas", 3);
        assertThat(store.update(GADGETS, "default", "old", fixed, WriteOptions.DEFAULT).json().at("/spec/replicas").asInt())
                .isEqualTo(3);
    }

    @Test
    void causeFieldPathsResolveIntoTheObject() {
        ObjectNode obj = o("{'spec':{'items':[{'name':'a'},{'name':'b'}],'m':{'k.x':1}}}");
        assertThat(CustomResourceValidator.at(obj, "spec.items[1].name").asText()).isEqualTo("b");
        assertThat(CustomResourceValidator.at(obj, "spec.items[5].name")).isNull();
        assertThat(CustomResourceValidator.at(obj, "spec.missing")).isNull();
    }
}
