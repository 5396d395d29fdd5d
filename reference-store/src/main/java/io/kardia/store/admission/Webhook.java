package io.kardia.store.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import io.kardia.core.json.Json;
import io.kardia.store.cel.KubeCel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One webhook of a ValidatingWebhookConfiguration or MutatingWebhookConfiguration, read once when
 * its configuration is written: what it matches (rules, matchPolicy, namespace and object
 * selectors, as a policy's matchConstraints), its matchConditions compiled with {@link KubeCel},
 * how it is called (url or service, caBundle, timeout) and what failure means. kube-apiserver's
 * v1 defaults apply to fields left out (failurePolicy Fail, timeoutSeconds 10, reinvocationPolicy Never).
 */
final class Webhook {
    /** The CEL environment, built on first use: configurations without matchConditions never pay for it. */
    private static final class Cel {
        static final KubeCel ENV = KubeCel.of(variables(), null);
    }

    /** One compiled matchCondition, or the compile error it fails with. */
    record Condition(String name, CompiledPolicy.Expr expr) {
    }

    /** Where the webhook is: a URL, or a service reference resolved at each call. */
    record Target(String url, String serviceNamespace, String serviceName, int servicePort, String path) {
        boolean isService() {
            return url == null;
        }

        /** The host name a service's certificate must name (kube's {@code <name>.<namespace>.svc}). */
        String serviceHost() {
            return serviceName + "." + serviceNamespace + ".svc";
        }
    }

    final String configuration;
    final String name;
    final boolean mutating;
    final ObjectNode constraints;
    final List<Condition> matchConditions = new ArrayList<>();
    final boolean failOpen;
    final String sideEffects;
    final int timeoutSeconds;
    final boolean reinvokeIfNeeded;
    final boolean acceptsV1;
    final Target target;
    final byte[] caBundle;

    Webhook(String configuration, JsonNode spec, boolean mutating) {
        this.configuration = configuration;
        this.name = spec.path("name").asText();
        this.mutating = mutating;
        this.constraints = Json.mapper().createObjectNode();
        constraints.set("resourceRules", spec.path("rules").isArray() ? spec.get("rules") : Json.mapper().createArrayNode());
        for (String f : List.of("namespaceSelector", "objectSelector", "matchPolicy")) {
            if (spec.hasNonNull(f)) {
                constraints.set(f, spec.get(f));
            }
        }
        for (JsonNode c : spec.path("matchConditions")) {
            matchConditions.add(new Condition(c.path("name").asText(), compile(c.path("name").asText(), c.path("expression").asText(""))));
        }
        this.failOpen = "Ignore".equals(spec.path("failurePolicy").asText("Fail"));
        this.sideEffects = spec.path("sideEffects").asText("Unknown");
        // kube: 1 to 30 seconds, 10 by default
        this.timeoutSeconds = Math.max(1, Math.min(30, spec.path("timeoutSeconds").asInt(10)));
        this.reinvokeIfNeeded = mutating && "IfNeeded".equals(spec.path("reinvocationPolicy").asText("Never"));
        boolean v1 = false;
        for (JsonNode v : spec.path("admissionReviewVersions")) {
            v1 |= v.asText().equals("v1");
        }
        this.acceptsV1 = v1 || spec.path("admissionReviewVersions").isMissingNode();
        JsonNode client = spec.path("clientConfig");
        JsonNode service = client.path("service");
        if (client.hasNonNull("url")) {
            this.target = new Target(client.get("url").asText(), null, null, 0, null);
        } else {
            this.target = new Target(null, service.path("namespace").asText(), service.path("name").asText(),
                    service.path("port").asInt(443), service.path("path").asText(""));
        }
        this.caBundle = client.hasNonNull("caBundle") ? decode(client.get("caBundle").asText()) : null;
    }

    /** A matchCondition's expression, compiled over {@code object}, {@code oldObject} and {@code request}; must be a bool. */
    static CompiledPolicy.Expr compile(String name, String expression) {
        KubeCel.Compiled compiled = Cel.ENV.compile(expression, SimpleType.BOOL, "must evaluate to bool");
        return new CompiledPolicy.Expr(name, expression, compiled.program(), compiled.ok() ? null : compiled.error());
    }

    /** The webhook's name as errors and logs print it. */
    String name() {
        return name;
    }

    /** True when a dry-run request may call this webhook (kube: sideEffects None or NoneOnDryRun). */
    boolean supportsDryRun() {
        return sideEffects.equals("None") || sideEffects.equals("NoneOnDryRun");
    }

    private static byte[] decode(String base64) {
        try {
            return java.util.Base64.getDecoder().decode(base64.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            return new byte[0]; // not base64: no certificate in it, found when the webhook is called
        }
    }

    private static Map<String, CelType> variables() {
        Map<String, CelType> v = new LinkedHashMap<>();
        for (String n : List.of("object", "oldObject", "request")) {
            v.put(n, SimpleType.DYN);
        }
        v.putAll(io.kardia.store.cel.AuthorizerLibrary.variables());
        return v;
    }
}
