package io.kardia.benchmarks.informer;

import io.kardia.core.json.Json;
import io.kardia.core.model.Pod;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Pods shaped like a Deployment's pods in a real cluster, about 3 KB of JSON each: labels from a
 * handful of apps, an owner reference, managedFields, two containers with env, ports, probes and
 * resources, and a running status with conditions and container statuses.
 */
final class RealisticPods {
    static final int APPS = 50;
    static final int NAMESPACES = 10;

    private static final String TEMPLATE = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%NAME%","generateName":"%APP%-%HASH%-","namespace":"%NS%",
            "uid":"%UID%","creationTimestamp":"2026-11-20T10:00:00Z",
            "labels":{"app":"%APP%","app.kubernetes.io/name":"%APP%","app.kubernetes.io/part-of":"shop","pod-template-hash":"%HASH%","tier":"backend","version":"v3"},
            "annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-20T09:59:00Z","prometheus.io/scrape":"true","prometheus.io/port":"9090"},
            "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"%APP%-%HASH%","uid":"%OWNER%","controller":true,"blockOwnerDeletion":true}],
            "managedFields":[{"manager":"kube-controller-manager","operation":"Update","apiVersion":"v1","time":"2026-11-20T10:00:00Z","fieldsType":"FieldsV1",
            "fieldsV1":{"f:metadata":{"f:generateName":{},"f:labels":{".":{},"f:app":{},"f:pod-template-hash":{},"f:tier":{},"f:version":{}},"f:ownerReferences":{".":{},"k:{\\"uid\\":\\"%OWNER%\\"}":{}}},
            "f:spec":{"f:containers":{"k:{\\"name\\":\\"app\\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{},"f:resources":{}}}}}},
            {"manager":"kubelet","operation":"Update","apiVersion":"v1","time":"2026-11-20T10:00:05Z","fieldsType":"FieldsV1","subresource":"status",
            "fieldsV1":{"f:status":{"f:conditions":{},"f:containerStatuses":{},"f:hostIP":{},"f:phase":{},"f:podIP":{},"f:startTime":{}}}}]},
            "spec":{"containers":[{"name":"app","image":"registry.example.com/shop/%APP%:3.14.2","imagePullPolicy":"IfNotPresent",
            "args":["--port=8080","--metrics-port=9090","--log-level=info"],
            "ports":[{"name":"http","containerPort":8080,"protocol":"TCP"},{"name":"metrics","containerPort":9090,"protocol":"TCP"}],
            "env":[{"name":"MODE","value":"production"},{"name":"APP_NAME","value":"%APP%"},{"name":"POD_IP","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"status.podIP"}}}],
            "resources":{"requests":{"cpu":"250m","memory":"256Mi"},"limits":{"cpu":"1","memory":"512Mi"}},
            "readinessProbe":{"httpGet":{"path":"/ready","port":8080,"scheme":"HTTP"},"periodSeconds":5,"timeoutSeconds":1,"successThreshold":1,"failureThreshold":3},
            "livenessProbe":{"httpGet":{"path":"/healthz","port":8080,"scheme":"HTTP"},"initialDelaySeconds":10,"periodSeconds":10,"timeoutSeconds":1,"successThreshold":1,"failureThreshold":3},
            "volumeMounts":[{"name":"kube-api-access","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount","readOnly":true}],
            "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"},
            {"name":"sidecar","image":"registry.example.com/infra/proxy:1.9.0","imagePullPolicy":"IfNotPresent",
            "resources":{"requests":{"cpu":"50m","memory":"64Mi"},"limits":{"cpu":"200m","memory":"128Mi"}},
            "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],
            "restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","serviceAccountName":"default",
            "nodeName":"node-%NODE%","schedulerName":"default-scheduler","priority":0,
            "tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},
            {"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}],
            "volumes":[{"name":"kube-api-access","projected":{"defaultMode":420,"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}}]}}]},
            "status":{"phase":"Running","hostIP":"10.0.%NODE%.1","podIP":"10.244.%NODE%.%IP%","startTime":"2026-11-20T10:00:01Z","qosClass":"Burstable",
            "conditions":[{"type":"Initialized","status":"True","lastTransitionTime":"2026-11-20T10:00:01Z"},
            {"type":"Ready","status":"True","lastTransitionTime":"2026-11-20T10:00:05Z"},
            {"type":"ContainersReady","status":"True","lastTransitionTime":"2026-11-20T10:00:05Z"},
            {"type":"PodScheduled","status":"True","lastTransitionTime":"2026-11-20T10:00:00Z"}],
            "containerStatuses":[{"name":"app","ready":true,"restartCount":0,"image":"registry.example.com/shop/%APP%:3.14.2",
            "imageID":"registry.example.com/shop/%APP%@sha256:4f1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9",
            "containerID":"containerd://%CID%","started":true,"state":{"running":{"startedAt":"2026-11-20T10:00:03Z"}}},
            {"name":"sidecar","ready":true,"restartCount":0,"image":"registry.example.com/infra/proxy:1.9.0",
            "imageID":"registry.example.com/infra/proxy@sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9",
            "containerID":"containerd://%CID2%","started":true,"state":{"running":{"startedAt":"2026-11-20T10:00:04Z"}}}]}}
            """;

    private RealisticPods() {
    }

    static String namespace(int i) {
        return "bench-" + (i % NAMESPACES);
    }

    /** The JSON of pod number {@code i}. */
    static byte[] json(int i) {
        String app = "app-" + (i % APPS);
        String hash = Integer.toHexString(0x5d7f9c00 + (i % APPS));
        String json = TEMPLATE
                .replace("%NAME%", app + "-" + hash + "-" + Integer.toString(i, 36))
                .replace("%NS%", namespace(i))
                .replace("%APP%", app)
                .replace("%HASH%", hash)
                .replace("%UID%", UUID.nameUUIDFromBytes(("pod" + i).getBytes(StandardCharsets.UTF_8)).toString())
                .replace("%OWNER%", UUID.nameUUIDFromBytes(("rs" + (i % APPS)).getBytes(StandardCharsets.UTF_8)).toString())
                .replace("%NODE%", Integer.toString(i % 200))
                .replace("%IP%", Integer.toString(i % 250))
                .replace("%CID2%", "b" + Long.toHexString(i * 0x9E3779B97F4A7C15L) + Long.toHexString(i * 31L + 7))
                .replace("%CID%", "a" + Long.toHexString(i * 0xC2B2AE3D27D4EB4FL) + Long.toHexString(i * 17L + 3));
        return json.getBytes(StandardCharsets.UTF_8);
    }

    static Pod pod(int i) {
        return Json.fromBytes(json(i), Pod.class);
    }
}
