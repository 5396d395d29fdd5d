package io.kardia.store.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.client.KubeApiException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableConverterTest {
    @Test
    void humanDurationMatchesKubernetes() {
        assertThat(TableConverter.humanDuration(Duration.ofSeconds(-5))).isEqualTo("<invalid>");
        assertThat(TableConverter.humanDuration(Duration.ofMillis(-500))).isEqualTo("0s");
        assertThat(TableConverter.humanDuration(Duration.ofSeconds(0))).isEqualTo("0s");
        assertThat(TableConverter.humanDuration(Duration.ofSeconds(119))).isEqualTo("119s");
        assertThat(TableConverter.humanDuration(Duration.ofSeconds(120))).isEqualTo("2m");
        assertThat(TableConverter.humanDuration(Duration.ofSeconds(200))).isEqualTo("3m20s");
        assertThat(TableConverter.humanDuration(Duration.ofMinutes(45))).isEqualTo("45m");
        assertThat(TableConverter.humanDuration(Duration.ofMinutes(200))).isEqualTo("3h20m");
        assertThat(TableConverter.humanDuration(Duration.ofHours(5))).isEqualTo("5h");
        assertThat(TableConverter.humanDuration(Duration.ofHours(30))).isEqualTo("30h");
        assertThat(TableConverter.humanDuration(Duration.ofHours(50))).isEqualTo("2d2h");
        assertThat(TableConverter.humanDuration(Duration.ofDays(40))).isEqualTo("40d");
        assertThat(TableConverter.humanDuration(Duration.ofDays(365 * 3 + 4))).isEqualTo("3y4d");
        assertThat(TableConverter.humanDuration(Duration.ofDays(365 * 9))).isEqualTo("9y");
    }

    @Test
    void jsonPathSubsetForPrinterColumns() {
        var obj = io.kardia.core.json.Json.tree("{\"spec\":{\"a.b\":1,\"list\":[{\"x\":\"first\"}],\"n\":{\"m\":true}}}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(JsonPathLite.find(obj, JsonPathLite.parse(".spec.n.m")).asBoolean()).isTrue();
        assertThat(JsonPathLite.find(obj, JsonPathLite.parse("{.spec.list[0].x}")).asText()).isEqualTo("first");
        assertThat(JsonPathLite.find(obj, JsonPathLite.parse(".spec['a.b']")).asInt()).isEqualTo(1);
        assertThat(JsonPathLite.find(obj, JsonPathLite.parse(".spec.missing"))).isNull();
        assertThat(JsonPathLite.parse(".spec.list[*].x")).isEmpty();
        assertThat(JsonPathLite.parse("spec")).isEmpty();
        assertThat(JsonPathLite.find(obj, JsonPathLite.parse(".spec[?(@.x)]"))).isNull();
    }

    @Test
    void equalityFilterPicksTheFirstMatchingElementAsKubebuildersReadyColumnsDo() {
        var obj = io.kardia.core.json.Json.tree(("{\"status\":{\"conditions\":[{\"type\":\"Progressing\",\"status\":\"False\"},"
                + "{\"type\":\"Ready\",\"status\":\"True\",\"d\":{\"k\":\"x\"}}]}}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(JsonPathLite.find(obj, JsonPathLite.parse(".status.conditions[?(@.type==\"Ready\")].status")).asText())
                .isEqualTo("True");
        assertThat(JsonPathLite.find(obj, JsonPathLite.parse(".status.conditions[?(@.type=='Progressing')].status")).asText())
                .isEqualTo("False");
        assertThat(JsonPathLite.find(obj, JsonPathLite.parse(".status.conditions[?(@.d.k==\"x\")].type")).asText())
                .isEqualTo("Ready");
        assertThat(JsonPathLite.find(obj, JsonPathLite.parse(".status.conditions[?(@.type==\"Absent\")].status"))).isNull();
        assertThat(JsonPathLite.find(obj, JsonPathLite.parse(".status[?(@.type==\"Ready\")].status"))).isNull();
    }

    @Test
    void tableIsChosenOnlyWhenPreferredOverPlainJson() {
        String kubectl = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
        TableConverter.TableRequest r = TableConverter.requested(kubectl, Map.of());
        assertThat(r).isNotNull();
        assertThat(r.apiVersion()).isEqualTo("meta.k8s.io/v1");
        assertThat(r.include()).isEqualTo(TableConverter.IncludeObject.Metadata);
        assertThat(r.contentType()).isEqualTo("application/json;as=Table;v=v1;g=meta.k8s.io");

        assertThat(TableConverter.requested("application/json;as=Table;v=v1beta1;g=meta.k8s.io", Map.of("includeObject", "Object"))
                .apiVersion()).isEqualTo("meta.k8s.io/v1beta1");
        assertThat(TableConverter.requested("application/json, application/json;as=Table;v=v1;g=meta.k8s.io", Map.of())).isNull();
        assertThat(TableConverter.requested("application/json;as=Table;v=v9;g=meta.k8s.io", Map.of())).isNull();
        assertThat(TableConverter.requested("application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io", Map.of())).isNull();
        assertThat(TableConverter.requested(null, Map.of())).isNull();
        assertThatThrownBy(() -> TableConverter.requested(kubectl, Map.of("includeObject", "All")))
                .isInstanceOf(KubeApiException.BadRequestException.class);
    }

    @Test
    void nodeStatusReadsAsKubectlPrintsIt() {
        java.util.function.Function<String, String> status = json -> TableConverter.nodeStatus(
                io.kardia.core.json.Json.tree(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(status.apply("{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}")).isEqualTo("Ready");
        assertThat(status.apply("{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"Unknown\"}]}}")).isEqualTo("NotReady");
        assertThat(status.apply("{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}]}}")).isEqualTo("NotReady");
        assertThat(status.apply("{\"spec\":{\"unschedulable\":true},\"status\":{}}")).isEqualTo("Unknown,SchedulingDisabled");
    }
}
