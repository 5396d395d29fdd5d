package io.kardia.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.json.Json;
import io.kardia.core.selector.Selector;
import io.kardia.core.selector.SelectorParseException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {

    @Test
    void nullSelectsNothingEmptySelectsEverything() {
        assertThat(LabelSelector.toSelector(null)).isSameAs(Selector.NOTHING);
        assertThat(LabelSelector.toSelector(null).matches(Map.of())).isFalse();
        assertThat(LabelSelector.toSelector(LabelSelector.EMPTY)).isSameAs(Selector.EVERYTHING);
        LabelSelector decodedEmpty = Json.fromString("{}", LabelSelector.class);
        assertThat(decodedEmpty.isEmpty()).isTrue();
        assertThat(decodedEmpty.matches(Map.of("any", "thing"))).isTrue();
    }

    @Test
    void matchLabelsAndExpressionsAreAnded() {
        LabelSelector ls = new LabelSelector(Map.of("app", "web"), List.of(
                LabelSelectorRequirement.in("env", "prod", "qa"),
                LabelSelectorRequirement.notIn("tier", "cache"),
                LabelSelectorRequirement.exists("team"),
                LabelSelectorRequirement.doesNotExist("canary")));
        assertThat(ls.toSelector().toString())
                .isEqualTo("app=web,!canary,env in (prod,qa),team,tier notin (cache)");
        assertThat(ls.matches(Map.of("app", "web", "env", "qa", "team", "x"))).isTrue();
        assertThat(ls.matches(Map.of("app", "web", "env", "qa", "team", "x", "canary", "1"))).isFalse();
        assertThat(ls.matches(Map.of("app", "web", "env", "dev", "team", "x"))).isFalse();
        assertThat(ls.matches(Map.of("app", "web", "env", "qa", "team", "x", "tier", "cache"))).isFalse();
        assertThat(ls.matches(Map.of("app", "api", "env", "qa", "team", "x"))).isFalse();
        assertThat(Json.toString(ls)).isEqualTo("{\"matchLabels\":{\"app\":\"web\"},\"matchExpressions\":["
                + "{\"key\":\"env\",\"operator\":\"In\",\"values\":[\"prod\",\"qa\"]},"
                + "{\"key\":\"tier\",\"operator\":\"NotIn\",\"values\":[\"cache\"]},"
                + "{\"key\":\"team\",\"operator\":\"Exists\"},{\"key\":\"canary\",\"operator\":\"DoesNotExist\"}]}");
    }

    @Test
    void invalidSelectorsAreReported() {
        LabelSelector bad = new LabelSelector(Map.of("-bad", "v"), List.of(
                new LabelSelectorRequirement("k", "Equals", List.of("x")),
                new LabelSelectorRequirement("k2", "In", List.of()),
                new LabelSelectorRequirement("k3", "Exists", List.of("x"))));
        assertThat(bad.validate("spec.selector")).extracting(Status.Cause::field).containsExactlyInAnyOrder(
                "spec.selector.matchLabels", "spec.selector.matchExpressions[0].operator",
                "spec.selector.matchExpressions[1].values", "spec.selector.matchExpressions[2].values");
        assertThatThrownBy(bad::toSelector).isInstanceOf(SelectorParseException.class);
        assertThatThrownBy(() -> new LabelSelector(null, List.of(new LabelSelectorRequirement("k", "Gt", List.of("1"))))
                .toSelector()).hasMessageContaining("\"Gt\" is not a valid label selector operator");
        assertThat(LabelSelector.of(Map.of("app", "web")).validate("spec.selector")).isEmpty();
    }

    @Test
    void validationHelpersFollowKubernetes() {
        assertThat(Validation.qualifiedName("example.com/my-key_1.x")).isEmpty();
        assertThat(Validation.qualifiedName("a".repeat(64))).hasSize(1);
        assertThat(Validation.qualifiedName("Example.com/x")).singleElement().asString().startsWith("prefix part");
        assertThat(Validation.qualifiedName("/x")).containsExactly("prefix part must be non-empty");
        assertThat(Validation.qualifiedName("a/b/c")).hasSize(1);
        assertThat(Validation.labelValue("")).isEmpty();
        assertThat(Validation.labelValue("v-1.2_3")).isEmpty();
        assertThat(Validation.labelValue("-v")).hasSize(1);
        assertThat(Validation.dns1123Subdomain("my-app.example")).isEmpty();
        assertThat(Validation.dns1123Subdomain("My-App")).hasSize(1);
        assertThat(Validation.dns1123Label("kube-system")).isEmpty();
        assertThat(Validation.dns1123Label("a.b")).hasSize(1);
        assertThat(Validation.dns1123Label("a".repeat(64))).hasSize(1);
    }
}
