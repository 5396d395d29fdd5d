package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.Map;

/** coordination.k8s.io/v1 LeaseSpec; the times are MicroTimes on the wire. */
public record LeaseSpec(
        String holderIdentity,
        Integer leaseDurationSeconds,
        @JsonSerialize(using = MicroTime.Serializer.class) Instant acquireTime,
        @JsonSerialize(using = MicroTime.Serializer.class) Instant renewTime,
        Integer leaseTransitions,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public LeaseSpec {
        extra = Frozen.tree(extra);
    }

    public static LeaseSpec of(String holderIdentity, int leaseDurationSeconds, Instant acquireTime, Instant renewTime,
                               int leaseTransitions) {
        return new LeaseSpec(holderIdentity, leaseDurationSeconds, acquireTime, renewTime, leaseTransitions, null);
    }

    public LeaseSpec withRenewTime(Instant t) {
        return new LeaseSpec(holderIdentity, leaseDurationSeconds, acquireTime, t, leaseTransitions, extra);
    }

    public LeaseSpec withHolder(String holder, Instant acquired, int transitions) {
        return new LeaseSpec(holder, leaseDurationSeconds, acquired, acquired, transitions, extra);
    }
}
