package io.kardia.store.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyRuleTest {
    private static final UserInfo U = UserInfo.of("u", "", List.of());

    private static RequestAttributes req(String verb, String group, String resource, String sub, String name) {
        return RequestAttributes.resource(U, verb, group, "v1", resource, sub, "ns", name);
    }

    @Test
    void verbsGroupsAndResourcesMatchExactlyOrByWildcard() {
        PolicyRule pods = PolicyRule.resources(List.of("get", "list"), List.of(""), List.of("pods"));
        assertThat(pods.allows(req("get", "", "pods", "", "p"))).isTrue();
        assertThat(pods.allows(req("watch", "", "pods", "", ""))).isFalse();
        assertThat(pods.allows(req("get", "apps", "pods", "", "p"))).isFalse();
        assertThat(pods.allows(req("get", "", "services", "", "p"))).isFalse();
        PolicyRule all = PolicyRule.resources(List.of("*"), List.of("*"), List.of("*"));
        assertThat(all.allows(req("deletecollection", "apps", "deployments", "", ""))).isTrue();
        assertThat(all.allows(req("update", "", "pods", "status", "p"))).isTrue();
    }

    @Test
    void aSubresourceNeedsItsOwnRuleOrTheStarSlashForm() {
        PolicyRule pods = PolicyRule.resources(List.of("*"), List.of(""), List.of("pods"));
        assertThat(pods.allows(req("update", "", "pods", "status", "p"))).isFalse();
        PolicyRule status = PolicyRule.resources(List.of("update"), List.of(""), List.of("pods/status"));
        assertThat(status.allows(req("update", "", "pods", "status", "p"))).isTrue();
        assertThat(status.allows(req("update", "", "pods", "", "p"))).isFalse();
        PolicyRule anyStatus = PolicyRule.resources(List.of("update"), List.of("*"), List.of("*/status"));
        assertThat(anyStatus.allows(req("update", "apps", "deployments", "status", "d"))).isTrue();
        assertThat(anyStatus.allows(req("update", "apps", "deployments", "scale", "d"))).isFalse();
    }

    @Test
    void resourceNamesLimitTheRuleToThoseObjectsAndNeverMatchAnUnnamedRequest() {
        PolicyRule one = new PolicyRule(List.of("get", "list", "update"), List.of(""), List.of("configmaps"),
                List.of("settings"), List.of());
        assertThat(one.allows(req("get", "", "configmaps", "", "settings"))).isTrue();
        assertThat(one.allows(req("get", "", "configmaps", "", "other"))).isFalse();
        assertThat(one.allows(req("list", "", "configmaps", "", ""))).isFalse();
    }

    @Test
    void nonResourceUrlsMatchExactlyOrByTrailingStarPrefix() {
        PolicyRule discovery = PolicyRule.urls(List.of("get"), List.of("/api", "/apis/*", "/version"));
        assertThat(discovery.allows(RequestAttributes.nonResource(U, "get", "/api"))).isTrue();
        assertThat(discovery.allows(RequestAttributes.nonResource(U, "get", "/apis/apps/v1"))).isTrue();
        assertThat(discovery.allows(RequestAttributes.nonResource(U, "get", "/api/v1"))).isFalse();
        assertThat(discovery.allows(RequestAttributes.nonResource(U, "post", "/version"))).isFalse();
        // a URL rule says nothing about resources, and a resource rule nothing about URLs
        assertThat(discovery.allows(req("get", "", "pods", "", "p"))).isFalse();
        assertThat(PolicyRule.resources(List.of("*"), List.of("*"), List.of("*"))
                .allows(RequestAttributes.nonResource(U, "get", "/version"))).isFalse();
    }
}
