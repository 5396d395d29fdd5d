package io.kardia.store.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.validation.Causes;
import io.kardia.store.cel.CompiledRulesCache;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** apiextensions.k8s.io/v1 CustomResourceDefinition: the parts that make a kind servable. */
public final class CrdValidator implements KindValidator {
    private static final List<String> SCOPES = List.of("Cluster", "Namespaced");

    @Override
    public void validateCreate(ObjectNode object, Causes c) {
        validate(object, null, c);
    }

    private void validate(ObjectNode object, ObjectNode old, Causes c) {
        JsonNode spec = object.path("spec");
        String group = spec.path("group").asText("");
        String plural = spec.path("names").path("plural").asText("");
        String name = object.path("metadata").path("name").asText("");
        if (!name.equals(plural + "." + group)) {
            c.invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group");
        }
        if (group.isEmpty()) {
            c.required("spec.group", null);
        } else {
            for (String e : NameRules.dns1123Subdomain(group)) {
                c.invalid("spec.group", group, e);
            }
            if (!group.contains(".")) {
                c.invalid("spec.group", group, "should be a domain with at least one dot");
            }
        }
        if (plural.isEmpty()) {
            c.required("spec.names.plural", null);
        } else {
            for (String e : NameRules.dns1123Label(plural)) {
                c.invalid("spec.names.plural", plural, e);
            }
        }
        String kind = spec.path("names").path("kind").asText("");
        if (kind.isEmpty()) {
            c.required("spec.names.kind", null);
        }
        String scope = spec.path("scope").asText("");
        if (scope.isEmpty()) {
            c.required("spec.scope", null);
        } else if (!SCOPES.contains(scope)) {
            c.notSupported("spec.scope", scope, SCOPES);
        }
        conversion(spec.path("conversion"), c);
        JsonNode versions = spec.path("versions");
        if (!versions.isArray() || versions.isEmpty()) {
            c.invalid("spec.versions", versions, "must have exactly one version marked as storage version");
            return;
        }
        int storage = 0;
        int served = 0;
        Set<String> seen = new HashSet<>();
        int i = 0;
        for (JsonNode v : versions) {
            String vn = v.path("name").asText("");
            if (vn.isEmpty()) {
                c.required("spec.versions[" + i + "].name", null);
            } else if (!seen.add(vn)) {
                c.duplicate("spec.versions[" + i + "].name", vn);
            } else {
                for (String e : NameRules.dns1123Label(vn)) {
                    c.invalid("spec.versions[" + i + "].name", vn, e);
                }
            }
            JsonNode schema = v.path("schema").get("openAPIV3Schema");
            if (schema != null && schema.isObject()) {
                // Rules that do not compile, or cost too much, refuse the CRD (kube's wording and paths).
                CompiledRulesCache.rulesFor(schema).addProblems("spec.versions[" + i + "].schema.openAPIV3Schema", c);
                if (!schema.equals(oldSchema(old, vn))) {
                    // a default that fails its schema would refuse every object it is copied into
                    SchemaDefaultsValidator.validate("spec.versions[" + i + "].schema.openAPIV3Schema", schema, c);
                }
            }
            storage += v.path("storage").asBoolean(false) ? 1 : 0;
            served += v.path("served").asBoolean(false) ? 1 : 0;
            i++;
        }
        if (storage != 1) {
            c.invalid("spec.versions", versions, "must have exactly one version marked as storage version");
        }
        if (served == 0) {
            c.invalid("spec.versions", versions, "must have at least one version marked as served");
        }
    }

    @Override
    public void validateUpdate(ObjectNode object, ObjectNode old, Causes c) {
        validate(object, old, c);
        for (String f : List.of("group", "scope")) {
            JsonNode now = object.path("spec").path(f);
            if (!now.equals(old.path("spec").path(f))) {
                c.immutable("spec." + f, now);
            }
        }
    }

    /**
     * The schema version {@code name} had before this update (null on create or for a new version):
     * defaults of an unchanged schema are not checked again, so a CRD stored before the check
     * existed can still be updated.
     */
    private static JsonNode oldSchema(ObjectNode old, String name) {
        if (old == null) {
            return null;
        }
        for (JsonNode v : old.path("spec").path("versions")) {
            if (v.path("name").asText("").equals(name)) {
                return v.path("schema").get("openAPIV3Schema");
            }
        }
        return null;
    }

    /** {@code spec.conversion}: strategy None or Webhook; a webhook (with v1 reviews and a client config) exactly with Webhook. */
    private static void conversion(JsonNode conversion, Causes c) {
        if (conversion.isMissingNode() || conversion.isNull()) {
            return;
        }
        String strategy = conversion.path("strategy").asText("None");
        JsonNode webhook = conversion.get("webhook");
        boolean hasWebhook = webhook != null && !webhook.isNull();
        if (!List.of("None", "Webhook").contains(strategy)) {
            c.notSupported("spec.conversion.strategy", strategy, List.of("None", "Webhook"));
        } else if (strategy.equals("None") && hasWebhook) {
            c.forbidden("spec.conversion.webhook", "should not be set when strategy is not set to Webhook");
        } else if (strategy.equals("Webhook")) {
            if (!hasWebhook || !webhook.path("clientConfig").isObject()) {
                c.required("spec.conversion.webhook.clientConfig", "required when strategy is set to Webhook");
                return;
            }
            boolean v1 = false;
            for (JsonNode v : webhook.path("conversionReviewVersions")) {
                v1 |= v.asText().equals("v1");
            }
            if (!v1) {
                c.invalid("spec.conversion.webhook.conversionReviewVersions", webhook.path("conversionReviewVersions").toString(),
                        "must include at least one of v1 (the only ConversionReview version the store sends)");
            }
            JsonNode cc = webhook.get("clientConfig");
            if (cc.hasNonNull("url") == cc.hasNonNull("service")) {
                c.required("spec.conversion.webhook.clientConfig", "exactly one of url or service is required");
            } else if (cc.hasNonNull("url") && !cc.get("url").asText().startsWith("https://")) {
                c.invalid("spec.conversion.webhook.clientConfig.url", cc.get("url").asText(), "'https' is the only allowed URL scheme");
            }
        }
    }
}
