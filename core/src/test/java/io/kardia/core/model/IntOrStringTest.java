package io.kardia.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.json.CodecException;
import io.kardia.core.json.Json;
import org.junit.jupiter.api.Test;

class IntOrStringTest {

    @Test
    void keepsTheJsonForm() {
        RollingUpdateDeployment r = Json.fromString("{\"maxUnavailable\":0,\"maxSurge\":\"25%\"}",
                RollingUpdateDeployment.class);
        assertThat(r.maxUnavailable()).isEqualTo(IntOrString.of(0));
        assertThat(r.maxUnavailable().isInt()).isTrue();
        assertThat(r.maxSurge()).isEqualTo(IntOrString.of("25%"));
        assertThat(Json.toString(r)).isEqualTo("{\"maxUnavailable\":0,\"maxSurge\":\"25%\"}");
        assertThat(Json.toString(RollingUpdateDeployment.of(IntOrString.of("1"), null)))
                .isEqualTo("{\"maxUnavailable\":\"1\"}");
        assertThatThrownBy(() -> Json.fromString("{\"maxSurge\":[1]}", RollingUpdateDeployment.class))
                .isInstanceOf(CodecException.class);
    }

    @Test
    void scalesPercentagesLikeKubernetes() {
        assertThat(IntOrString.of("25%").scaledValue(10, true)).isEqualTo(3);
        assertThat(IntOrString.of("25%").scaledValue(10, false)).isEqualTo(2);
        assertThat(IntOrString.percent(100).scaledValue(7, false)).isEqualTo(7);
        assertThat(IntOrString.of(2).scaledValue(10, true)).isEqualTo(2);
        assertThatThrownBy(() -> IntOrString.of("3").scaledValue(10, true))
                .hasMessageContaining("not a percentage");
        assertThatThrownBy(() -> new IntOrString(null, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
