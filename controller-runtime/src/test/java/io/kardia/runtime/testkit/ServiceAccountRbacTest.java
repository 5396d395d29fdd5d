package io.kardia.runtime.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.ObjectMeta;
import io.kardia.informer.CacheSyncTimeoutException;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Result;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An operator's RBAC tested as a cluster would enforce it: a controller runs as a ServiceAccount
 * with exactly the Role the test grants, and a missing permission fails with kube's 403.
 */
@KardiaTest(rbac = true)
class ServiceAccountRbacTest {
    private static final String NS = "shop";
    private static final String FORBIDDEN_CREATE = "configmaps is forbidden: User \"system:serviceaccount:shop:copier\" "
            + "cannot create resource \"configmaps\" in API group \"\" in the namespace \"shop\"";

    /** Copies each ConfigMap without a "copy" label to NAME-copy; remembers the last write error. */
    private static Manager startCopier(TestEnvironment env, LinkedBlockingQueue<String> errors) throws InterruptedException {
        return env.startManager(Manager.builder(env.serviceAccountClient(NS, "copier")).namespace(NS)
                .cacheSyncTimeout(Duration.ofSeconds(5)).gracefulShutdownTimeout(Duration.ofSeconds(5)), m ->
                m.newController().forKind(ConfigMap.class).complete(cm -> {
                    if (cm.metadata().labels().containsKey("copy")) {
                        return Result.done();
                    }
                    String copy = cm.metadata().name() + "-copy";
                    if (m.client().resources(ConfigMap.class).find(NS, copy).isEmpty()) {
                        try {
                            m.apiClient().resources(ConfigMap.class).create(ConfigMap.of(
                                    ObjectMeta.builder().namespace(NS).name(copy).label("copy", "yes").build(), cm.data()));
                        } catch (KubeApiException e) {
                            errors.add(e.getMessage());
                            throw e;
                        }
                    }
                    return Result.done();
                }));
    }

    private static void grant(TestEnvironment env, String verbs) {
        env.apply("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata:
                  name: copier
                  namespace: shop
                rules:
                - apiGroups: [""]
                  resources: ["configmaps"]
                  verbs: %s
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata:
                  name: copier
                  namespace: shop
                roleRef:
                  apiGroup: rbac.authorization.k8s.io
                  kind: Role
                  name: copier
                subjects:
                - kind: ServiceAccount
                  name: copier
                  namespace: shop
                """.formatted(verbs));
    }

    @Test
    void aControllerWithTheRightRoleWorks(TestEnvironment env) throws Exception {
        env.createNamespace(NS);
        grant(env, "[get, list, watch, create]");
        startCopier(env, new LinkedBlockingQueue<>());
        env.resources(ConfigMap.class).create(ConfigMap.of(ObjectMeta.of(NS, "settings"), Map.of("k", "v")));
        env.awaitObject(ConfigMap.class, NS, "settings-copy", c -> "v".equals(c.data().get("k")));
    }

    @Test
    void aControllerMissingAWritePermissionGetsKubesForbidden(TestEnvironment env) throws Exception {
        env.createNamespace(NS);
        grant(env, "[get, list, watch]");
        LinkedBlockingQueue<String> errors = new LinkedBlockingQueue<>();
        startCopier(env, errors);
        env.resources(ConfigMap.class).create(ConfigMap.of(ObjectMeta.of(NS, "settings"), Map.of("k", "v")));
        assertThat(errors.poll(30, TimeUnit.SECONDS)).isEqualTo(FORBIDDEN_CREATE);
        assertThat(env.resources(ConfigMap.class).find(NS, "settings-copy")).isEmpty();
    }

    @Test
    void aControllerThatMayNotListFailsToStartNamingTheMissingPermission(TestEnvironment env) {
        env.createNamespace(NS);
        assertThatThrownBy(() -> startCopier(env, new LinkedBlockingQueue<>()))
                .isInstanceOf(CacheSyncTimeoutException.class)
                .hasMessageContaining("configmaps is forbidden: User \"system:serviceaccount:shop:copier\" cannot list "
                        + "resource \"configmaps\" in API group \"\" in the namespace \"shop\"");
    }

    @Test
    void aClusterWideControllerBoundOnlyInANamespaceCannotListAcrossNamespaces(TestEnvironment env) {
        env.createNamespace(NS);
        grant(env, "[get, list, watch, create]");
        assertThatThrownBy(() -> env.startManagerAs(NS, "copier",
                m -> m.newController().forKind(ConfigMap.class).complete(cm -> Result.done())))
                .isInstanceOf(CacheSyncTimeoutException.class)
                .hasMessageContaining("configmaps is forbidden: User \"system:serviceaccount:shop:copier\" cannot list "
                        + "resource \"configmaps\" in API group \"\" at the cluster scope");
    }

    @Test
    void theEnvironmentsOwnClientIsAnAdministrator(TestEnvironment env) {
        env.createNamespace(NS);
        assertThat(env.resources(ConfigMap.class).create(ConfigMap.of(ObjectMeta.of(NS, "x"), Map.of())).metadata().name())
                .isEqualTo("x");
        assertThatThrownBy(() -> env.serviceAccountClient(NS, "nobody").resources(ConfigMap.class).list(NS))
                .isInstanceOf(KubeApiException.ForbiddenException.class)
                .hasMessage("configmaps is forbidden: User \"system:serviceaccount:shop:nobody\" cannot list resource "
                        + "\"configmaps\" in API group \"\" in the namespace \"shop\"");
    }
}
