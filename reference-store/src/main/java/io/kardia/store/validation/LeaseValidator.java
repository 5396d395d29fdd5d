package io.kardia.store.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.validation.Causes;

/** coordination.k8s.io/v1 Lease. */
public final class LeaseValidator implements KindValidator {
    @Override
    public void validateCreate(ObjectNode object, Causes c) {
        JsonNode spec = object.path("spec");
        JsonNode duration = spec.path("leaseDurationSeconds");
        if (duration.isNumber() && duration.asLong() <= 0) {
            c.invalid("spec.leaseDurationSeconds", duration, "must be greater than 0");
        }
        JsonNode transitions = spec.path("leaseTransitions");
        if (transitions.isNumber() && transitions.asLong() < 0) {
            c.invalid("spec.leaseTransitions", transitions, "must be greater than or equal to 0");
        }
    }
}
