package io.kardia.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.json.Json;
import io.kardia.core.model.ResourceTypes;
import io.kardia.store.ReferenceStore;
import io.kardia.store.testkit.KubectlHarness;
import io.kardia.store.testkit.KubectlHarness.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in kinds an operator owns, beyond those Kardia has typed models for, applied and read
 * with the real kubectl: served from the Kubernetes API catalog as schema-checked generic objects.
 */
class BuiltInKindsKubectlTest {
    private static final String NS = "ops";

    @TempDir
    static Path dir;

    private static ReferenceStore store;
    private static KubectlHarness kubectl;

    @BeforeAll
    static void start() throws Exception {
        store = ReferenceStore.inMemory();
        kubectl = KubectlHarness.start(store, dir, "built-in kinds with kubectl");
        store.create(ResourceTypes.NAMESPACE, null, (com.fasterxml.jackson.databind.node.ObjectNode) Json.tree(
                ("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + NS + "\"}}")
                        .getBytes(StandardCharsets.UTF_8)), null);
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

    @Test
    void applyTheKindsAnOperatorOwnsThenGetThem() throws Exception {
        Path manifest = dir.resolve("operator.yaml");
        Files.writeString(manifest, OPERATOR_OBJECTS);
        Result applied = kubectl.run("apply", "-n", NS, "-f", manifest.toString());
        assertThat(applied.stdout()).contains(
                "service/web created", "statefulset.apps/db created", "job.batch/migrate created",
                "serviceaccount/operator created", "role.rbac.authorization.k8s.io/operator created",
                "rolebinding.rbac.authorization.k8s.io/operator created", "ingress.networking.k8s.io/web created",
                "persistentvolumeclaim/data created", "poddisruptionbudget.policy/web created");

        // As against kube-apiserver, which defaults volumeClaimTemplates (volumeMode, status.phase): a StatefulSet
        // with claim templates is re-patched on every apply (kubernetes/kubernetes#66450), the rest is unchanged.
        assertThat(kubectl.run("apply", "-n", NS, "-f", manifest.toString()).stdout())
                .contains("service/web unchanged", "job.batch/migrate unchanged", "statefulset.apps/db configured");
        assertThat(kubectl.run("get", "sts", "db", "-n", NS, "-o", "jsonpath={.spec.serviceName}").stdout()).isEqualTo("db");
        assertThat(kubectl.run("get", "svc,sa,pvc,pdb,ing", "-n", NS, "-o", "name").stdout().lines().toList())
                .contains("service/web", "serviceaccount/operator", "persistentvolumeclaim/data",
                        "poddisruptionbudget.policy/web", "ingress.networking.k8s.io/web");
        String all = kubectl.run("get", "all", "-n", NS, "-o", "name").stdout();
        assertThat(all).contains("service/web", "statefulset.apps/db", "job.batch/migrate");
        assertThat(all).doesNotContain("serviceaccount/operator", "role.rbac");
        // the table form too: kubectl prefixes each row with its kind when it prints several (Name column in "name" format)
        assertThat(kubectl.run("get", "all", "-n", NS).stdout().lines().map(String::strip).toList())
                .anyMatch(l -> l.startsWith("service/web ")).anyMatch(l -> l.startsWith("statefulset.apps/db "))
                .anyMatch(l -> l.startsWith("job.batch/migrate "));

        kubectl.run("scale", "statefulset", "db", "-n", NS, "--replicas=3");
        assertThat(kubectl.run("get", "statefulset", "db", "-n", NS, "-o", "jsonpath={.spec.replicas}").stdout()).isEqualTo("3");
    }

    @Test
    void getPrintsEachKindsColumnsAsKubeApiserverDoes() throws Exception {
        Path manifest = dir.resolve("printed.yaml");
        Files.writeString(manifest, """
                apiVersion: v1
                kind: Service
                metadata: {name: printed}
                spec:
                  type: NodePort
                  clusterIP: 10.96.0.42
                  selector: {app: printed}
                  ports: [{name: http, port: 80, nodePort: 30080}, {name: dns, port: 53, protocol: UDP}]
                ---
                apiVersion: batch/v1
                kind: Job
                metadata: {name: printed}
                spec:
                  completions: 3
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: c, image: busybox}]
                ---
                apiVersion: v1
                kind: Event
                metadata: {name: printed.1}
                involvedObject: {kind: Pod, name: web-0, namespace: ops}
                type: Warning
                reason: BackOff
                message: Back-off restarting failed container
                """);
        kubectl.run("apply", "-n", NS, "-f", manifest.toString());
        List<String> svc = kubectl.run("get", "svc", "printed", "-n", NS).stdout().lines().map(String::strip).toList();
        assertThat(svc.get(0)).matches("NAME\\s+TYPE\\s+CLUSTER-IP\\s+EXTERNAL-IP\\s+PORT\\(S\\)\\s+AGE");
        assertThat(svc.get(1)).matches("printed\\s+NodePort\\s+10.96.0.42\\s+<none>\\s+80:30080/TCP,53:\\d+/UDP\\s+\\d+s");
        List<String> job = kubectl.run("get", "job", "printed", "-n", NS).stdout().lines().map(String::strip).toList();
        assertThat(job.get(0)).matches("NAME\\s+STATUS\\s+COMPLETIONS\\s+DURATION\\s+AGE");
        assertThat(job.get(1)).matches("printed\\s+Running\\s+0/3\\s+\\d+s");
        List<String> events = kubectl.run("get", "events", "-n", NS).stdout().lines().map(String::strip).toList();
        assertThat(events.get(0)).matches("LAST SEEN\\s+TYPE\\s+REASON\\s+OBJECT\\s+MESSAGE");
        assertThat(events).anySatisfy(l -> assertThat(l).matches(".*Warning\\s+BackOff\\s+pod/web-0\\s+Back-off restarting failed container"));
    }

    @Test
    void autoscaleWritesV2AndAV1ReadSeesTheCpuTarget() throws Exception {
        Path deployment = dir.resolve("scaled.yaml");
        Files.writeString(deployment, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: scaled}
                spec:
                  selector: {matchLabels: {app: scaled}}
                  template:
                    metadata: {labels: {app: scaled}}
                    spec: {containers: [{name: app, image: nginx}]}
                """);
        kubectl.run("apply", "-n", NS, "-f", deployment.toString());
        assertThat(kubectl.run("autoscale", "deployment", "scaled", "-n", NS, "--min=2", "--max=5", "--cpu-percent=60").stdout())
                .contains("horizontalpodautoscaler.autoscaling/scaled autoscaled");
        assertThat(kubectl.run("get", "hpa.v2.autoscaling", "scaled", "-n", NS,
                "-o", "jsonpath={.spec.metrics[0].resource.target.averageUtilization}").stdout()).isEqualTo("60");
        // kubectl 1.32 resolves the short form hpa.v1.autoscaling to the preferred version on its own (its
        // request goes to autoscaling/v2); the full resource name reaches v1
        assertThat(kubectl.run("get", "horizontalpodautoscalers.v1.autoscaling", "scaled", "-n", NS,
                "-o", "jsonpath={.apiVersion} {.spec.targetCPUUtilizationPercentage} {.spec.maxReplicas}").stdout())
                .isEqualTo("autoscaling/v1 60 5");
        // a write in v1 is seen in v2
        kubectl.run("patch", "horizontalpodautoscalers.v1.autoscaling", "scaled", "-n", NS, "--type=merge", "-p", "{\"spec\":{\"targetCPUUtilizationPercentage\":75}}");
        assertThat(kubectl.run("get", "hpa", "scaled", "-n", NS,
                "-o", "jsonpath={.apiVersion} {.spec.metrics[0].resource.target.averageUtilization}").stdout())
                .isEqualTo("autoscaling/v2 75");
        assertThat(kubectl.run("get", "horizontalpodautoscalers.v1.autoscaling", "-n", NS).stdout()).contains("scaled", "Deployment/scaled");
    }

    @Test
    void getQuotaPrintsRequestAndLimitAsKubeApiserverDoes() throws Exception {
        kubectl.run("create", "quota", "compute", "-n", NS, "--hard=requests.cpu=2,limits.memory=2Gi,pods=10");
        io.kardia.core.model.ResourceType<?> quotas = store.types().byGroupResource("resourcequotas").orElseThrow();
        com.fasterxml.jackson.databind.node.ObjectNode q = store.get(quotas, NS, "compute", null).json();
        q.set("status", Json.tree(("{\"hard\":{\"requests.cpu\":\"2\",\"limits.memory\":\"2Gi\",\"pods\":\"10\"},"
                + "\"used\":{\"requests.cpu\":\"500m\",\"limits.memory\":\"1Gi\"}}").getBytes(StandardCharsets.UTF_8)));
        store.updateStatus(quotas, NS, "compute", q, null);
        List<String> lines = kubectl.run("get", "quota", "compute", "-n", NS).stdout().lines().toList();
        assertThat(lines.get(0).split("\\s{2,}")).containsExactly("NAME", "REQUEST", "LIMIT", "AGE");
        assertThat(lines.get(1)).startsWith("compute").contains("pods: 0/10, requests.cpu: 500m/2", "limits.memory: 1Gi/2Gi");
    }

    @Test
    void apiResourcesListsEveryGroupWithShortNamesAndScope() throws Exception {
        List<String> lines = kubectl.run("api-resources").stdout().lines().map(String::strip).toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("statefulsets\\s+sts\\s+apps/v1\\s+true\\s+StatefulSet"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("services\\s+svc\\s+v1\\s+true\\s+Service"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("clusterroles\\s+rbac.authorization.k8s.io/v1\\s+false\\s+ClusterRole"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("horizontalpodautoscalers\\s+hpa\\s+autoscaling/v2\\s+true\\s+HorizontalPodAutoscaler"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("cronjobs\\s+cj\\s+batch/v1\\s+true\\s+CronJob"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("priorityclasses\\s+pc\\s+scheduling.k8s.io/v1\\s+false\\s+PriorityClass"));
        assertThat(kubectl.run("api-resources", "--categories=all", "-o", "name").stdout().lines().toList())
                .contains("pods", "services", "statefulsets.apps", "jobs.batch", "cronjobs.batch", "horizontalpodautoscalers.autoscaling")
                .doesNotContain("configmaps", "serviceaccounts");
    }

    @Test
    void aFieldOfTheWrongTypeIsRefusedAsKubeApiserverWordsIt() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata:
                  name: bad
                spec:
                  serviceName: 42
                  selector: {matchLabels: {app: bad}}
                  template:
                    metadata: {labels: {app: bad}}
                    spec: {containers: [{name: c, image: busybox}]}
                """);
        Result r = kubectl.run(List.of(1), "apply", "-n", NS, "--validate=false", "-f", bad.toString());
        assertThat(r.stderr()).contains("json: cannot unmarshal number into Go struct field StatefulSetSpec.spec.serviceName of type string");
        assertThat(kubectl.run(List.of(1), "get", "sts", "bad", "-n", NS).stderr()).contains("NotFound");
    }

