package io.kardia.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.store.ReferenceStore;
import io.kardia.store.ServiceNetwork;
import io.kardia.store.StoreOptions;
import io.kardia.store.testkit.KubectlHarness;
import io.kardia.store.testkit.KubectlHarness.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl's generators and the pod commands a user reaches for, with the real kubectl against
 * the store: {@code create service}, {@code expose}, {@code create job}, {@code create cronjob},
 * {@code logs}, {@code exec}, {@code get events}, and {@code drain} meeting a PodDisruptionBudget.
 */
class KubectlWorkloadCommandsTest {
    @TempDir
    static Path dir;

    private static ReferenceStore store;
    private static KubectlHarness kubectl;

    private String ns;

    @BeforeAll
    static void start() throws Exception {
        store = ReferenceStore.inMemory(StoreOptions.defaults().withServiceNetwork(new ServiceNetwork("10.100.0.0/16", 30000, 32767)));
        kubectl = KubectlHarness.start(store, dir, "kubectl workload commands");
    }

    @AfterAll
    static void stop() {
        if (kubectl != null) {
            kubectl.close();
        }
        if (store != null) {
            store.close();
        }
    }

    @BeforeEach
    void namespace() {
        ns = "w-" + UUID.randomUUID().toString().substring(0, 8);
        store.create(ResourceTypes.NAMESPACE, null, json("{'metadata':{'name':'" + ns + "'}}"), null);
    }

