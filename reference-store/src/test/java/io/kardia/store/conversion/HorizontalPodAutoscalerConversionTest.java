package io.kardia.store.conversion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** autoscaling/v1 ↔ v2 HorizontalPodAutoscaler conversion, as kube-apiserver's. */
class HorizontalPodAutoscalerConversionTest {
    private final VersionConverter conversion = VersionConverters.builtIns()
            .forResource("horizontalpodautoscalers.autoscaling").orElseThrow();

    private static ObjectNode json(String s) {
        return (ObjectNode) Json.tree(s.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private static final String V2_FULL = """
            {'apiVersion':'autoscaling/v2','kind':'HorizontalPodAutoscaler',
             'metadata':{'name':'web','namespace':'ns','annotations':{'team':'a'}},
             'spec':{'scaleTargetRef':{'apiVersion':'apps/v1','kind':'Deployment','name':'web'},
                     'minReplicas':2,'maxReplicas':10,
                     'metrics':[{'type':'Resource','resource':{'name':'memory','target':{'type':'AverageValue','averageValue':'500Mi'}}},
                                {'type':'Resource','resource':{'name':'cpu','target':{'type':'Utilization','averageUtilization':70}}},
                                {'type':'Pods','pods':{'metric':{'name':'qps'},'target':{'type':'AverageValue','averageValue':'10'}}},
                                {'type':'External','external':{'metric':{'name':'queue','selector':{'matchLabels':{'q':'jobs'}}},
                                                               'target':{'type':'Value','value':'30'}}},
                                {'type':'Object','object':{'describedObject':{'apiVersion':'networking.k8s.io/v1','kind':'Ingress','name':'main'},
                                                           'metric':{'name':'rps'},'target':{'type':'Value','value':'2k'}}}],
                     'behavior':{'scaleDown':{'stabilizationWindowSeconds':300,'selectPolicy':'Min',
                                              'policies':[{'type':'Percent','value':10,'periodSeconds':60}]}}},
             'status':{'observedGeneration':3,'currentReplicas':4,'desiredReplicas':5,
                       'currentMetrics':[{'type':'Resource','resource':{'name':'cpu','current':{'averageUtilization':65,'averageValue':'130m'}}}],
                       'conditions':[{'type':'AbleToScale','status':'True','lastTransitionTime':'2026-01-01T00:00:00Z','reason':'ReadyForNewScale','message':'ok'}]}}
            """;

    @Test
    void theCpuTargetIsV1sTargetCpuUtilizationPercentage() {
        ObjectNode v1 = json("""
                {'apiVersion':'autoscaling/v1','kind':'HorizontalPodAutoscaler','metadata':{'name':'web'},
                 'spec':{'scaleTargetRef':{'kind':'Deployment','name':'web'},'maxReplicas':5,'targetCPUUtilizationPercentage':60}}""");
        ObjectNode v2 = conversion.convert(v1, "v2");
        assertThat(v2.path("apiVersion").asText()).isEqualTo("autoscaling/v2");
        assertThat(v2.path("spec")).isEqualTo(json("""
                {'scaleTargetRef':{'kind':'Deployment','name':'web'},'maxReplicas':5,
                 'metrics':[{'type':'Resource','resource':{'name':'cpu','target':{'type':'Utilization','averageUtilization':60}}}]}"""));
        assertThat(conversion.convert(v2, "v1").path("spec")).isEqualTo(v1.path("spec"));
        assertThat(v1.path("apiVersion").asText()).as("the input is not modified").isEqualTo("autoscaling/v1");
    }

    @Test
    void aV1ObjectWithoutATargetGetsKubesImplicitEightyPercent() {
        ObjectNode v2 = conversion.convert(json("""
                {'apiVersion':'autoscaling/v1','kind':'HorizontalPodAutoscaler','metadata':{'name':'web'},
                 'spec':{'scaleTargetRef':{'kind':'Deployment','name':'web'},'maxReplicas':5}}"""), "v2");
        assertThat(v2.at("/spec/metrics/0/resource/target/averageUtilization").asInt()).isEqualTo(80);
        assertThat(v2.at("/spec/metrics")).hasSize(1);
    }

    @Test
    void whatV1CannotSayTravelsInKubesAnnotationsAndComesBack() {
        ObjectNode v2 = json(V2_FULL);
        ObjectNode v1 = conversion.convert(v2, "v1");
        assertThat(v1.at("/spec/targetCPUUtilizationPercentage").asInt()).isEqualTo(70);
        assertThat(v1.at("/status/currentCPUUtilizationPercentage").asInt()).isEqualTo(65);
        assertThat(v1.at("/spec").has("metrics")).isFalse();
        JsonNode a = v1.at("/metadata/annotations");
        assertThat(a.path("team").asText()).isEqualTo("a");
        JsonNode others = Json.tree(a.path("autoscaling.alpha.kubernetes.io/metrics").asText().getBytes(StandardCharsets.UTF_8));
        assertThat(others).hasSize(4);
        assertThat(others.get(0)).isEqualTo(json("{'type':'Resource','resource':{'name':'memory','targetAverageValue':'500Mi'}}"));
        assertThat(others.get(1)).isEqualTo(json("{'type':'Pods','pods':{'metricName':'qps','targetAverageValue':'10'}}"));
        assertThat(others.get(2)).isEqualTo(json(
                "{'type':'External','external':{'metricName':'queue','metricSelector':{'matchLabels':{'q':'jobs'}},'targetValue':'30'}}"));
        assertThat(others.get(3)).isEqualTo(json("{'type':'Object','object':{'target':{'kind':'Ingress','name':'main',"
                + "'apiVersion':'networking.k8s.io/v1'},'metricName':'rps','targetValue':'2k'}}"));
        assertThat(a.path("autoscaling.alpha.kubernetes.io/current-metrics").asText())
                .isEqualTo("[{\"type\":\"Resource\",\"resource\":{\"name\":\"cpu\",\"currentAverageUtilization\":65,\"currentAverageValue\":\"130m\"}}]");
        assertThat(a.path("autoscaling.alpha.kubernetes.io/behavior").asText()).as("kube's internal type: Go field names")
                .isEqualTo("{\"ScaleUp\":null,\"ScaleDown\":{\"StabilizationWindowSeconds\":300,\"SelectPolicy\":\"Min\","
                        + "\"Policies\":[{\"Type\":\"Percent\",\"Value\":10,\"PeriodSeconds\":60}],\"Tolerance\":null}}");
        assertThat(a.path("autoscaling.alpha.kubernetes.io/conditions").asText()).contains("\"reason\":\"ReadyForNewScale\"");

        ObjectNode back = conversion.convert(v1, "v2");
        ObjectNode expected = v2.deepCopy();
        // kube puts the metrics v1 keeps in the annotation first, the CPU target after them
        com.fasterxml.jackson.databind.node.ArrayNode metrics = (com.fasterxml.jackson.databind.node.ArrayNode) expected.at("/spec/metrics");
        metrics.add(metrics.remove(1));
        assertThat(back).isEqualTo(expected);
    }

    @Test
    void malformedAnnotationsAreDroppedNotTrusted() {
        ObjectNode v1 = json("""
                {'apiVersion':'autoscaling/v1','kind':'HorizontalPodAutoscaler',
                 'metadata':{'name':'web','annotations':{'autoscaling.alpha.kubernetes.io/metrics':'not json',
                                                         'autoscaling.alpha.kubernetes.io/behavior':'[1]'}},
                 'spec':{'scaleTargetRef':{'kind':'Deployment','name':'web'},'maxReplicas':5,'targetCPUUtilizationPercentage':50}}""");
        ObjectNode v2 = conversion.convert(v1, "v2");
        assertThat(v2.at("/metadata").has("annotations")).isFalse();
        assertThat(v2.at("/spec/metrics")).hasSize(1);
        assertThat(v2.at("/spec").has("behavior")).isFalse();
    }

    @Test
    void aV2WriteDropsTheRoundTripAnnotations() {
        ObjectNode v2 = json(V2_FULL);
        ((ObjectNode) v2.at("/metadata/annotations")).put("autoscaling.alpha.kubernetes.io/conditions", "[]");
        assertThat(conversion.convert(v2, "v2").at("/metadata/annotations")).isEqualTo(json("{'team':'a'}"));
    }

    @Test
    void anUnknownVersionIsABadRequest() {
        assertThatThrownBy(() -> conversion.convert(json(V2_FULL), "v2beta1"))
                .isInstanceOf(KubeApiException.class).hasMessageContaining("v2beta1");
    }
}
