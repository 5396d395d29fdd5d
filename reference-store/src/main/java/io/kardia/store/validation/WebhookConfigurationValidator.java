package io.kardia.store.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.validation.Causes;
import io.kardia.store.admission.WebhookConfigurations;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration and MutatingWebhookConfiguration,
 * with kube-apiserver's rules for what the store must be able to call: a unique, fully qualified
 * name per webhook, exactly one of {@code url} (https, no user or fragment) and {@code service},
 * sideEffects None or NoneOnDryRun, admissionReviewVersions, timeoutSeconds 1 to 30, the enums,
 * and matchConditions that compile.
 */
public final class WebhookConfigurationValidator implements KindValidator {
    private final boolean mutating;

    public WebhookConfigurationValidator(boolean mutating) {
        this.mutating = mutating;
    }

    @Override
    public void validateCreate(ObjectNode object, Causes c) {
        Set<String> names = new HashSet<>();
        int i = 0;
        for (JsonNode w : object.path("webhooks")) {
            String at = "webhooks[" + i++ + "]";
            String name = w.path("name").asText("");
            if (name.isEmpty()) {
                c.required(at + ".name", null);
            } else if (!names.add(name)) {
                c.duplicate(at + ".name", name);
            } else if (name.split("\\.", -1).length < 3 || !NameRules.dns1123Subdomain(name).isEmpty()) {
                c.invalid(at + ".name", name, "should be a domain with at least three segments separated by dots");
            }
            if (w.path("admissionReviewVersions").isEmpty()) {
                c.required(at + ".admissionReviewVersions", "must specify one of v1, v1beta1");
            }
            oneOf(c, at + ".sideEffects", w.get("sideEffects"), List.of("None", "NoneOnDryRun"), "must specify one of None, NoneOnDryRun");
            oneOf(c, at + ".failurePolicy", w.get("failurePolicy"), List.of("Ignore", "Fail"), null);
            oneOf(c, at + ".matchPolicy", w.get("matchPolicy"), List.of("Exact", "Equivalent"), null);
            if (mutating) {
                oneOf(c, at + ".reinvocationPolicy", w.get("reinvocationPolicy"), List.of("Never", "IfNeeded"), null);
            }
            JsonNode timeout = w.get("timeoutSeconds");
            if (timeout != null && !timeout.isNull() && (timeout.asInt() < 1 || timeout.asInt() > 30)) {
                c.invalid(at + ".timeoutSeconds", timeout.asInt(), "the timeout value must be between 1 and 30 seconds");
            }
            clientConfig(c, at + ".clientConfig", w.path("clientConfig"));
            int j = 0;
            for (JsonNode mc : w.path("matchConditions")) {
                String mat = at + ".matchConditions[" + j++ + "]";
                String expression = mc.path("expression").asText("");
                if (mc.path("name").asText("").isEmpty()) {
                    c.required(mat + ".name", null);
                }
                if (expression.isEmpty()) {
                    c.required(mat + ".expression", null);
                } else {
                    WebhookConfigurations.matchConditionError(expression).ifPresent(e -> c.invalid(mat + ".expression", expression, e));
                }
            }
        }
    }

    private static void clientConfig(Causes c, String at, JsonNode cc) {
        boolean url = cc.hasNonNull("url");
        boolean service = cc.hasNonNull("service");
        if (url == service) {
            c.required(at, "exactly one of url or service is required");
            return;
        }
        if (url) {
            String u = cc.get("url").asText();
            try {
                URI parsed = new URI(u);
                if (!"https".equals(parsed.getScheme())) {
                    c.invalid(at + ".url", u, "'https' is the only allowed URL scheme");
                } else if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
                    c.invalid(at + ".url", u, "host must be specified");
                } else if (parsed.getRawUserInfo() != null) {
                    c.invalid(at + ".url", u, "user information is not permitted in the URL");
                } else if (parsed.getRawFragment() != null) {
                    c.invalid(at + ".url", u, "fragments are not permitted in the URL");
                }
            } catch (URISyntaxException e) {
                c.invalid(at + ".url", u, "url must be a valid URL: " + e.getReason());
            }
            return;
        }
        JsonNode s = cc.get("service");
        if (s.path("namespace").asText("").isEmpty()) {
            c.required(at + ".service.namespace", "service namespace is required");
        }
        if (s.path("name").asText("").isEmpty()) {
            c.required(at + ".service.name", "service name is required");
        }
        String path = s.path("path").asText("");
        if (s.hasNonNull("path") && !path.startsWith("/")) {
            c.invalid(at + ".service.path", path, "must start with a '/'");
        }
        if (s.hasNonNull("port") && (s.get("port").asInt() < 1 || s.get("port").asInt() > 65535)) {
            c.invalid(at + ".service.port", s.get("port").asInt(), "port is not valid: must be between 1 and 65535, inclusive");
        }
    }

    private static void oneOf(Causes c, String field, JsonNode value, List<String> allowed, String requiredDetail) {
        if (value == null || value.isNull()) {
            if (requiredDetail != null) {
                c.required(field, requiredDetail);
            }
            return;
        }
        if (!allowed.contains(value.asText())) {
            c.notSupported(field, value.asText(), allowed);
        }
    }
}
