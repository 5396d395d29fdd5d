package io.kardia.kubeapi.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the markers from protoc's Java output, in the shape client-java-proto's sources have. */
class ProtoMarkersTest {
    private static final String SOURCE = """
            public final class V1 {
              public interface PodSpecOrBuilder extends
                  // @@protoc_insertion_point(interface_extends:k8s.io.api.core.v1.PodSpec)
                  com.google.protobuf.MessageOrBuilder {
                /**
                 * <pre>
                 * List of containers belonging to the pod.
                 * +patchMergeKey=name
                 * +patchStrategy=merge
                 * +listType=map
                 * +listMapKey=name
                 * </pre>
                 *
                 * <code>repeated .k8s.io.api.core.v1.Container containers = 2;</code>
                 */
                java.util.List<io.kubernetes.client.proto.V1.Container> getContainersList();
                /**
                 * <pre>
                 * NodeSelector is a selector which must be true for the pod to fit on a node.
                 * +optional
                 * +mapType=atomic
                 * </pre>
                 *
                 * <code>map&lt;string, string&gt; nodeSelector = 7;</code>
                 */
                int getNodeSelectorCount();
              }
              /**
               * <pre>
               * PodSpec is a description of a pod.
               * </pre>
               *
               * Protobuf type {@code k8s.io.api.core.v1.PodSpec}
               */
              public static final class PodSpec {
                /**
                 * <pre>
                 * List of containers belonging to the pod.
                 * +patchMergeKey=name
                 * +patchStrategy=merge
                 * +listType=map
                 * +listMapKey=name
                 * </pre>
                 *
                 * <code>repeated .k8s.io.api.core.v1.Container containers = 2;</code>
                 */
                public java.util.List<io.kubernetes.client.proto.V1.Container> getContainersList() { return null; }
              }
              public interface ServicePortOrBuilder extends
                  // @@protoc_insertion_point(interface_extends:k8s.io.api.core.v1.ServicePort)
                  com.google.protobuf.MessageOrBuilder {
                /**
                 * <pre>
                 * The IP protocol for this port.
                 * Default is TCP.
                 * +default=&quot;TCP&quot;
                 * </pre>
                 *
                 * <code>optional string protocol = 2;</code>
                 */
                boolean hasProtocol();
              }
              /**
               * <pre>
               * A label selector is a label query over a set of resources.
               * +structType=atomic
               * </pre>
               *
               * Protobuf type {@code k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector}
               */
              public static final class LabelSelector {
              }
              public interface ServiceSpecOrBuilder extends
                  // @@protoc_insertion_point(interface_extends:k8s.io.api.core.v1.ServiceSpec)
                  com.google.protobuf.MessageOrBuilder {
                /**
                 * <pre>
                 * The list of ports that are exposed by this service.
                 * +listType=map
                 * +listMapKey=port
                 * +listMapKey=protocol
                 * </pre>
                 *
                 * <code>repeated .k8s.io.api.core.v1.ServicePort ports = 1;</code>
                 */
                int getPortsCount();
                /**
                 * <code>optional string type = 4;</code>
                 */
                boolean hasType();
              }
            }
            """;

    @Test
    void readsFieldAndTypeMarkersAndKeepsEachFieldWithItsMessage() {
        Map<String, Map<String, List<String>>> types = new HashMap<>();
        Map<String, Map<String, List<String>>> fields = new HashMap<>();
        ProtoMarkers.readFile(SOURCE, types, fields);

        assertThat(fields.get("k8s.io.api.core.v1.PodSpec.containers")).isEqualTo(Map.of("patchMergeKey", List.of("name"),
                "patchStrategy", List.of("merge"), "listType", List.of("map"), "listMapKey", List.of("name")));
        assertThat(fields.get("k8s.io.api.core.v1.PodSpec.nodeSelector")).isEqualTo(Map.of("mapType", List.of("atomic")));
        assertThat(fields.get("k8s.io.api.core.v1.ServicePort.protocol")).isEqualTo(Map.of("default", List.of("\"TCP\"")));
        assertThat(fields.get("k8s.io.api.core.v1.ServiceSpec.ports").get("listMapKey")).containsExactly("port", "protocol");
        assertThat(fields.get("k8s.io.api.core.v1.ServiceSpec.type")).as("a field without a comment").isEmpty();
        assertThat(types.get("k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector")).isEqualTo(Map.of("structType", List.of("atomic")));
        assertThat(types.get("k8s.io.api.core.v1.PodSpec")).isEmpty();
        assertThat(fields).doesNotContainKey("k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector.ports");
    }
}