    private static final String OPERATOR_OBJECTS = """
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              selector: {app: web}
              ports: [{name: http, port: 80, targetPort: 8080}]
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db}
            spec:
              serviceName: db
              replicas: 1
              selector: {matchLabels: {app: db}}
              template:
                metadata: {labels: {app: db}}
                spec:
                  containers:
                  - name: db
                    image: postgres:17
                    resources: {requests: {cpu: 100m, memory: 256Mi}}
              volumeClaimTemplates:
              - metadata: {name: data}
                spec:
                  accessModes: [ReadWriteOnce]
                  resources: {requests: {storage: 1Gi}}
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: migrate}
            spec:
              backoffLimit: 2
              template:
                spec:
                  restartPolicy: Never
                  containers: [{name: migrate, image: busybox, command: [sh, -c, "true"]}]
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: operator}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: operator}
            rules:
            - apiGroups: [""]
              resources: [configmaps]
              verbs: [get, list, watch]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: operator}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: operator}
            subjects: [{kind: ServiceAccount, name: operator, namespace: ops}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: web}
            spec:
              rules:
              - host: web.example.com
                http:
                  paths:
                  - path: /
                    pathType: Prefix
                    backend: {service: {name: web, port: {number: 80}}}
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: data}
            spec:
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 1Gi}}
            ---
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: web}
            spec:
              minAvailable: 1
              selector: {matchLabels: {app: web}}
            """;
}
