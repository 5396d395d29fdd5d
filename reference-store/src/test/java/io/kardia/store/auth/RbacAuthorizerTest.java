package io.kardia.store.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.store.ReferenceStore;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RBAC decisions over roles and bindings stored in a real (in-memory) store, with the default roles. */
class RbacAuthorizerTest {
    private static final UserInfo ALICE = UserInfo.of("alice", "", List.of("dev")).authenticated();
    private ReferenceStore store;
    private RbacAuthorizer rbac;

    @BeforeEach
    void start() {
        store = ReferenceStore.inMemory();
        BootstrapPolicy.ensure(store);
        AuthFixtures.create(store, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n");
        rbac = new RbacAuthorizer(store);
    }

    @AfterEach
    void stop() {
        store.close();
    }

    private boolean can(UserInfo user, String verb, String group, String resource, String sub, String ns, String name) {
        return rbac.authorize(RequestAttributes.resource(user, verb, group, "v1", resource, sub, ns, name)).allowed();
    }

    private void bind(String kind, String ns, String name, String roleKind, String role, String subjects) {
        AuthFixtures.create(store, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: %s
                metadata:
                  name: %s
                  %s
                roleRef:
                  apiGroup: rbac.authorization.k8s.io
                  kind: %s
                  name: %s
                subjects: %s
                """.formatted(kind, name, ns == null ? "" : "namespace: " + ns, roleKind, role, subjects));
    }

    @Test
    void nothingIsAllowedWithoutABindingExceptDiscoveryAndSelfReviews() {
        assertThat(can(ALICE, "list", "", "pods", "", "default", "")).isFalse();
        assertThat(rbac.authorize(RequestAttributes.nonResource(ALICE, "get", "/apis/apps/v1")).allowed()).isTrue();
        assertThat(can(ALICE, "create", "authorization.k8s.io", "selfsubjectaccessreviews", "", "", "")).isTrue();
        assertThat(can(ALICE, "create", "authentication.k8s.io", "selfsubjectreviews", "", "", "")).isTrue();
        assertThat(can(ALICE, "create", "authentication.k8s.io", "tokenreviews", "", "", "")).isFalse();
    }

    @Test
    void systemMastersMayDoAnything() {
        UserInfo admin = ApiSecurity.adminUser().authenticated();
        assertThat(can(admin, "deletecollection", "apps", "deployments", "", "x", "")).isTrue();
        assertThat(rbac.authorize(RequestAttributes.nonResource(admin, "get", "/anything")).allowed()).isTrue();
    }

    @Test
    void aRoleBindingToTheAggregatedViewRoleGrantsReadingInItsNamespaceOnly() {
        bind("RoleBinding", "shop", "alice-view", "ClusterRole", "view", "[{kind: User, name: alice}]");
        assertThat(can(ALICE, "list", "", "pods", "", "shop", "")).isTrue();
        assertThat(can(ALICE, "watch", "apps", "deployments", "", "shop", "")).isTrue();
        assertThat(can(ALICE, "get", "", "pods", "status", "shop", "p")).isTrue();
        assertThat(can(ALICE, "get", "", "secrets", "", "shop", "s")).as("view excludes secrets").isFalse();
        assertThat(can(ALICE, "delete", "", "pods", "", "shop", "p")).isFalse();
        assertThat(can(ALICE, "list", "", "pods", "", "other", "")).isFalse();
        assertThat(can(ALICE, "list", "", "pods", "", "", "")).as("all namespaces is cluster scope").isFalse();
        Authorizer.Decision d = rbac.authorize(RequestAttributes.resource(ALICE, "list", "", "v1", "pods", "", "shop", ""));
        assertThat(d.reason()).isEqualTo("RBAC: allowed by RoleBinding \"alice-view/shop\" of ClusterRole \"view\" to User \"alice\"");
    }

    @Test
    void editAndAdminAggregateWhatTheRolesBelowThemGrantAndAnyLabelledRole() {
        bind("RoleBinding", "shop", "dev-admin", "ClusterRole", "admin", "[{kind: Group, name: dev}]");
        assertThat(can(ALICE, "list", "", "pods", "", "shop", "")).as("from view").isTrue();
        assertThat(can(ALICE, "create", "", "serviceaccounts", "token", "shop", "robot")).as("from edit").isTrue();
        assertThat(can(ALICE, "create", "rbac.authorization.k8s.io", "rolebindings", "", "shop", "")).as("admin's own").isTrue();
        assertThat(can(ALICE, "list", "example.io", "widgets", "", "shop", "")).isFalse();
        AuthFixtures.create(store, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: widgets-view
                  labels:
                    rbac.authorization.k8s.io/aggregate-to-view: "true"
                rules:
                - apiGroups: [example.io]
                  resources: [widgets]
                  verbs: [get, list, watch]
                """);
        assertThat(can(ALICE, "list", "example.io", "widgets", "", "shop", "")).as("aggregated through view into admin").isTrue();
    }

    @Test
    void serviceAccountSubjectsAndMissingRoles() {
        UserInfo robot = UserInfo.of("system:serviceaccount:shop:robot", "", List.of("system:serviceaccounts")).authenticated();
        AuthFixtures.create(store, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata:
                  name: leases
                  namespace: shop
                rules:
                - apiGroups: [coordination.k8s.io]
                  resources: [leases]
                  verbs: [get, update]
                  resourceNames: [robot-lock]
                """);
        bind("RoleBinding", "shop", "robot-leases", "Role", "leases", "[{kind: ServiceAccount, name: robot}]");
        assertThat(can(robot, "update", "coordination.k8s.io", "leases", "", "shop", "robot-lock")).isTrue();
        assertThat(can(robot, "update", "coordination.k8s.io", "leases", "", "shop", "other-lock")).isFalse();
        bind("ClusterRoleBinding", null, "robot-gone", "ClusterRole", "does-not-exist",
                "[{kind: ServiceAccount, name: robot, namespace: shop}]");
        Authorizer.Decision d = rbac.authorize(RequestAttributes.resource(robot, "list", "", "v1", "pods", "", "shop", ""));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).isEqualTo("RBAC: clusterrole.rbac.authorization.k8s.io \"does-not-exist\" not found");
    }

    @Test
    void rulesForListsWhatTheBindingsGrant() {
        bind("RoleBinding", "shop", "alice-view", "ClusterRole", "view", "[{kind: User, name: alice}]");
        Authorizer.Rules inShop = rbac.rulesFor(ALICE, "shop");
        assertThat(inShop.resourceRules()).anyMatch(r -> r.resources().contains("pods") && r.verbs().contains("list"));
        assertThat(inShop.nonResourceRules()).anyMatch(r -> r.nonResourceURLs().contains("/api"));
        assertThat(inShop.incomplete()).isFalse();
        assertThat(rbac.rulesFor(ALICE, "other").resourceRules()).noneMatch(r -> r.resources().contains("pods"));
    }
}