    private static ObjectNode json(String s) {
        return (ObjectNode) Json.tree(s.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private static ResourceType<?> type(String groupResource) {
        return store.types().byGroupResource(groupResource).orElseThrow();
    }

    private Result run(String... args) throws Exception {
        return kubectl.run(args);
    }

    private Result fails(String... args) throws Exception {
        return kubectl.run(List.of(1), args);
    }

    @Test
    void createServiceClusterIpAndNodePortThenGetThemAsKubectlPrintsThem() throws Exception {
        assertThat(run("create", "service", "clusterip", "api", "--tcp=8080:80", "-n", ns).stdout()).contains("service/api created");
        String ip = run("get", "svc", "api", "-n", ns, "-o", "jsonpath={.spec.clusterIP}").stdout();
        assertThat(ip).startsWith("10.100.");
        assertThat(run("get", "svc", "api", "-n", ns, "-o", "jsonpath={.spec.sessionAffinity} {.spec.ports[0].protocol} {.spec.ipFamilies[0]}")
                .stdout()).isEqualTo("None TCP IPv4");

        assertThat(run("create", "service", "nodeport", "edge", "--tcp=80:8080", "--node-port=30080", "-n", ns).stdout())
                .contains("service/edge created");
        List<String> table = run("get", "svc", "-n", ns).stdout().lines().toList();
        assertThat(table.get(0)).matches("NAME\\s+TYPE\\s+CLUSTER-IP\\s+EXTERNAL-IP\\s+PORT\\(S\\)\\s+AGE");
        assertThat(table).anySatisfy(l -> assertThat(l).matches("api\\s+ClusterIP\\s+" + ip.replace(".", "\\.") + "\\s+<none>\\s+8080/TCP\\s+\\S+"));
        assertThat(table).anySatisfy(l -> assertThat(l).matches("edge\\s+NodePort\\s+10\\.100\\.\\S+\\s+<none>\\s+80:30080/TCP\\s+\\S+"));

        assertThat(fails("create", "service", "nodeport", "clash", "--tcp=81:8080", "--node-port=30080", "-n", ns).stderr())
                .contains("spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated");
        assertThat(fails("create", "service", "clusterip", "twin", "--tcp=80:80", "--clusterip=" + ip, "-n", ns).stderr())
                .contains("failed to allocate IP " + ip + ": provided IP is already allocated");
        assertThat(fails("get", "svc", "clash", "-n", ns).stderr()).contains("NotFound");
    }

    @Test
    void exposeADeploymentMakesAServiceSelectingItsPods() throws Exception {
        run("create", "deployment", "web", "--image=nginx:1.27", "--replicas=2", "-n", ns);
        assertThat(run("expose", "deployment", "web", "--port=80", "--target-port=8080", "-n", ns).stdout())
                .contains("service/web exposed");
        assertThat(run("get", "svc", "web", "-n", ns, "-o", "jsonpath={.spec.selector.app} {.spec.ports[0].targetPort} {.spec.type}")
                .stdout()).isEqualTo("web 8080 ClusterIP");
        assertThat(run("get", "svc", "web", "-n", ns, "-o", "wide").stdout()).contains("app=web");
    }

    @Test
    void createJobAndCronJobGetKubeDefaults() throws Exception {
        assertThat(run("create", "job", "pi", "--image=busybox", "-n", ns, "--", "echo", "hi").stdout()).contains("job.batch/pi created");
        String uid = run("get", "job", "pi", "-n", ns, "-o", "jsonpath={.metadata.uid}").stdout();
        assertThat(run("get", "job", "pi", "-n", ns, "-o",
                "jsonpath={.spec.backoffLimit} {.spec.completions} {.spec.completionMode} {.spec.selector.matchLabels.batch\\.kubernetes\\.io/controller-uid}")
                .stdout()).isEqualTo("6 1 NonIndexed " + uid);
        assertThat(run("get", "jobs", "-n", ns).stdout().lines().findFirst().orElseThrow())
                .matches("NAME\\s+STATUS\\s+COMPLETIONS\\s+DURATION\\s+AGE");

        assertThat(run("create", "cronjob", "nightly", "--image=busybox", "--schedule=0 3 * * *", "-n", ns).stdout())
                .contains("cronjob.batch/nightly created");
        assertThat(run("get", "cronjob", "nightly", "-n", ns, "-o",
                "jsonpath={.spec.concurrencyPolicy} {.spec.suspend} {.spec.successfulJobsHistoryLimit} {.spec.failedJobsHistoryLimit}")
                .stdout()).isEqualTo("Allow false 3 1");
        List<String> table = run("get", "cronjobs", "-n", ns).stdout().lines().toList();
        assertThat(table.get(0)).matches("NAME\\s+SCHEDULE\\s+TIMEZONE\\s+SUSPEND\\s+ACTIVE\\s+LAST SCHEDULE\\s+AGE");
        assertThat(table.get(1)).matches("nightly\\s+0 3 \\* \\* \\*\\s+<none>\\s+False\\s+0\\s+<none>\\s+\\S+");
        assertThat(fails("create", "cronjob", "bad", "--image=busybox", "--schedule=whenever", "-n", ns).stderr())
                .contains("spec.schedule: Invalid value: \"whenever\"");
    }

    @Test
    void logsShowASimulatedLogAndExecSaysPodsAreSimulated() throws Exception {
        runningPod("web-1", "app=web");
        String log = run("logs", "web-1", "-n", ns).stdout();
        assertThat(log).contains("simulated container \"app\" of pod " + ns + "/web-1", "image nginx:1.27 on node node-1");
        assertThat(run("logs", "web-1", "-n", ns, "--tail=1").stdout().lines().count()).isEqualTo(1);
        assertThat(fails("logs", "web-1", "-c", "nope", "-n", ns).stderr()).contains("container nope is not valid for pod web-1");
        assertThat(fails("exec", "web-1", "-n", ns, "--", "ls").stderr()).contains("is simulated by the Kardia reference store");
    }

    @Test
    void getEventsPrintsKubesEventColumns() throws Exception {
        store.create(type("events"), ns, json("{'metadata':{'name':'web-1.x'},'involvedObject':{'kind':'Pod','name':'web-1','namespace':'"
                + ns + "'},'reason':'Scheduled','message':'Successfully assigned to node-1','type':'Normal',"
                + "'firstTimestamp':'2026-01-01T00:00:00Z','lastTimestamp':'2026-01-01T00:00:00Z','count':1,"
                + "'source':{'component':'default-scheduler'}}"), WriteOptions.DEFAULT);
        List<String> lines = run("get", "events", "-n", ns).stdout().lines().toList();
        assertThat(lines.get(0)).matches("LAST SEEN\\s+TYPE\\s+REASON\\s+OBJECT\\s+MESSAGE");
        assertThat(lines.get(1)).matches("\\S+\\s+Normal\\s+Scheduled\\s+pod/web-1\\s+Successfully assigned to node-1");
    }

    @Test
    void drainStopsAtTheDisruptionBudget() throws Exception {
        store.create(type("poddisruptionbudgets.policy"), ns,
                json("{'metadata':{'name':'web'},'spec':{'minAvailable':1,'selector':{'matchLabels':{'app':'web'}}}}"), WriteOptions.DEFAULT);
        runningPod("web-1", "app=web");
        runningPod("web-2", "app=web");
        Result drain = kubectl.run(List.of(1), "drain", "node-1", "--pod-selector=app=web", "--timeout=8s", "--force");
        assertThat(drain.stderr()).contains("Cannot evict pod as it would violate the pod's disruption budget");
        long terminating = 0;
        for (String pod : List.of("web-1", "web-2")) {
            if (store.get(type("pods"), ns, pod, null).json().path("metadata").hasNonNull("deletionTimestamp")) {
                terminating++;
            }
        }
        assertThat(terminating).as("one eviction allowed by minAvailable 1 of 2").isEqualTo(1);
    }

    /** A pod bound to node-1, Running and Ready, as the node simulator would report it. */
    private void runningPod(String name, String label) {
        String[] kv = label.split("=");
        ensureNode();
        store.create(type("pods"), ns, json("{'metadata':{'name':'" + name + "','labels':{'" + kv[0] + "':'" + kv[1] + "'}},"
                + "'spec':{'nodeName':'node-1','containers':[{'name':'app','image':'nginx:1.27'}]}}"), WriteOptions.DEFAULT);
        ObjectNode pod = store.get(type("pods"), ns, name, null).json();
        pod.set("status", json("{'phase':'Running','startTime':'2026-01-01T00:00:00Z','conditions':[{'type':'Ready','status':'True'}],"
                + "'containerStatuses':[{'name':'app','image':'nginx:1.27','ready':true,'restartCount':0,"
                + "'state':{'running':{'startedAt':'2026-01-01T00:00:01Z'}}}]}"));
        store.updateStatus(type("pods"), ns, name, pod, WriteOptions.DEFAULT);
    }

    private static void ensureNode() {
        try {
            store.get(type("nodes"), null, "node-1", null);
        } catch (io.kardia.core.client.KubeApiException.NotFoundException e) {
            store.create(type("nodes"), null, json("{'metadata':{'name':'node-1'}}"), WriteOptions.DEFAULT);
        }
    }
}
