package io.kardia.store;

import static io.kardia.store.ServiceAllocationTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.model.ResourceType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Jobs, CronJobs, StatefulSets, DaemonSets and PodDisruptionBudgets get kube-apiserver's defaults and validation. */
class WorkloadKindRulesTest {
    private static final String TEMPLATE = "'template':{'metadata':{'labels':{'app':'x'}},'spec':{%s'containers':[{'name':'c','image':'busybox'}]}}";
    private final ReferenceStore store = ReferenceStore.inMemory();

    @AfterEach
    void close() {
        store.close();
    }

    private ResourceType<?> type(String groupResource) {
        return store.types().byGroupResource(groupResource).orElseThrow();
    }

    private ObjectNode create(String groupResource, String body) {
        return store.create(type(groupResource), "default", json(body), WriteOptions.DEFAULT).json();
    }

    private static String template(String restartPolicy) {
        return String.format(TEMPLATE, restartPolicy == null ? "" : "'restartPolicy':'" + restartPolicy + "',");
    }

    private void patch(String groupResource, String name, String mergePatch) {
        store.patch(type(groupResource), "default", name, PatchType.MERGE,
                mergePatch.replace('\'', '"').getBytes(StandardCharsets.UTF_8), WriteOptions.DEFAULT);
    }

    @Test
    void aJobGetsItsDefaultsAndASelectorOnItsUid() {
        ObjectNode job = create("jobs.batch", "{'metadata':{'name':'pi'},'spec':{" + template("Never") + "}}");

        String uid = job.at("/metadata/uid").asText();
        assertThat(job.at("/spec/backoffLimit").asInt()).isEqualTo(6);
        assertThat(job.at("/spec/completions").asInt()).isEqualTo(1);
        assertThat(job.at("/spec/parallelism").asInt()).isEqualTo(1);
        assertThat(job.at("/spec/completionMode").asText()).isEqualTo("NonIndexed");
        assertThat(job.at("/spec/suspend").asBoolean(true)).isFalse();
        assertThat(job.at("/spec/selector/matchLabels/batch.kubernetes.io~1controller-uid").asText()).isEqualTo(uid);
        ObjectNode labels = (ObjectNode) job.at("/spec/template/metadata/labels");
        assertThat(labels.path("controller-uid").asText()).isEqualTo(uid);
        assertThat(labels.path("batch.kubernetes.io/job-name").asText()).isEqualTo("pi");
        assertThat(labels.path("job-name").asText()).isEqualTo("pi");
        assertThat(job.at("/metadata/labels/app").asText()).isEqualTo("x");

        assertThatThrownBy(() -> patch("jobs.batch", "pi", "{'spec':{'template':{'spec':{'containers':[{'name':'c','image':'alpine'}]}}}}"))
                .isInstanceOf(KubeApiException.InvalidException.class)
                .hasMessageContaining("spec.template: Invalid value: ")
                .hasMessageContaining("field is immutable");
        assertThatThrownBy(() -> create("jobs.batch", "{'metadata':{'name':'always'},'spec':{" + template("Always") + "}}"))
                .hasMessageContaining("spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"");
        assertThatThrownBy(() -> create("jobs.batch", "{'metadata':{'name':'neg'},'spec':{'backoffLimit':-1," + template("Never") + "}}"))
                .hasMessageContaining("spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0");
    }

    @Test
    void aCronJobGetsItsDefaultsAndItsScheduleIsChecked() {
        ObjectNode cj = create("cronjobs.batch", "{'metadata':{'name':'nightly'},'spec':{'schedule':'0 3 * * *',"
                + "'jobTemplate':{'spec':{" + template("OnFailure") + "}}}}");
        assertThat(cj.at("/spec/concurrencyPolicy").asText()).isEqualTo("Allow");
        assertThat(cj.at("/spec/suspend").asBoolean(true)).isFalse();
        assertThat(cj.at("/spec/successfulJobsHistoryLimit").asInt()).isEqualTo(3);
        assertThat(cj.at("/spec/failedJobsHistoryLimit").asInt()).isEqualTo(1);

        assertThatThrownBy(() -> create("cronjobs.batch", "{'metadata':{'name':'bad'},'spec':{'schedule':'every day',"
                + "'jobTemplate':{'spec':{" + template("OnFailure") + "}}}}"))
                .isInstanceOf(KubeApiException.InvalidException.class).hasMessageContaining("spec.schedule: Invalid value: \"every day\"");
        assertThatThrownBy(() -> create("cronjobs.batch", "{'metadata':{'name':'none'},'spec':{"
                + "'jobTemplate':{'spec':{" + template("OnFailure") + "}}}}"))
                .hasMessageContaining("spec.schedule: Required value");
    }

    @Test
    void aStatefulSetGetsItsDefaultsAndOnlyItsMutableFieldsMayChange() {
        ObjectNode sts = create("statefulsets.apps", "{'metadata':{'name':'db'},'spec':{'serviceName':'db',"
                + "'selector':{'matchLabels':{'app':'x'}}," + template(null) + "}}");
        assertThat(sts.at("/spec/podManagementPolicy").asText()).isEqualTo("OrderedReady");
        assertThat(sts.at("/spec/updateStrategy/type").asText()).isEqualTo("RollingUpdate");
        assertThat(sts.at("/spec/updateStrategy/rollingUpdate/partition").asInt(-1)).isZero();
        assertThat(sts.at("/spec/revisionHistoryLimit").asInt()).isEqualTo(10);
        assertThat(sts.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(sts.at("/spec/persistentVolumeClaimRetentionPolicy/whenDeleted").asText()).isEqualTo("Retain");
        assertThat(sts.at("/spec/persistentVolumeClaimRetentionPolicy/whenScaled").asText()).isEqualTo("Retain");

        patch("statefulsets.apps", "db", "{'spec':{'replicas':3}}");
        assertThatThrownBy(() -> patch("statefulsets.apps", "db", "{'spec':{'serviceName':'other'}}"))
                .isInstanceOf(KubeApiException.InvalidException.class)
                .hasMessageContaining("spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', "
                        + "'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
        assertThatThrownBy(() -> create("statefulsets.apps", "{'metadata':{'name':'nosel'},'spec':{" + template(null) + "}}"))
                .hasMessageContaining("spec.selector: Required value");
    }

    @Test
    void aDaemonSetGetsItsDefaultsAndItsSelectorIsImmutable() {
        ObjectNode ds = create("daemonsets.apps", "{'metadata':{'name':'agent'},'spec':{'selector':{'matchLabels':{'app':'x'}},"
                + template(null) + "}}");
        assertThat(ds.at("/spec/updateStrategy/type").asText()).isEqualTo("RollingUpdate");
        assertThat(ds.at("/spec/updateStrategy/rollingUpdate/maxUnavailable").asInt()).isEqualTo(1);
        assertThat(ds.at("/spec/updateStrategy/rollingUpdate/maxSurge").asInt(-1)).isZero();
        assertThat(ds.at("/spec/revisionHistoryLimit").asInt()).isEqualTo(10);
        assertThatThrownBy(() -> patch("daemonsets.apps", "agent",
                "{'spec':{'selector':{'matchLabels':{'app':'x','tier':'y'}},'template':{'metadata':{'labels':{'tier':'y'}}}}}"))
                .hasMessageContaining("spec.selector: Invalid value: ").hasMessageContaining("field is immutable");
    }

    @Test
    void aPodDisruptionBudgetTakesMinAvailableOrMaxUnavailableNotBoth() {
        create("poddisruptionbudgets.policy", "{'metadata':{'name':'ok'},'spec':{'minAvailable':'50%','selector':{'matchLabels':{'app':'x'}}}}");
        assertThatThrownBy(() -> create("poddisruptionbudgets.policy",
                "{'metadata':{'name':'both'},'spec':{'minAvailable':1,'maxUnavailable':1}}"))
                .isInstanceOf(KubeApiException.InvalidException.class)
                .hasMessageContaining("minAvailable and maxUnavailable cannot be both set");
        assertThatThrownBy(() -> create("poddisruptionbudgets.policy",
                "{'metadata':{'name':'pct'},'spec':{'maxUnavailable':'150%'}}"))
                .hasMessageContaining("spec.maxUnavailable: Invalid value: \"150%\": must not be greater than 100%");
    }

    @Test
    void anIngressPathNeedsAPathTypeAndABackend() {
        assertThatThrownBy(() -> create("ingresses.networking.k8s.io", "{'metadata':{'name':'web'},'spec':{'rules':[{'host':'web.example.com',"
                + "'http':{'paths':[{'path':'/','backend':{'service':{'name':'web','port':{'number':80}}}}]}}]}}"))
                .isInstanceOf(KubeApiException.InvalidException.class)
                .hasMessageContaining("spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified");
        assertThatThrownBy(() -> create("ingresses.networking.k8s.io", "{'metadata':{'name':'empty'},'spec':{}}"))
                .hasMessageContaining("either `defaultBackend` or `rules` must be specified");
    }
}
