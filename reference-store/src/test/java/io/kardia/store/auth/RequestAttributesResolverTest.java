package io.kardia.store.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestAttributesResolverTest {
    private static final UserInfo U = UserInfo.of("u", "", List.of());

    private static RequestAttributes resolve(String method, String path, Map<String, String> query) {
        return RequestAttributesResolver.resolve(U, method, path, query);
    }

    @Test
    void methodsMapToKubesVerbs() {
        assertThat(resolve("GET", "/api/v1/namespaces/ns/pods/p", Map.of()).verb()).isEqualTo("get");
        assertThat(resolve("HEAD", "/api/v1/namespaces/ns/pods/p", Map.of()).verb()).isEqualTo("get");
        assertThat(resolve("GET", "/api/v1/namespaces/ns/pods", Map.of()).verb()).isEqualTo("list");
        assertThat(resolve("GET", "/api/v1/pods", Map.of("watch", "true")).verb()).isEqualTo("watch");
        assertThat(resolve("GET", "/api/v1/pods", Map.of("watch", "1")).verb()).isEqualTo("watch");
        assertThat(resolve("POST", "/api/v1/namespaces/ns/pods", Map.of()).verb()).isEqualTo("create");
        assertThat(resolve("PUT", "/api/v1/namespaces/ns/pods/p", Map.of()).verb()).isEqualTo("update");
        assertThat(resolve("PATCH", "/api/v1/namespaces/ns/pods/p", Map.of()).verb()).isEqualTo("patch");
        assertThat(resolve("DELETE", "/api/v1/namespaces/ns/pods/p", Map.of()).verb()).isEqualTo("delete");
        assertThat(resolve("DELETE", "/api/v1/namespaces/ns/pods", Map.of()).verb()).isEqualTo("deletecollection");
    }

    @Test
    void resourcePartsAreTakenFromThePath() {
        RequestAttributes a = resolve("PUT", "/apis/apps/v1/namespaces/shop/deployments/web/status", Map.of());
        assertThat(a.resourceRequest()).isTrue();
        assertThat(a.apiGroup()).isEqualTo("apps");
        assertThat(a.apiVersion()).isEqualTo("v1");
        assertThat(a.resource()).isEqualTo("deployments");
        assertThat(a.subresource()).isEqualTo("status");
        assertThat(a.namespace()).isEqualTo("shop");
        assertThat(a.name()).isEqualTo("web");
        RequestAttributes nodes = resolve("GET", "/api/v1/nodes/n1", Map.of());
        assertThat(nodes.namespace()).isEmpty();
        assertThat(nodes.name()).isEqualTo("n1");
    }

    @Test
    void aNamespaceIsInItself() {
        RequestAttributes ns = resolve("DELETE", "/api/v1/namespaces/shop", Map.of());
        assertThat(ns.resource()).isEqualTo("namespaces");
        assertThat(ns.name()).isEqualTo("shop");
        assertThat(ns.namespace()).isEqualTo("shop");
        assertThat(ns.verb()).isEqualTo("delete");
        RequestAttributes finalize = resolve("PUT", "/api/v1/namespaces/shop/finalize", Map.of());
        assertThat(finalize.resourceWithSubresource()).isEqualTo("namespaces/finalize");
        assertThat(finalize.namespace()).isEqualTo("shop");
    }

    @Test
    void aListPinnedToOneNameByFieldSelectorIsAboutThatName() {
        assertThat(resolve("GET", "/api/v1/namespaces/ns/configmaps", Map.of("fieldSelector", "metadata.name=settings")).name())
                .isEqualTo("settings");
        assertThat(resolve("GET", "/api/v1/namespaces/ns/configmaps", Map.of("watch", "true",
                "fieldSelector", "status.phase=Running,metadata.name==x")).name()).isEqualTo("x");
        assertThat(resolve("GET", "/api/v1/namespaces/ns/configmaps", Map.of("fieldSelector", "metadata.name!=x")).name())
                .isEmpty();
    }

    @Test
    void everythingOutsideAGroupVersionIsANonResourceRequest() {
        for (String path : List.of("/version", "/api", "/apis", "/apis/apps", "/openapi/v2", "/healthz")) {
            RequestAttributes a = resolve("GET", path, Map.of());
            assertThat(a.resourceRequest()).as(path).isFalse();
            assertThat(a.path()).isEqualTo(path);
            assertThat(a.verb()).isEqualTo("get");
        }
        assertThat(resolve("POST", "/version", Map.of()).verb()).isEqualTo("post");
    }
}
