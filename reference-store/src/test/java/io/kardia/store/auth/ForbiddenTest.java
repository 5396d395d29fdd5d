package io.kardia.store.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.model.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The 403 wording, checked against kube-apiserver's own messages. */
class ForbiddenTest {
    private static final UserInfo ALICE = UserInfo.of("alice", "", List.of());

    @Test
    void aNamespacedListNamesTheResourceGroupAndNamespace() {
        Status s = Forbidden.status(RequestAttributes.resource(ALICE, "list", "", "v1", "pods", "", "default", ""), "");
        assertThat(s.code()).isEqualTo(403);
        assertThat(s.reason()).isEqualTo("Forbidden");
        assertThat(s.message()).isEqualTo("pods is forbidden: User \"alice\" cannot list resource \"pods\" in API group \"\" "
                + "in the namespace \"default\"");
        assertThat(s.details().kind()).isEqualTo("pods");
        assertThat(s.details().name()).isNull();
    }

    @Test
    void aNamedObjectOfAGroupAtClusterScopeWithASubresource() {
        Status s = Forbidden.status(RequestAttributes.resource(ALICE, "update", "apiextensions.k8s.io", "v1",
                "customresourcedefinitions", "status", "", "widgets.example.io"), "");
        assertThat(s.message()).isEqualTo("customresourcedefinitions.apiextensions.k8s.io \"widgets.example.io\" is forbidden: "
                + "User \"alice\" cannot update resource \"customresourcedefinitions/status\" in API group "
                + "\"apiextensions.k8s.io\" at the cluster scope");
        assertThat(s.details().group()).isEqualTo("apiextensions.k8s.io");
        assertThat(s.details().name()).isEqualTo("widgets.example.io");
    }

    @Test
    void aNonResourcePathAndAnRbacReason() {
        Status s = Forbidden.status(RequestAttributes.nonResource(ALICE, "get", "/metrics"), "");
        assertThat(s.message()).isEqualTo("forbidden: User \"alice\" cannot get path \"/metrics\"");
        Status withReason = Forbidden.status(RequestAttributes.resource(ALICE, "get", "", "v1", "secrets", "", "ns", "s"),
                "RBAC: clusterrole.rbac.authorization.k8s.io \"gone\" not found");
        assertThat(withReason.message()).endsWith("in the namespace \"ns\": RBAC: clusterrole.rbac.authorization.k8s.io \"gone\" not found");
    }
}
