package io.kardia.store;

import io.kardia.core.json.Json;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ResourceType;
import java.util.List;
import java.util.Set;

/** Generic (JSON-tree) descriptions of the built-in kinds, so store tests do not depend on typed models. */
public final class TestKinds {
    public static final ResourceType<GenericObject> NAMESPACES = type("", "Namespace", "namespaces", false, Set.of("status"));
    public static final ResourceType<GenericObject> PODS = type("", "Pod", "pods", true, Set.of("status"));
    public static final ResourceType<GenericObject> CONFIGMAPS = type("", "ConfigMap", "configmaps", true, Set.of());
    public static final ResourceType<GenericObject> DEPLOYMENTS = type("apps", "Deployment", "deployments", true, Set.of("status", "scale"));
    public static final ResourceType<GenericObject> REPLICASETS = type("apps", "ReplicaSet", "replicasets", true, Set.of("status", "scale"));
    public static final ResourceType<GenericObject> LEASES = type("coordination.k8s.io", "Lease", "leases", true, Set.of());
    public static final ResourceType<GenericObject> CRDS = type("apiextensions.k8s.io", "CustomResourceDefinition",
            "customresourcedefinitions", false, Set.of("status"));
    /** Defined by {@link #widgetCrd()}. */
    public static final ResourceType<GenericObject> WIDGETS = new ResourceType<>("example.kardia.io", "v1", "Widget",
            "widgets", "widget", true, List.of(), Set.of("status"), GenericObject.class);

    private TestKinds() {
    }

    private static ResourceType<GenericObject> type(String group, String kind, String plural, boolean namespaced, Set<String> sub) {
        return new ResourceType<>(group, "v1", kind, plural, kind.toLowerCase(java.util.Locale.ROOT), namespaced,
                List.of(), sub, GenericObject.class);
    }

    public static GenericObject json(String json) {
        return Json.fromString(json, GenericObject.class);
    }

    public static GenericObject namespace(String name) {
        return json("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"%s\"}}".formatted(name));
    }

    public static GenericObject configMap(String ns, String name, String value) {
        return json("""
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"namespace":"%s","name":"%s","labels":{"app":"demo"}},
                 "data":{"k":"%s"}}""".formatted(ns, name, value));
    }

    public static GenericObject pod(String ns, String name, String nodeName) {
        String node = nodeName == null ? "" : ",\"nodeName\":\"" + nodeName + "\"";
        return json("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"namespace":"%s","name":"%s","labels":{"app":"web"}},
                 "spec":{"containers":[{"name":"app","image":"nginx:1","env":[{"name":"A","value":"1"}],
                   "ports":[{"containerPort":80}]},{"name":"sidecar","image":"busybox"}]%s}}""".formatted(ns, name, node));
    }

    public static GenericObject deployment(String ns, String name, int replicas) {
        return json("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"namespace":"%s","name":"%s"},
                 "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"web"}},
                   "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"nginx:1"}]}}},
                 "status":{"replicas":7}}""".formatted(ns, name, replicas));
    }

    public static GenericObject widgetCrd() {
        return json("""
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
                 "metadata":{"name":"widgets.example.kardia.io"},
                 "spec":{"group":"example.kardia.io","scope":"Namespaced",
                   "names":{"plural":"widgets","singular":"widget","kind":"Widget","listKind":"WidgetList"},
                   "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
                     "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}""");
    }

    public static GenericObject widget(String ns, String name) {
        return json("""
                {"apiVersion":"example.kardia.io/v1","kind":"Widget","metadata":{"namespace":"%s","name":"%s"},
                 "spec":{"size":1},"status":{"ready":true}}""".formatted(ns, name));
    }
}
