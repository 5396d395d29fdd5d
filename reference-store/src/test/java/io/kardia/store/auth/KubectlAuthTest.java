package io.kardia.store.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.store.ReferenceStore;
import io.kardia.store.testkit.KubectlHarness;
import io.kardia.store.testkit.KubectlHarness.Result;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authentication and RBAC as the real kubectl sees them: {@code auth whoami}, {@code auth can-i},
 * a token-file user forbidden and then allowed by a RoleBinding, a ServiceAccount token from
 * {@code kubectl create token}, a client certificate. Skipped when kubectl is not on the PATH.
 */
class KubectlAuthTest {
    private static final String ALICE_TOKEN = "alice-token-0123456789abcdef";

    @TempDir
    static Path dir;

    private static ReferenceStore store;
    private static KubectlHarness kubectl;
    private static Path alice;

    @BeforeAll
    static void start() throws IOException {
        store = ReferenceStore.inMemory();
        StaticTokens tokens = StaticTokens.of(Map.of(ALICE_TOKEN, UserInfo.of("alice", "1001", List.of("dev"))));
        kubectl = KubectlHarness.start(store, dir, "kubectl authentication tests",
                s -> s.withTokenFile(tokens).withClientCertificates(true)
                        .withAuthorization(ApiSecurity.AuthorizationMode.RBAC));
        alice = kubectl.kubeconfigWithToken("alice", ALICE_TOKEN);
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
    void whoamiNamesTheAdminInSystemMasters() throws Exception {
        Result r = kubectl.run("auth", "whoami");
        assertThat(r.stdout()).contains("kardia-admin").contains("system:masters").contains("system:authenticated");
    }

    @Test
    void aTokenFileUserIsForbiddenUntilARoleBindingAllowsIt() throws Exception {
        kubectl.run("create", "namespace", "team-a");
        Result denied = kubectl.runWith(alice, List.of(1), "get", "pods", "-n", "team-a");
        assertThat(denied.stderr()).contains("Error from server (Forbidden): pods is forbidden: User \"alice\" cannot list "
                + "resource \"pods\" in API group \"\" in the namespace \"team-a\"");
        assertThat(kubectl.runWith(alice, List.of(1), "auth", "can-i", "list", "pods", "-n", "team-a").stdout().strip())
                .isEqualTo("no");

        kubectl.run("create", "rolebinding", "alice-view", "--clusterrole=view", "--user=alice", "-n", "team-a");

        assertThat(kubectl.runWith(alice, List.of(0), "auth", "can-i", "list", "pods", "-n", "team-a").stdout().strip())
                .isEqualTo("yes");
        Result allowed = kubectl.runWith(alice, List.of(0), "get", "pods", "-n", "team-a");
        assertThat(allowed.stderr()).contains("No resources found in team-a namespace");
        // view grants reading, not writing, and only in team-a
        assertThat(kubectl.runWith(alice, List.of(1), "auth", "can-i", "delete", "pods", "-n", "team-a").stdout().strip())
                .isEqualTo("no");
        assertThat(kubectl.runWith(alice, List.of(1), "auth", "can-i", "list", "pods", "-n", "default").stdout().strip())
                .isEqualTo("no");
    }

    @Test
    void impersonationActsAsAnotherUserOnlyForThoseAllowedToImpersonate() throws Exception {
        kubectl.run("create", "namespace", "team-b");
        kubectl.run("create", "rolebinding", "dev-edit", "--clusterrole=edit", "--group=dev", "-n", "team-b");
        // the admin (system:masters) may impersonate anyone: can-i answers for alice, through her group
        assertThat(kubectl.run("auth", "can-i", "create", "deployments.apps", "-n", "team-b", "--as", "alice",
                "--as-group", "dev").stdout().strip()).isEqualTo("yes");
        assertThat(kubectl.run(List.of(1), "auth", "can-i", "create", "deployments.apps", "-n", "team-b", "--as", "alice")
                .stdout().strip()).as("without the group").isEqualTo("no");
        assertThat(kubectl.run("auth", "whoami", "--as", "system:serviceaccount:team-b:builder").stdout())
                .contains("system:serviceaccount:team-b:builder").contains("system:serviceaccounts:team-b");
        // alice may not impersonate
        Result denied = kubectl.runWith(alice, List.of(1), "get", "pods", "-n", "team-b", "--as", "bob");
        assertThat(denied.stderr()).contains("users \"bob\" is forbidden: User \"alice\" cannot impersonate resource "
                + "\"users\" in API group \"\" at the cluster scope");
    }

    @Test
    void aServiceAccountTokenFromCreateTokenAuthenticatesUntilTheAccountIsDeleted() throws Exception {
        kubectl.run("create", "serviceaccount", "robot", "-n", "default");
        String token = kubectl.run("create", "token", "robot", "-n", "default").stdout().strip();
        Path robot = kubectl.kubeconfigWithToken("robot", token);

        Result who = kubectl.runWith(robot, List.of(0), "auth", "whoami");
        assertThat(who.stdout()).contains("system:serviceaccount:default:robot").contains("system:serviceaccounts:default");
        Result denied = kubectl.runWith(robot, List.of(1), "get", "configmaps");
        assertThat(denied.stderr()).contains("configmaps is forbidden: User \"system:serviceaccount:default:robot\" cannot "
                + "list resource \"configmaps\" in API group \"\" in the namespace \"default\"");

        kubectl.run("delete", "serviceaccount", "robot", "-n", "default");
        Result gone = kubectl.runWith(robot, List.of(1), "get", "configmaps");
        assertThat(gone.stderr()).contains("Unauthorized");
    }

    @Test
    void aClientCertificateNamesItsUserAndGroups() throws Exception {
        Path carol = kubectl.kubeconfigWithClientCertificate("carol", List.of("ops", "auditors"));
        Result who = kubectl.runWith(carol, List.of(0), "auth", "whoami");
        assertThat(who.stdout()).contains("carol").contains("ops").contains("auditors").contains("system:authenticated");
    }
}
