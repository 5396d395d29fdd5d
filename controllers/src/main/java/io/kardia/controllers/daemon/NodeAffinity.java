package io.kardia.controllers.daemon;

import io.kardia.core.model.Node;
import io.kardia.core.model.PodSpec;
import java.util.List;
import java.util.Map;

/**
 * A pod's required node placement as kube's {@code nodeaffinity.GetRequiredNodeAffinity}: its
 * {@code nodeSelector} and, if present, {@code affinity.nodeAffinity.requiredDuringScheduling...}
 * {@code nodeSelectorTerms} (any term; within a term every {@code matchExpressions} on labels
 * — In, NotIn, Exists, DoesNotExist, Gt, Lt — and every {@code matchFields} on {@code metadata.name}).
 * A term with no requirements matches no node.
 */
final class NodeAffinity {

    private NodeAffinity() {
    }

    static boolean matches(PodSpec spec, Node node) {
        Map<String, String> labels = node.metadata().labels();
        for (var e : spec.nodeSelector().entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        Object terms = path(spec.extra().get("affinity"), "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution",
                "nodeSelectorTerms");
        if (!(terms instanceof List<?> list)) {
            return true;
        }
        for (Object term : list) {
            if (term instanceof Map<?, ?> t && termMatches(t, node)) {
                return true;
            }
        }
        return false;
    }

    /** The value at {@code steps} inside nested maps, or null. */
    static Object path(Object root, String... steps) {
        Object cur = root;
        for (String s : steps) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(s);
        }
        return cur;
    }

    private static boolean termMatches(Map<?, ?> term, Node node) {
        List<?> expressions = term.get("matchExpressions") instanceof List<?> l ? l : List.of();
        List<?> fields = term.get("matchFields") instanceof List<?> l ? l : List.of();
        if (expressions.isEmpty() && fields.isEmpty()) {
            return false;
        }
        for (Object e : expressions) {
            if (!(e instanceof Map<?, ?> req) || !requirementMatches(req, node.metadata().labels())) {
                return false;
            }
        }
        for (Object f : fields) {
            if (!(f instanceof Map<?, ?> req)) {
                return false;
            }
            if (!"metadata.name".equals(req.get("key"))) {
                return false; // kube supports no other field
            }
            if (!requirementMatches(req, Map.of("metadata.name", node.metadata().name()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean requirementMatches(Map<?, ?> req, Map<String, String> values) {
        String key = String.valueOf(req.get("key"));
        String op = String.valueOf(req.get("operator"));
        List<?> wanted = req.get("values") instanceof List<?> l ? l : List.of();
        String have = values.get(key);
        return switch (op) {
            case "In" -> have != null && wanted.stream().anyMatch(v -> String.valueOf(v).equals(have));
            case "NotIn" -> have == null || wanted.stream().noneMatch(v -> String.valueOf(v).equals(have));
            case "Exists" -> have != null;
            case "DoesNotExist" -> have == null;
            case "Gt", "Lt" -> have != null && wanted.size() == 1 && compare(have, String.valueOf(wanted.get(0)), op);
            default -> false;
        };
    }

    private static boolean compare(String have, String bound, String op) {
        try {
            long h = Long.parseLong(have);
            long b = Long.parseLong(bound);
            return "Gt".equals(op) ? h > b : h < b;
        } catch (NumberFormatException notANumber) {
            return false;
        }
    }
}
