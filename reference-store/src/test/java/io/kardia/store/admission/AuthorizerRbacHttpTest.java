package io.kardia.store.admission;

import static io.kardia.store.admission.ValidatingPolicyContract.denied;
import static io.kardia.store.admission.ValidatingPolicyContract.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ResourceType;
import io.kardia.store.ReferenceStore;
import io.kardia.store.TestKinds;
import io.kardia.store.auth.ApiSecurity;
import io.kardia.store.auth.StaticTokens;
import io.kardia.store.auth.UserInfo;
import io.kardia.store.http.ApiServer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code authorizer} of admission expressions under RBAC: checks are answered by the server's
 * RBAC authorizer for the writing user (a token-file user here), so a policy can let only some
 * users make some changes; {@code serviceAccount(...)} checks as that ServiceAccount.
 */
class AuthorizerRbacHttpTest {
    private static final String ADMIN = "admin-token-0123456789abcdef";
    private static final String ALICE = "alice-token-0123456789abcdef";
    private static final ResourceType<GenericObject> ROLES = new ResourceType<>("rbac.authorization.k8s.io", "v1", "Role", "roles",
            "role", true, List.of(), Set.of(), GenericObject.class);
    private static final ResourceType<GenericObject> ROLE_BINDINGS = new ResourceType<>("rbac.authorization.k8s.io", "v1",
            "RoleBinding", "rolebindings", "rolebinding", true, List.of(), Set.of(), GenericObject.class);

    private ReferenceStore store;
    private ApiServer server;
    private KubeClient admin;
    private KubeClient alice;

    @BeforeEach
    void start() throws Exception {
        store = ReferenceStore.inMemory();
        server = ApiServer.start(store, "127.0.0.1", 0, null, ApiSecurity.adminTokenOnly(ADMIN)
                .withTokenFile(StaticTokens.of(Map.of(ALICE, UserInfo.of("alice", "1001", List.of("dev")))))
                .withAuthorization(ApiSecurity.AuthorizationMode.RBAC));
        admin = HttpKubeClient.create(ClientConfig.builder(server.url()).bearerToken(ADMIN).noRateLimit().build());
        alice = HttpKubeClient.create(ClientConfig.builder(server.url()).bearerToken(ALICE).noRateLimit().build());
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    private void grantAlice(String name, String verbs) {
        admin.resources(ROLES).create(yaml("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: %s, namespace: default}
                rules: [{apiGroups: [""], resources: [configmaps], verbs: %s}]
                """.formatted(name, verbs)));
        admin.resources(ROLE_BINDINGS).create(yaml("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: %s, namespace: default}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: %s}
                subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}]
                """.formatted(name, name)));
    }

    private static GenericObject approved(String name) {
        return yaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + name + ", namespace: default, labels: {approved: 'yes'}}\n");
    }

    @Test
    void onlyUsersTheAuthorizerLetsApproveMayLabelAConfigMapApproved() {
        admin.resources(ValidatingPolicyContract.POLICIES).create(yaml("apiVersion: admissionregistration.k8s.io/v1\n"
                + "kind: ValidatingAdmissionPolicy\n" + ValidatingPolicyContract.APPROVAL));
        admin.resources(ValidatingPolicyContract.BINDINGS).create(yaml("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: approval}
                spec: {policyName: approval, validationActions: [Deny]}
                """));
        grantAlice("writer", "[get, create, update]");
        ResourceClient<GenericObject> aliceConfigMaps = alice.resources(TestKinds.CONFIGMAPS);

        assertThat(denied(() -> aliceConfigMaps.create(approved("a"))).message()).isEqualTo("configmaps \"a\" is forbidden: "
                + "ValidatingAdmissionPolicy 'approval' with binding 'approval' denied request: only approvers may label a ConfigMap approved");
        assertThat(aliceConfigMaps.find("default", "a")).isEmpty();
        assertThat(denied(() -> aliceConfigMaps.create(ValidatingPolicyContract.configMap("p", "{probe: x}"))).message())
                .as("alice may create configmaps; the builder ServiceAccount may not read them; /healthz is public (kube's default roles)")
                .endsWith("denied request: request=true sa=false path=true errored=false");

        assertThat(admin.resources(TestKinds.CONFIGMAPS).create(approved("by-admin")).metadata().name())
                .as("system:masters may approve").isEqualTo("by-admin");

        grantAlice("approver", "[approve]");
        assertThat(aliceConfigMaps.create(approved("a")).metadata().labels()).containsEntry("approved", "yes");
    }
}
