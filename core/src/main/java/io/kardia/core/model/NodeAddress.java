package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/** core/v1 NodeAddress: type InternalIP, ExternalIP, Hostname... */
public record NodeAddress(String type, String address, @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    public NodeAddress {
        extra = Frozen.tree(extra);
    }

    public static NodeAddress of(String type, String address) {
        return new NodeAddress(type, address, null);
    }
}
