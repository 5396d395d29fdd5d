package io.kardia.store.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ListOptions;
import io.kardia.core.json.Json;
import io.kardia.core.model.LabelSelector;
import io.kardia.core.model.ResourceType;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoredObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * The RBAC objects as the authorizer needs them, read from the store on each decision (so a new
 * RoleBinding counts from the next request) and parsed once per stored version.
 *
 * <p>A ClusterRole with an {@code aggregationRule} has, in addition to its own rules, the rules
 * of every ClusterRole its selectors match (recursively), as kube's aggregation controller would
 * have written into it. Here that happens at evaluation time: the stored ClusterRole keeps its own
 * (usually empty) rules.
 */
final class RbacPolicy {
    static final String GROUP = "rbac.authorization.k8s.io";

    /** A role binding or cluster role binding, parsed. */
    record Binding(String kind, String namespace, String name, String roleKind, String roleName, List<Subject> subjects) {
        /** {@code ClusterRoleBinding "x"} / {@code RoleBinding "x/ns"}, as kube's RBAC reasons name them. */
        String describe() {
            return kind + " \"" + (namespace.isEmpty() ? name : name + "/" + namespace) + "\" of " + roleKind + " \"" + roleName + "\"";
        }
    }

    record Subject(String kind, String name, String namespace) {
        boolean appliesTo(UserInfo user, String bindingNamespace) {
            return switch (kind) {
                case "User" -> user.name().equals(name);
                case "Group" -> user.groups().contains(name);
                case "ServiceAccount" -> {
                    String ns = namespace.isEmpty() ? bindingNamespace : namespace;
                    yield !ns.isEmpty() && user.name().equals(UserInfo.serviceAccountUserName(ns, name));
                }
                default -> false;
            };
        }

        String describe() {
            return kind.equals("ServiceAccount") ? kind + " \"" + name + "/" + namespace + "\"" : kind + " \"" + name + "\"";
        }
    }

    /** A role's own rules and, for a ClusterRole, its aggregation selectors. */
    private record Role(List<PolicyRule> rules, List<LabelSelector> aggregation, Map<String, String> labels) {
    }

    private final ReferenceStore store;
    private final ResourceType<?> roles;
    private final ResourceType<?> clusterRoles;
    private final ResourceType<?> roleBindings;
    private final ResourceType<?> clusterRoleBindings;
    private final Cache<String, Object> parsed = CacheBuilder.newBuilder().maximumSize(20_000).build();

    RbacPolicy(ReferenceStore store) {
        this.store = store;
        this.roles = type(store, "roles");
        this.clusterRoles = type(store, "clusterroles");
        this.roleBindings = type(store, "rolebindings");
        this.clusterRoleBindings = type(store, "clusterrolebindings");
    }

    static ResourceType<?> type(ReferenceStore store, String plural) {
        return store.types().find(GROUP, "v1", plural).orElseThrow(() -> new IllegalStateException(
                "RBAC authorization needs the store to serve " + plural + "." + GROUP + "/v1"));
    }

    List<Binding> clusterRoleBindings() {
        return bindings(clusterRoleBindings, null);
    }

    List<Binding> roleBindings(String namespace) {
        return bindings(roleBindings, namespace);
    }

    /**
     * The rules a binding grants; empty when its role does not exist (kube evaluates the others and
     * reports the missing one).
     */
    Optional<List<PolicyRule>> rulesOf(Binding b) {
        if (b.roleKind().equals("ClusterRole")) {
            return clusterRoleRules(b.roleName(), new HashSet<>());
        }
        if (b.roleKind().equals("Role") && !b.namespace().isEmpty()) {
            return role(roles, b.namespace(), b.roleName()).map(Role::rules);
        }
        return Optional.empty();
    }

    private Optional<List<PolicyRule>> clusterRoleRules(String name, Set<String> visited) {
        if (!visited.add(name)) {
            return Optional.of(List.of());
        }
        Optional<Role> role = role(clusterRoles, null, name);
        if (role.isEmpty()) {
            return Optional.empty();
        }
        if (role.get().aggregation().isEmpty()) {
            return Optional.of(role.get().rules());
        }
        List<PolicyRule> all = new ArrayList<>(role.get().rules());
        for (StoredObject o : store.list(clusterRoles, null, ListOptions.all()).items()) {
            Role other = parse(o, clusterRoles.plural(), this::roleOf);
            if (!o.name().equals(name) && role.get().aggregation().stream().anyMatch(s -> s.matches(other.labels()))) {
                clusterRoleRules(o.name(), visited).ifPresent(all::addAll);
            }
        }
        return Optional.of(all);
    }

    private Optional<Role> role(ResourceType<?> type, String namespace, String name) {
        try {
            return Optional.of(parse(store.get(type, namespace, name, null), type.plural(), this::roleOf));
        } catch (KubeApiException.NotFoundException e) {
            return Optional.empty();
        }
    }

    private List<Binding> bindings(ResourceType<?> type, String namespace) {
        List<Binding> out = new ArrayList<>();
        for (StoredObject o : store.list(type, namespace, ListOptions.all()).items()) {
            out.add(parse(o, type.plural(), this::bindingOf));
        }
        return out;
    }

    /** Parses a stored version once: the cache key includes its revision. */
    @SuppressWarnings("unchecked")
    private <T> T parse(StoredObject o, String kind, java.util.function.Function<JsonNode, T> parser) {
        String key = kind + "/" + o.namespace() + "/" + o.name() + "@" + o.revision();
        try {
            return (T) parsed.get(key, () -> parser.apply(o.json()));
        } catch (ExecutionException | com.google.common.util.concurrent.UncheckedExecutionException e) {
            throw new IllegalStateException("cannot read RBAC object " + key, e.getCause());
        }
    }

    private Role roleOf(JsonNode json) {
        List<LabelSelector> selectors = new ArrayList<>();
        for (JsonNode s : json.path("aggregationRule").path("clusterRoleSelectors")) {
            selectors.add(Json.mapper().convertValue(s, LabelSelector.class));
        }
        Map<String, String> labels = new HashMap<>();
        json.path("metadata").path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return new Role(PolicyRule.listFromJson(json.path("rules")), selectors, labels);
    }

    private Binding bindingOf(JsonNode json) {
        List<Subject> subjects = new ArrayList<>();
        for (JsonNode s : json.path("subjects")) {
            subjects.add(new Subject(s.path("kind").asText(), s.path("name").asText(), s.path("namespace").asText("")));
        }
        JsonNode meta = json.path("metadata");
        JsonNode ref = json.path("roleRef");
        return new Binding(json.path("kind").asText(meta.has("namespace") ? "RoleBinding" : "ClusterRoleBinding"),
                meta.path("namespace").asText(""), meta.path("name").asText(), ref.path("kind").asText(),
                ref.path("name").asText(), subjects);
    }
}
