package io.kardia.store.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.PatchType;
import io.kardia.core.json.Json;
import org.junit.jupiter.api.Test;

class PatchesTest {

    private static JsonNode j(String json) {
        return Json.tree(json.replace('\'', '"').getBytes());
    }

    private static ObjectNode o(String json) {
        return (ObjectNode) j(json);
    }

    @Test
    void mergePatchFollowsRfc7386() {
        JsonNode target = j("{'a':'b','c':{'d':'e','f':'g'},'l':[1,2]}");
        JsonNode out = JsonMergePatch.apply(target, j("{'a':'z','c':{'f':null},'l':[3],'n':{'x':null}}"));
        assertThat(out).isEqualTo(j("{'a':'z','c':{'d':'e'},'l':[3],'n':{}}"));
        assertThat(target).as("input untouched").isEqualTo(j("{'a':'b','c':{'d':'e','f':'g'},'l':[1,2]}"));
    }

    @Test
    void jsonPatchOperations() {
        JsonNode doc = j("{'a':[1,2,3],'b':{'c':1},'x~y':{'p/q':5}}");
        JsonNode out = JsonPatch.apply(doc, j("""
                [{'op':'add','path':'/a/-','value':4},{'op':'remove','path':'/a/0'},{'op':'add','path':'/a/1','value':9},
                 {'op':'move','from':'/b/c','path':'/d'},{'op':'replace','path':'/x~0y/p~1q','value':6}]"""));
        assertThat(out).isEqualTo(j("{'a':[2,9,3,4],'b':{},'x~y':{'p/q':6},'d':1}"));
        assertThatThrownBy(() -> JsonPatch.apply(doc, j("[{'op':'replace','path':'/missing','value':1}]")))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.malformed()).isFalse());
        assertThatThrownBy(() -> JsonPatch.apply(doc, j("[{'op':'frobnicate','path':'/a'}]")))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.malformed()).isTrue());
        assertThatThrownBy(() -> JsonPatch.apply(doc, j("[{'op':'add','path':'a','value':1}]")))
                .isInstanceOf(PatchException.class).hasMessageContaining("must start with '/'");
    }

    /**
     * Merge keys come from the Go types, not the kind: every kind that embeds a PodSpec merges its
     * containers by name, a Service its ports by port; a list without a merge key is replaced.
     */
    @Test
    void strategicMergeKeysFollowTheTypesIntoEveryKind() {
        String containers = "{'spec':{'template':{'spec':{'containers':[{'name':'c','image':'nginx'},{'name':'d','image':'busybox'}]}}}}";
        String patch = "{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'c'},{'name':'d'}],"
                + "'containers':[{'name':'d','image':'busybox:2'}]}}}}";
        for (String kind : new String[] {"statefulsets.apps", "daemonsets.apps", "jobs.batch", "replicationcontrollers"}) {
            ObjectNode out = Patches.apply(kind, true, PatchType.STRATEGIC, o(containers), j(patch));
            assertThat(out.at("/spec/template/spec/containers").toString()).as(kind)
                    .isEqualTo("[{\"name\":\"c\",\"image\":\"nginx\"},{\"name\":\"d\",\"image\":\"busybox:2\"}]");
        }
        ObjectNode cronJob = o("{'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'c','image':'a'},{'name':'d','image':'b'}]}}}}}}");
        ObjectNode outCron = Patches.apply("cronjobs.batch", true, PatchType.STRATEGIC, cronJob,
                j("{'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'d','$patch':'delete'}]}}}}}}"));
        assertThat(outCron.at("/spec/jobTemplate/spec/template/spec/containers").toString()).isEqualTo("[{\"name\":\"c\",\"image\":\"a\"}]");

        ObjectNode service = o("{'spec':{'ports':[{'name':'a','port':80},{'name':'b','port':81}],'ipFamilies':['IPv4']}}");
        ObjectNode outService = Patches.apply("services", true, PatchType.STRATEGIC, service,
                j("{'spec':{'ports':[{'name':'b','port':81,'targetPort':8081}],'ipFamilies':['IPv6']}}"));
        assertThat(outService.at("/spec/ports").toString())
                .isEqualTo("[{\"name\":\"a\",\"port\":80},{\"name\":\"b\",\"port\":81,\"targetPort\":8081}]");
        assertThat(outService.at("/spec/ipFamilies").toString()).as("no merge key: replaced").isEqualTo("[\"IPv6\"]");

        assertThat(PatchMergeKeys.forResource("statefulsets.apps").orElseThrow())
                .containsEntry("spec.template.spec.containers.env", "name")
                .containsEntry("spec.volumeClaimTemplates.metadata.ownerReferences", "uid")
                .containsEntry("status.conditions", "type");
        assertThat(PatchMergeKeys.forResource("widgets.example.com")).isEmpty();
    }

    /**
     * Patch strategies are the release's (+patchStrategy/+patchMergeKey), for kinds and fields a
     * hand-kept table did not name: webhooks and their match conditions by name, a CSINode's drivers
     * by name; a pod's readinessGates have no merge strategy in 1.35, so a patch replaces them.
     */
    @Test
    void strategicMergeFollowsTheReleasesPatchStrategies() {
        ObjectNode webhooks = o("{'webhooks':[{'name':'a.example.com','sideEffects':'None',"
                + "'matchConditions':[{'name':'x','expression':'true'}]},{'name':'b.example.com','sideEffects':'None'}]}");
        ObjectNode out = Patches.apply("validatingwebhookconfigurations.admissionregistration.k8s.io", true, PatchType.STRATEGIC,
                webhooks, j("{'webhooks':[{'name':'a.example.com','timeoutSeconds':5,"
                        + "'matchConditions':[{'name':'y','expression':'false'}]}]}"));
        assertThat(out.at("/webhooks")).isEqualTo(j("[{'name':'a.example.com','sideEffects':'None','matchConditions':"
                + "[{'name':'x','expression':'true'},{'name':'y','expression':'false'}],'timeoutSeconds':5},"
                + "{'name':'b.example.com','sideEffects':'None'}]"));
        ObjectNode mutating = Patches.apply("mutatingwebhookconfigurations.admissionregistration.k8s.io", true,
                PatchType.STRATEGIC, webhooks, j("{'webhooks':[{'name':'b.example.com','$patch':'delete'}]}"));
        assertThat(mutating.at("/webhooks").size()).isEqualTo(1);

        ObjectNode csiNode = o("{'spec':{'drivers':[{'name':'ebs','nodeID':'n1'}]}}");
        assertThat(Patches.apply("csinodes.storage.k8s.io", true, PatchType.STRATEGIC, csiNode,
                j("{'spec':{'drivers':[{'name':'efs','nodeID':'n1'}]}}")).at("/spec/drivers").size()).isEqualTo(2);

        // a PodDisruptionBudget's selector: +patchStrategy=replace, so the patch's selector is the new one whole
        ObjectNode pdb = o("{'spec':{'minAvailable':1,'selector':{'matchLabels':{'app':'a','tier':'web'}}}}");
        ObjectNode outPdb = Patches.apply("poddisruptionbudgets.policy", true, PatchType.STRATEGIC, pdb,
                j("{'spec':{'selector':{'matchLabels':{'app':'b'}}}}"));
        assertThat(outPdb).isEqualTo(j("{'spec':{'minAvailable':1,'selector':{'matchLabels':{'app':'b'}}}}"));
        assertThat(Patches.apply("deployments.apps", true, PatchType.STRATEGIC,
                o("{'spec':{'selector':{'matchLabels':{'app':'a','tier':'web'}}}}"),
                j("{'spec':{'selector':{'matchLabels':{'app':'b'}}}}")).at("/spec/selector/matchLabels"))
                .as("a Deployment's selector has no such strategy: merged").isEqualTo(j("{'app':'b','tier':'web'}"));

        ObjectNode pod = o("{'spec':{'readinessGates':[{'conditionType':'a'}]}}");
        assertThat(Patches.apply("pods", true, PatchType.STRATEGIC, pod, j("{'spec':{'readinessGates':[{'conditionType':'b'}]}}"))
                .at("/spec/readinessGates")).isEqualTo(j("[{'conditionType':'b'}]"));
    }

    @Test
    void strategicMergeByKeyDirectivesAndSets() {
        ObjectNode pod = o("""
                {'metadata':{'finalizers':['a','b'],'ownerReferences':[{'uid':'1','name':'x'}]},
                 'spec':{'containers':[{'name':'app','image':'i1','ports':[{'containerPort':80,'name':'http'}]}],
                         'tolerations':[{'key':'k1'}],
                         'volumes':[{'name':'v','emptyDir':{}}]}}""");
        ObjectNode out = Patches.apply("pods", true, PatchType.STRATEGIC, pod, j("""
                {'metadata':{'finalizers':['c','a'],'$deleteFromPrimitiveList/finalizers':['b'],
                             'ownerReferences':[{'uid':'2','name':'y'}]},
                 'spec':{'containers':[{'name':'app','ports':[{'containerPort':80,'name':'web'},{'containerPort':443}]},
                                       {'name':'new','image':'i2'}],
                         'tolerations':[{'key':'k2'}],
                         '$setElementOrder/containers':[{'name':'app'},{'name':'new'}],
                         'volumes':[{'name':'v','$retainKeys':['name','hostPath'],'hostPath':{'path':'/x'}}]}}"""));
        assertThat(out.at("/metadata/finalizers")).isEqualTo(j("['a','c']"));
        assertThat(out.at("/metadata/ownerReferences")).hasSize(2);
        assertThat(out.at("/spec/containers")).isEqualTo(j("""
                [{'name':'app','image':'i1','ports':[{'containerPort':80,'name':'web'},{'containerPort':443}]},{'name':'new','image':'i2'}]"""));
        assertThat(out.at("/spec/tolerations")).as("atomic list: replaced").isEqualTo(j("[{'key':'k2'}]"));
        assertThat(out.at("/spec/volumes")).isEqualTo(j("[{'name':'v','hostPath':{'path':'/x'}}]"));
    }

    @Test
    void strategicReplaceAndDeleteDirectives() {
        ObjectNode d = o("{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'1'},{'name':'b','image':'2'}]}},'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}");
        ObjectNode replaced = Patches.apply("deployments.apps", true, PatchType.STRATEGIC, d,
                j("{'spec':{'template':{'spec':{'containers':[{'$patch':'replace'},{'name':'c','image':'3'}]}},'strategy':{'$patch':'replace','type':'Recreate'}}}"));
        assertThat(replaced.at("/spec/template/spec/containers")).isEqualTo(j("[{'name':'c','image':'3'}]"));
        assertThat(replaced.at("/spec/strategy")).isEqualTo(j("{'type':'Recreate'}"));
        ObjectNode deleted = Patches.apply("deployments.apps", true, PatchType.STRATEGIC, d, j("{'spec':{'strategy':{'$patch':'delete'}}}"));
        assertThat(deleted.at("/spec").has("strategy")).isFalse();
    }

    @Test
    void errorsMapToKubernetesStatuses() {
        ObjectNode obj = o("{'spec':{}}");
        assertThatThrownBy(() -> Patches.apply("widgets.example.io", false, PatchType.STRATEGIC, obj, j("{}")))
                .isInstanceOfSatisfying(KubeApiException.class, e -> assertThat(e.code()).isEqualTo(415));
        assertThatThrownBy(() -> Patches.apply("pods", true, PatchType.MERGE, obj, j("[1]")))
                .isInstanceOf(KubeApiException.BadRequestException.class);
        assertThatThrownBy(() -> Patches.parse("{".getBytes())).isInstanceOf(KubeApiException.BadRequestException.class);
        assertThatThrownBy(() -> Patches.apply("pods", true, PatchType.JSON, obj, j("[{'op':'test','path':'/spec','value':1}]")))
                .isInstanceOfSatisfying(KubeApiException.class, e -> assertThat(e.code()).isEqualTo(422));
    }

    /** 24 copies of /x into itself would double the document 24 times: refused long before the heap runs out. */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void selfCopiesAreRefusedOnceTheyExceedTheBudget() {
        ObjectNode obj = o("{'metadata':{'name':'c'},'x':{'a':'0123456789','b':[1,2,3,4,5,6,7,8]}}");
        StringBuilder ops = new StringBuilder("[");
        for (int i = 0; i < 24; i++) {
            ops.append(i == 0 ? "" : ",").append("{'op':'copy','from':'/x','path':'/x/c").append(i).append("'}");
        }
        JsonNode patch = j(ops.append(']').toString());
        assertThatThrownBy(() -> Patches.apply("configmaps", true, PatchType.JSON, obj, patch))
                .isInstanceOfSatisfying(KubeApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("would add more than the limit of 786432 JSON nodes");
                });
        // A few copies within the budget still apply.
        JsonNode few = j("[{'op':'copy','from':'/x','path':'/x/c1'},{'op':'copy','from':'/x','path':'/x/c2'}]");
        assertThat(Patches.apply("configmaps", true, PatchType.JSON, obj, few).at("/x/c2/c1/a").asText()).isEqualTo("0123456789");
    }

    @Test
    void aJsonPatchMayNotNestValuesPastTheDepthBudgetNorHaveTooManyOperations() {
        ObjectNode obj = o("{'x':{}}");
        JsonNode deep = j("[{'op':'add','path':'/x/y','value':" + "{'a':".repeat(95) + "{}" + "}".repeat(95) + "}]");
        assertThatThrownBy(() -> JsonPatch.apply(obj, deep, new JsonPatch.Budget(1_000, 96)))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.malformed()).isFalse())
                .hasMessageContaining("deeper than the limit of 96 levels at /x/y");
        StringBuilder ops = new StringBuilder("[");
        for (int i = 0; i <= JsonPatch.MAX_OPERATIONS; i++) {
            ops.append(i == 0 ? "" : ",").append("{'op':'test','path':'/x','value':{}}");
        }
        JsonNode many = j(ops.append(']').toString());
        assertThatThrownBy(() -> Patches.apply("configmaps", true, PatchType.JSON, obj, many))
                .isInstanceOfSatisfying(KubeApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(413);
                    assertThat(e.getMessage()).isEqualTo("The allowed maximum operations in a JSON patch is 10000, got 10001");
                });
    }
}
