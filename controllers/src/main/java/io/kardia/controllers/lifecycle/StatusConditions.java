package io.kardia.controllers.lifecycle;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Conditions in a free-form {@code status} map (Namespace and CustomResourceDefinition keep their
 * status as a tree): sets one by type, keeping its {@code lastTransitionTime} while its status
 * stays the same, as kube-apiserver's helpers do.
 */
final class StatusConditions {
    private StatusConditions() {
    }

    /** A copy of {@code status} with the condition {@code type} set. */
    static Map<String, Object> set(Map<String, Object> status, String type, boolean isTrue, String reason,
                                   String message, Instant now) {
        Map<String, Object> next = status == null ? new LinkedHashMap<>() : new LinkedHashMap<>(status);
        List<Object> conditions = new ArrayList<>();
        String statusText = isTrue ? "True" : "False";
        String transition = now.truncatedTo(ChronoUnit.SECONDS).toString();
        if (next.get("conditions") instanceof List<?> existing) {
            for (Object c : existing) {
                if (c instanceof Map<?, ?> m && type.equals(m.get("type"))) {
                    if (statusText.equals(m.get("status")) && m.get("lastTransitionTime") != null) {
                        transition = Objects.toString(m.get("lastTransitionTime"));
                    }
                    continue;
                }
                conditions.add(c);
            }
        }
        Map<String, Object> condition = new LinkedHashMap<>();
        condition.put("type", type);
        condition.put("status", statusText);
        condition.put("lastTransitionTime", transition);
        condition.put("reason", reason);
        condition.put("message", message);
        conditions.add(condition);
        next.put("conditions", conditions);
        return next;
    }
}
