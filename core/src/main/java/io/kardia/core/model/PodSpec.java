package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * core/v1 PodSpec: the fields controllers, the scheduler and the node agent use; volumes,
 * affinity, securityContext and the rest are kept in {@link #extra()}.
 */
public record PodSpec(
        List<Container> initContainers,
        List<Container> containers,
        String restartPolicy,
        Long terminationGracePeriodSeconds,
        Long activeDeadlineSeconds,
        Map<String, String> nodeSelector,
        String serviceAccountName,
        String nodeName,
        Boolean hostNetwork,
        String schedulerName,
        List<Toleration> tolerations,
        String priorityClassName,
        Integer priority,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public PodSpec {
        initContainers = Frozen.list(initContainers);
        containers = Frozen.list(containers);
        nodeSelector = Frozen.map(nodeSelector);
        tolerations = Frozen.list(tolerations);
        extra = Frozen.tree(extra);
    }

    public static PodSpec of(Container... containers) {
        return builder().containers(List.of(containers)).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public PodSpec withNodeName(String node) {
        return toBuilder().nodeName(node).build();
    }

    public PodSpec withContainers(List<Container> newContainers) {
        return toBuilder().containers(newContainers).build();
    }

    public PodSpec withTolerations(List<Toleration> newTolerations) {
        return toBuilder().tolerations(newTolerations).build();
    }

    /** Sum of the containers' requests for a resource (init containers not counted). */
    public Quantity totalRequest(String resource) {
        Quantity sum = Quantity.ZERO;
        for (Container c : containers) {
            if (c.resources() != null) {
                sum = sum.add(c.resources().request(resource));
            }
        }
        return sum;
    }

    /** Mutable builder for a pod spec. */
    public static final class Builder {
        private final List<Container> initContainers = new ArrayList<>();
        private final List<Container> containers = new ArrayList<>();
        private String restartPolicy;
        private Long terminationGracePeriodSeconds;
        private Long activeDeadlineSeconds;
        private final Map<String, String> nodeSelector = new LinkedHashMap<>();
        private String serviceAccountName;
        private String nodeName;
        private Boolean hostNetwork;
        private String schedulerName;
        private final List<Toleration> tolerations = new ArrayList<>();
        private String priorityClassName;
        private Integer priority;
        private final Map<String, Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        private Builder(PodSpec s) {
            initContainers.addAll(s.initContainers);
            containers.addAll(s.containers);
            restartPolicy = s.restartPolicy;
            terminationGracePeriodSeconds = s.terminationGracePeriodSeconds;
            activeDeadlineSeconds = s.activeDeadlineSeconds;
            nodeSelector.putAll(s.nodeSelector);
            serviceAccountName = s.serviceAccountName;
            nodeName = s.nodeName;
            hostNetwork = s.hostNetwork;
            schedulerName = s.schedulerName;
            tolerations.addAll(s.tolerations);
            priorityClassName = s.priorityClassName;
            priority = s.priority;
            extra.putAll(s.extra);
        }

        public Builder initContainers(List<Container> v) { initContainers.clear(); initContainers.addAll(v); return this; }
        public Builder containers(List<Container> v) { containers.clear(); containers.addAll(v); return this; }
        public Builder container(Container v) { containers.add(v); return this; }
        public Builder restartPolicy(String v) { restartPolicy = v; return this; }
        public Builder terminationGracePeriodSeconds(Long v) { terminationGracePeriodSeconds = v; return this; }
        public Builder activeDeadlineSeconds(Long v) { activeDeadlineSeconds = v; return this; }
        public Builder nodeSelector(Map<String, String> v) { nodeSelector.clear(); nodeSelector.putAll(v); return this; }
        public Builder serviceAccountName(String v) { serviceAccountName = v; return this; }
        public Builder nodeName(String v) { nodeName = v; return this; }
        public Builder hostNetwork(Boolean v) { hostNetwork = v; return this; }
        public Builder schedulerName(String v) { schedulerName = v; return this; }
        public Builder tolerations(List<Toleration> v) { tolerations.clear(); tolerations.addAll(v); return this; }
        public Builder toleration(Toleration v) { tolerations.add(v); return this; }
        public Builder priorityClassName(String v) { priorityClassName = v; return this; }
        public Builder priority(Integer v) { priority = v; return this; }
        public Builder extra(String key, Object value) { extra.put(key, value); return this; }

        public PodSpec build() {
            return new PodSpec(initContainers, containers, restartPolicy, terminationGracePeriodSeconds,
                    activeDeadlineSeconds, nodeSelector, serviceAccountName, nodeName, hostNetwork, schedulerName,
                    tolerations, priorityClassName, priority, extra);
        }
    }
}
