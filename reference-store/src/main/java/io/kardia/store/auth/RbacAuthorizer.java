package io.kardia.store.auth;

import io.kardia.store.ReferenceStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * kube-apiserver's RBAC authorizer: a request is allowed when a ClusterRoleBinding, or a
 * RoleBinding in the request's namespace, binds the user (by name, group or ServiceAccount) to a
 * role with a rule that allows it. Members of {@code system:masters} are allowed everything first,
 * as kube's privileged-group authorizer does. Nothing is ever denied explicitly: no rule, no access.
 */
public final class RbacAuthorizer implements Authorizer {
    private final RbacPolicy policy;

    public RbacAuthorizer(ReferenceStore store) {
        this.policy = new RbacPolicy(store);
    }

    @Override
    public Decision authorize(RequestAttributes request) {
        UserInfo user = request.user();
        if (user.groups().contains(UserInfo.SYSTEM_MASTERS)) {
            return new Decision(true, "");
        }
        List<String> errors = new ArrayList<>();
        for (RbacPolicy.Binding b : policy.clusterRoleBindings()) {
            Optional<String> allowedBy = check(b, request, "", errors);
            if (allowedBy.isPresent()) {
                return new Decision(true, allowedBy.get());
            }
        }
        if (!request.namespace().isEmpty()) {
            for (RbacPolicy.Binding b : policy.roleBindings(request.namespace())) {
                Optional<String> allowedBy = check(b, request, request.namespace(), errors);
                if (allowedBy.isPresent()) {
                    return new Decision(true, allowedBy.get());
                }
            }
        }
        return new Decision(false, errors.isEmpty() ? "" : "RBAC: " + String.join(", ", errors));
    }

    /** The reason text when {@code b} allows the request. */
    private Optional<String> check(RbacPolicy.Binding b, RequestAttributes request, String namespace, List<String> errors) {
        Optional<RbacPolicy.Subject> subject = b.subjects().stream().filter(s -> s.appliesTo(request.user(), namespace)).findFirst();
        if (subject.isEmpty()) {
            return Optional.empty();
        }
        Optional<List<PolicyRule>> rules = policy.rulesOf(b);
        if (rules.isEmpty()) {
            errors.add(missingRole(b));
            return Optional.empty();
        }
        for (PolicyRule r : rules.get()) {
            if (r.allows(request)) {
                return Optional.of("RBAC: allowed by " + b.describe() + " to " + subject.get().describe());
            }
        }
        return Optional.empty();
    }

    @Override
    public Rules rulesFor(UserInfo user, String namespace) {
        List<PolicyRule> resource = new ArrayList<>();
        List<PolicyRule> nonResource = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        if (user.groups().contains(UserInfo.SYSTEM_MASTERS)) {
            resource.add(PolicyRule.resources(List.of("*"), List.of("*"), List.of("*")));
            nonResource.add(PolicyRule.urls(List.of("*"), List.of("*")));
        }
        List<RbacPolicy.Binding> bindings = new ArrayList<>(policy.clusterRoleBindings());
        if (namespace != null && !namespace.isEmpty()) {
            bindings.addAll(policy.roleBindings(namespace));
        }
        for (RbacPolicy.Binding b : bindings) {
            if (b.subjects().stream().noneMatch(s -> s.appliesTo(user, b.namespace()))) {
                continue;
            }
            Optional<List<PolicyRule>> rules = policy.rulesOf(b);
            if (rules.isEmpty()) {
                errors.add(missingRole(b));
                continue;
            }
            for (PolicyRule r : rules.get()) {
                (r.isNonResource() ? nonResource : resource).add(r);
            }
        }
        return new Rules(resource, nonResource, !errors.isEmpty(), String.join(", ", errors));
    }

    private static String missingRole(RbacPolicy.Binding b) {
        return b.roleKind().equals("ClusterRole")
                ? "clusterrole." + RbacPolicy.GROUP + " \"" + b.roleName() + "\" not found"
                : "role." + RbacPolicy.GROUP + " \"" + b.roleName() + "\" not found";
    }
}
