package io.kardia.store.auth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import io.kardia.core.model.ResourceType;
import io.kardia.store.ReferenceStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default ClusterRoles and ClusterRoleBindings kube-apiserver creates at start (its RBAC
 * "bootstrap policy"), the ones operators and tools rely on:
 * <ul>
 *   <li>{@code cluster-admin} (everything), bound to the group {@code system:masters};</li>
 *   <li>{@code admin}, {@code edit}, {@code view}: aggregated from {@code system:aggregate-to-admin},
 *       {@code -edit}, {@code -view} (and any ClusterRole labelled to aggregate into them), meant to
 *       be granted per namespace with a RoleBinding;</li>
 *   <li>{@code system:discovery}, {@code system:basic-user} (the self-review APIs),
 *       {@code system:public-info-viewer}: bound to every authenticated user;</li>
 *   <li>{@code system:auth-delegator} (TokenReview and SubjectAccessReview), unbound.</li>
 * </ul>
 * Created when missing; existing objects of those names are left as they are (kube-apiserver also
 * adds missing rules to them unless auto-update is turned off: Kardia does not).
 */
public final class BootstrapPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(BootstrapPolicy.class);
    private static final String AGGREGATE = "rbac.authorization.k8s.io/aggregate-to-";
    private static final List<String> READ = List.of("get", "list", "watch");
    private static final List<String> WRITE = List.of("create", "delete", "deletecollection", "patch", "update");
    private static final List<String> READ_WRITE = List.of("create", "delete", "deletecollection", "get", "list", "patch",
            "update", "watch");

    private BootstrapPolicy() {
    }

    /** Creates the default roles and bindings that do not exist yet. */
    public static void ensure(ReferenceStore store) {
        ResourceType<?> clusterRoles = RbacPolicy.type(store, "clusterroles");
        ResourceType<?> bindings = RbacPolicy.type(store, "clusterrolebindings");
        int created = 0;
        for (ObjectNode role : clusterRoles()) {
            created += createIfMissing(store, clusterRoles, role);
        }
        for (ObjectNode binding : clusterRoleBindings()) {
            created += createIfMissing(store, bindings, binding);
        }
        if (created > 0) {
            LOG.info("Created {} default RBAC cluster roles and bindings", created);
        }
    }

    private static int createIfMissing(ReferenceStore store, ResourceType<?> type, ObjectNode object) {
        try {
            store.create(type, null, object, WriteOptions.DEFAULT);
            return 1;
        } catch (KubeApiException.AlreadyExistsException e) {
            return 0;
        }
    }

    static List<ObjectNode> clusterRoles() {
        List<ObjectNode> roles = new ArrayList<>();
        roles.add(role("cluster-admin", Map.of(),
                PolicyRule.resources(List.of("*"), List.of("*"), List.of("*")),
                PolicyRule.urls(List.of("*"), List.of("*"))));
        roles.add(aggregated("admin", "admin", Map.of()));
        roles.add(aggregated("edit", "edit", Map.of(AGGREGATE + "admin", "true")));
        roles.add(aggregated("view", "view", Map.of(AGGREGATE + "edit", "true")));
        roles.add(role("system:aggregate-to-admin", Map.of(AGGREGATE + "admin", "true"),
                PolicyRule.resources(List.of("create"), List.of("authorization.k8s.io"), List.of("localsubjectaccessreviews")),
                PolicyRule.resources(READ_WRITE, List.of("rbac.authorization.k8s.io"), List.of("rolebindings", "roles"))));
        roles.add(role("system:aggregate-to-edit", Map.of(AGGREGATE + "edit", "true"), editRules().toArray(PolicyRule[]::new)));
        roles.add(role("system:aggregate-to-view", Map.of(AGGREGATE + "view", "true"), viewRules().toArray(PolicyRule[]::new)));
        roles.add(role("system:discovery", Map.of(), PolicyRule.urls(List.of("get"), List.of("/api", "/api/*", "/apis",
                "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"))));
        roles.add(role("system:basic-user", Map.of(),
                PolicyRule.resources(List.of("create"), List.of("authorization.k8s.io"),
                        List.of("selfsubjectaccessreviews", "selfsubjectrulesreviews")),
                PolicyRule.resources(List.of("create"), List.of("authentication.k8s.io"), List.of("selfsubjectreviews"))));
        roles.add(role("system:public-info-viewer", Map.of(), PolicyRule.urls(List.of("get"),
                List.of("/healthz", "/livez", "/readyz", "/version", "/version/"))));
        roles.add(role("system:auth-delegator", Map.of(),
                PolicyRule.resources(List.of("create"), List.of("authentication.k8s.io"), List.of("tokenreviews")),
                PolicyRule.resources(List.of("create"), List.of("authorization.k8s.io"), List.of("subjectaccessreviews"))));
        return roles;
    }

    /** kube's system:aggregate-to-view: read access to the namespaced workload and config kinds, not Secrets. */
    private static List<PolicyRule> viewRules() {
        return List.of(
                PolicyRule.resources(READ, List.of(""), List.of("pods", "replicationcontrollers", "replicationcontrollers/scale",
                        "serviceaccounts", "services", "services/status", "endpoints", "persistentvolumeclaims",
                        "persistentvolumeclaims/status", "configmaps")),
                PolicyRule.resources(READ, List.of(""), List.of("limitranges", "resourcequotas", "bindings", "events",
                        "pods/status", "resourcequotas/status", "namespaces/status", "replicationcontrollers/status", "pods/log")),
                PolicyRule.resources(READ, List.of(""), List.of("namespaces")),
                PolicyRule.resources(READ, List.of("discovery.k8s.io"), List.of("endpointslices")),
                PolicyRule.resources(READ, List.of("apps"), List.of("controllerrevisions", "statefulsets", "deployments",
                        "replicasets", "daemonsets", "statefulsets/status", "statefulsets/scale", "deployments/status",
                        "deployments/scale", "replicasets/status", "replicasets/scale", "daemonsets/status")),
                PolicyRule.resources(READ, List.of("autoscaling"), List.of("horizontalpodautoscalers",
                        "horizontalpodautoscalers/status")),
                PolicyRule.resources(READ, List.of("batch"), List.of("jobs", "cronjobs", "cronjobs/status", "jobs/status")),
                PolicyRule.resources(READ, List.of("policy"), List.of("poddisruptionbudgets", "poddisruptionbudgets/status")),
                PolicyRule.resources(READ, List.of("networking.k8s.io"), List.of("networkpolicies", "ingresses", "ingresses/status")));
    }

    /** kube's system:aggregate-to-edit: write access to those kinds, Secrets, ServiceAccount tokens; no RBAC. */
    private static List<PolicyRule> editRules() {
        return List.of(
                PolicyRule.resources(List.of("impersonate"), List.of(""), List.of("serviceaccounts")),
                PolicyRule.resources(WRITE, List.of(""), List.of("pods", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward")),
                PolicyRule.resources(List.of("create"), List.of(""), List.of("pods/eviction")),
                PolicyRule.resources(WRITE, List.of(""), List.of("replicationcontrollers", "replicationcontrollers/scale",
                        "serviceaccounts", "services", "services/proxy", "persistentvolumeclaims", "configmaps", "secrets", "events")),
                PolicyRule.resources(List.of("create"), List.of(""), List.of("serviceaccounts/token")),
                PolicyRule.resources(WRITE, List.of("apps"), List.of("statefulsets", "statefulsets/scale", "daemonsets",
                        "deployments", "deployments/scale", "deployments/rollback", "replicasets", "replicasets/scale")),
                PolicyRule.resources(WRITE, List.of("autoscaling"), List.of("horizontalpodautoscalers")),
                PolicyRule.resources(WRITE, List.of("batch"), List.of("jobs", "cronjobs")),
                PolicyRule.resources(WRITE, List.of("policy"), List.of("poddisruptionbudgets")),
                PolicyRule.resources(WRITE, List.of("networking.k8s.io"), List.of("networkpolicies", "ingresses")),
                PolicyRule.resources(READ, List.of(""), List.of("pods/attach", "pods/exec", "pods/portforward", "pods/proxy",
                        "secrets", "services/proxy")));
    }

    static List<ObjectNode> clusterRoleBindings() {
        return List.of(
                binding("cluster-admin", "cluster-admin", UserInfo.SYSTEM_MASTERS),
                binding("system:discovery", "system:discovery", UserInfo.AUTHENTICATED),
                binding("system:basic-user", "system:basic-user", UserInfo.AUTHENTICATED),
                binding("system:public-info-viewer", "system:public-info-viewer", UserInfo.AUTHENTICATED));
    }

    private static ObjectNode role(String name, Map<String, String> labels, PolicyRule... rules) {
        ObjectNode role = object("ClusterRole", name, labels);
        ArrayNode r = role.putArray("rules");
        for (PolicyRule rule : rules) {
            r.add(rule.toJson());
        }
        return role;
    }

    private static ObjectNode aggregated(String name, String aggregateFrom, Map<String, String> labels) {
        ObjectNode role = object("ClusterRole", name, labels);
        role.putObject("aggregationRule").putArray("clusterRoleSelectors").addObject()
                .putObject("matchLabels").put(AGGREGATE + aggregateFrom, "true");
        role.putArray("rules");
        return role;
    }

    private static ObjectNode binding(String name, String role, String group) {
        ObjectNode b = object("ClusterRoleBinding", name, Map.of());
        b.putObject("roleRef").put("apiGroup", RbacPolicy.GROUP).put("kind", "ClusterRole").put("name", role);
        b.putArray("subjects").addObject().put("apiGroup", RbacPolicy.GROUP).put("kind", "Group").put("name", group);
        return b;
    }

    private static ObjectNode object(String kind, String name, Map<String, String> labels) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("apiVersion", RbacPolicy.GROUP + "/v1");
        o.put("kind", kind);
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", name);
        ObjectNode l = meta.putObject("labels");
        l.put("kubernetes.io/bootstrapping", "rbac-defaults");
        labels.forEach(l::put);
        meta.putObject("annotations").put("rbac.authorization.kubernetes.io/autoupdate", "true");
        return o;
    }
}
