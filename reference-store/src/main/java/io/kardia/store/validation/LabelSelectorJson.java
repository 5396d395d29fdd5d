package io.kardia.store.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.validation.Causes;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** A metav1.LabelSelector in JSON form: validation and matching against a labels object. */
public final class LabelSelectorJson {
    private static final List<String> OPERATORS = List.of("In", "NotIn", "Exists", "DoesNotExist");

    private LabelSelectorJson() {
    }

    public static boolean isEmpty(JsonNode selector) {
        return selector.path("matchLabels").isEmpty() && selector.path("matchExpressions").isEmpty();
    }

    public static void validate(JsonNode selector, String field, Causes c) {
        ObjectMetaValidator.validateLabels(selector.path("matchLabels"), field + ".matchLabels", c);
        int i = 0;
        for (JsonNode e : selector.path("matchExpressions")) {
            String f = field + ".matchExpressions[" + i++ + "]";
            String op = e.path("operator").asText("");
            if (!OPERATORS.contains(op)) {
                c.notSupported(f + ".operator", op, OPERATORS);
                continue;
            }
            boolean needsValues = op.equals("In") || op.equals("NotIn");
            if (needsValues && e.path("values").isEmpty()) {
                c.required(f + ".values", "must be specified when `operator` is 'In' or 'NotIn'");
            } else if (!needsValues && !e.path("values").isEmpty()) {
                c.forbidden(f + ".values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
            }
            for (String err : NameRules.qualifiedName(e.path("key").asText(""))) {
                c.invalid(f + ".key", e.path("key").asText(""), err);
            }
        }
    }

    public static boolean matches(JsonNode selector, JsonNode labels) {
        for (Iterator<Map.Entry<String, JsonNode>> it = selector.path("matchLabels").fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        for (JsonNode e : selector.path("matchExpressions")) {
            String key = e.path("key").asText();
            boolean has = labels.has(key);
            String value = labels.path(key).asText(null);
            boolean inValues = false;
            for (JsonNode v : e.path("values")) {
                inValues |= v.asText().equals(value);
            }
            boolean ok = switch (e.path("operator").asText()) {
                case "In" -> has && inValues;
                case "NotIn" -> !has || !inValues;
                case "Exists" -> has;
                case "DoesNotExist" -> !has;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
