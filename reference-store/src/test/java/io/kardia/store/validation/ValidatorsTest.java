package io.kardia.store.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.json.Json;
import io.kardia.core.model.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidatorsTest {
    private final Validators validators = Validators.builtIns();

    private static ObjectNode o(String json) {
        return (ObjectNode) Json.tree(json.replace('\'', '"').getBytes());
    }

    private static List<String> fields(List<Status.Cause> causes) {
        return causes.stream().map(Status.Cause::field).toList();
    }

    @Test
    void nameRules() {
        assertThat(NameRules.dns1123Subdomain("a.b-c")).isEmpty();
        assertThat(NameRules.dns1123Subdomain("A")).hasSize(1);
        assertThat(NameRules.dns1123Subdomain("a".repeat(254))).contains("must be no more than 253 characters");
        assertThat(NameRules.dns1123Label("a.b")).hasSize(1);
        assertThat(NameRules.qualifiedName("example.com/My_name.1")).isEmpty();
        assertThat(NameRules.qualifiedName("Example.com/x")).singleElement().asString().startsWith("prefix part");
        assertThat(NameRules.qualifiedName("x".repeat(64))).contains("name part must be no more than 63 characters");
        assertThat(NameRules.labelValue("")).isEmpty();
        assertThat(NameRules.labelValue("-x")).hasSize(1);
    }

    @Test
    void metadataRules() {
        List<Status.Cause> causes = validators.validateCreate("configmaps", true, o("""
                {'metadata':{'generateName':'Bad-','labels':{'ok':'-bad'},'annotations':{'a':'%s'},
                 'ownerReferences':[{'apiVersion':'v1','kind':'X','name':'n','uid':'1','controller':true},
                                    {'apiVersion':'v1','kind':'X','name':'m','uid':'2','controller':true}]}}""".formatted("x".repeat(300_000))));
        assertThat(fields(causes)).containsExactlyInAnyOrder("metadata.generateName", "metadata.namespace", "metadata.labels",
                "metadata.annotations", "metadata.ownerReferences");
        assertThat(fields(validators.validateCreate("namespaces", false, o("{'metadata':{'name':'a.b'}}")))).containsExactly("metadata.name");
        assertThat(validators.validateCreate("configmaps", true, o("{'metadata':{}}")).get(0).message())
                .isEqualTo("Required value: name or generateName is required");
    }

    @Test
    void ingressClassRules() {
        String r = "ingressclasses.networking.k8s.io";
        ObjectNode valid = o("""
                {'metadata':{'name':'nginx'},'spec':{'controller':'example.com/ingress-nginx',
                 'parameters':{'apiGroup':'k8s.example.com','kind':'Params','name':'p','scope':'Namespace','namespace':'infra'}}}""");
        assertThat(validators.validateCreate(r, false, valid)).isEmpty();
        assertThat(fields(validators.validateCreate(r, false, o("""
                {'metadata':{'name':'a'},'spec':{'controller':'no-domain',
                 'parameters':{'kind':'Params','scope':'Cluster','namespace':'infra'}}}""")))).containsExactlyInAnyOrder(
                "spec.controller", "spec.parameters.name", "spec.parameters.namespace");
        assertThat(fields(validators.validateCreate(r, false, o("""
                {'metadata':{'name':'a'},'spec':{'controller':'example.com/%s',
                 'parameters':{'kind':'Params','name':'p','scope':'Namespace'}}}""".formatted("x".repeat(250))))))
                .containsExactlyInAnyOrder("spec.controller", "spec.parameters.namespace");
        assertThat(fields(validators.validateCreate(r, false, o("{'metadata':{'name':'a'},'spec':{}}"))))
                .containsExactly("spec.controller");
        List<Status.Cause> huge = validators.validateCreate(r, false, o(
                "{'metadata':{'name':'a'},'spec':{'controller':'Bad Host/%s'}}".formatted("^".repeat(1_000_000))));
        assertThat(fields(huge)).containsExactly("spec.controller");
        assertThat(huge.get(0).message()).as("not echoed back").hasSizeLessThan(200);

        ObjectNode newParams = valid.deepCopy();
        ((ObjectNode) newParams.at("/spec/parameters")).put("name", "q");
        assertThat(validators.validateUpdate(r, false, newParams, valid)).isEmpty();
        ObjectNode newController = valid.deepCopy();
        ((ObjectNode) newController.at("/spec")).put("controller", "example.com/other");
        List<Status.Cause> causes = validators.validateUpdate(r, false, newController, valid);
        assertThat(fields(causes)).containsExactly("spec.controller");
        assertThat(causes.get(0).message()).contains("field is immutable");
    }

    @Test
    void podRules() {
        List<Status.Cause> causes = validators.validateCreate("pods", true, o("""
                {'metadata':{'name':'p','namespace':'n'},'spec':{'restartPolicy':'Sometimes',
                 'containers':[{'name':'a','image':'i','ports':[{'containerPort':70000}]},{'name':'a'}]}}"""));
        assertThat(fields(causes)).containsExactlyInAnyOrder("spec.restartPolicy", "spec.containers[0].ports[0].containerPort",
                "spec.containers[1].name", "spec.containers[1].image");
        ObjectNode old = o("{'metadata':{'name':'p','namespace':'n'},'spec':{'containers':[{'name':'a','image':'i'}],'tolerations':[{'key':'t'}]}}");
        ObjectNode addToleration = old.deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) addToleration.at("/spec/tolerations")).addObject().put("key", "u");
        assertThat(validators.validateUpdate("pods", true, addToleration, old)).isEmpty();
        assertThat(fields(validators.validateUpdate("pods", true, old, addToleration))).containsExactly("spec");
    }

    @Test
    void leaseAndCrdRules() {
        assertThat(fields(validators.validateCreate("leases.coordination.k8s.io", true,
                o("{'metadata':{'name':'l','namespace':'n'},'spec':{'leaseDurationSeconds':0,'leaseTransitions':-1}}"))))
                .containsExactlyInAnyOrder("spec.leaseDurationSeconds", "spec.leaseTransitions");
        assertThat(fields(validators.validateCreate("customresourcedefinitions.apiextensions.k8s.io", false, o("""
                {'metadata':{'name':'xs.nodot'},'spec':{'group':'nodot','scope':'Namespaced','names':{'plural':'xs','kind':'X'},
                 'versions':[{'name':'v1','served':false,'storage':true},{'name':'v2','served':false,'storage':true}]}}"""))))
                .containsExactlyInAnyOrder("spec.group", "spec.versions", "spec.versions");
    }

    @Test
    void cronJobUpdatesKeepWhatKubeApiserverLetsStay() {
        String cj = "{'metadata':{'name':'c','namespace':'n'},'spec':{'schedule':'%s',%s'jobTemplate':{'spec':{'template':{'spec':"
                + "{'restartPolicy':'Never','containers':[{'name':'c','image':'i'}]}}}}}}";
        ObjectNode storedWithTz = o(cj.formatted("TZ=UTC 0 * * * *", ""));
        assertThat(validators.validateUpdate("cronjobs.batch", true, o(cj.formatted("TZ=UTC 5 * * * *", "")), storedWithTz))
                .as("a schedule stored with TZ= before it was refused may keep it").isEmpty();
        assertThat(validators.validateUpdate("cronjobs.batch", true,
                o(cj.formatted("TZ=UTC 5 * * * *", "'timeZone':'UTC',")), storedWithTz))
                .extracting(Status.Cause::message)
                .containsExactly("Invalid value: \"TZ=UTC 5 * * * *\": cannot use both timeZone field and TZ or CRON_TZ in schedule");
        ObjectNode storedOldZone = o(cj.formatted("0 * * * *", "'timeZone':'Gone/Zone',"));
        assertThat(validators.validateUpdate("cronjobs.batch", true, o(cj.formatted("5 * * * *", "'timeZone':'Gone/Zone',")),
                storedOldZone)).as("an unchanged time zone is not checked again").isEmpty();
        assertThat(fields(validators.validateCreate("cronjobs.batch", true, storedOldZone))).containsExactly("spec.timeZone");
    }
}
