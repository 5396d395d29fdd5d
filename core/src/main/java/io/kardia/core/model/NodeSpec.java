package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/** core/v1 NodeSpec. */
public record NodeSpec(
        String podCIDR,
        List<String> podCIDRs,
        String providerID,
        Boolean unschedulable,
        List<Taint> taints,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public NodeSpec {
        podCIDRs = Frozen.list(podCIDRs);
        taints = Frozen.list(taints);
        extra = Frozen.tree(extra);
    }

    public static NodeSpec empty() {
        return new NodeSpec(null, null, null, null, null, null);
    }

    public NodeSpec withUnschedulable(Boolean v) {
        return new NodeSpec(podCIDR, podCIDRs, providerID, v, taints, extra);
    }

    public NodeSpec withTaints(List<Taint> newTaints) {
        return new NodeSpec(podCIDR, podCIDRs, providerID, unschedulable, newTaints, extra);
    }

    public NodeSpec withPodCIDR(String cidr) {
        return new NodeSpec(cidr, cidr == null ? List.of() : List.of(cidr), providerID, unschedulable, taints, extra);
    }
}
