package io.kardia.store.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.json.Json;
import io.kardia.core.model.Status;
import io.kardia.store.cel.KubeCel;
import io.kardia.store.cel.RuntimeCost;
import io.kardia.store.patch.JsonPatch;
import io.kardia.store.patch.PatchException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * admissionregistration.k8s.io/v1 MutatingWebhookConfigurations and ValidatingWebhookConfigurations,
 * kept in step with the stored objects and called as kube-apiserver's MutatingAdmissionWebhook and
 * ValidatingAdmissionWebhook plugins call them: mutating webhooks one after the other (by
 * configuration name, then in their order), each seeing the object as the previous ones patched it,
 * and those with {@code reinvocationPolicy: IfNeeded} called once more when a later webhook changed
 * the object; then validating webhooks. A webhook is called when its rules, namespace and object
 * selectors and matchConditions match; a dry run is refused by a webhook that may have side
 * effects. A refusal is kube's {@code admission webhook "x" denied the request: ...}; a webhook that
 * cannot be called (unreachable, timed out, garbage answer) is skipped under failurePolicy Ignore
 * and refuses the request (500, {@code failed calling webhook "x": ...}) under Fail.
 */
public final class WebhookConfigurations implements AutoCloseable {
    static final String MUTATING = "mutatingwebhookconfigurations.admissionregistration.k8s.io";
    static final String VALIDATING = "validatingwebhookconfigurations.admissionregistration.k8s.io";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookConfigurations.class);

    private final AdmissionContext context;
    private final WebhookServices services;
    private final WebhookCaller caller;
    private final Map<String, List<Webhook>> mutatingConfigs = new ConcurrentSkipListMap<>();
    private final Map<String, List<Webhook>> validatingConfigs = new ConcurrentSkipListMap<>();
    private volatile List<Webhook> mutating = List.of();
    private volatile List<Webhook> validating = List.of();
    /** The conversion webhooks of CRDs, by CRD name. */
    private final Map<String, Webhook> conversions = new java.util.concurrent.ConcurrentHashMap<>();

    WebhookConfigurations(AdmissionContext context) {
        this.context = context;
        this.services = new WebhookServices(context);
        this.caller = new WebhookCaller(services);
    }

    /** True for the two resources this keeps in step with. */
    public static boolean isWebhookResource(String groupResource) {
        return groupResource.equals(MUTATING) || groupResource.equals(VALIDATING);
    }

    /** Why a webhook's matchCondition {@code expression} does not compile, if it does not (refuses the configuration). */
    public static java.util.Optional<String> matchConditionError(String expression) {
        return java.util.Optional.ofNullable(Webhook.compile("", expression).error());
    }

    /**
     * The converter of a CRD with {@code conversion.strategy: Webhook} ({@code crd} the CRD
     * object): calls its {@code conversion.webhook.clientConfig} with ConversionReviews.
     */
    public io.kardia.store.conversion.VersionConverter conversionWebhook(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        ObjectNode hookSpec = Json.mapper().createObjectNode();
        hookSpec.put("name", crd.path("metadata").path("name").asText());
        hookSpec.set("clientConfig", spec.path("conversion").path("webhook").path("clientConfig"));
        hookSpec.put("timeoutSeconds", 30); // kube-apiserver's fixed conversion timeout
        Webhook hook = new Webhook(crd.path("metadata").path("name").asText(), hookSpec, false);
        conversions.put(hook.name, hook);
        retainClients();
        return new ConversionWebhook(spec.path("group").asText(), spec.path("names").path("kind").asText(), hook, caller);
    }

    /** A CRD's conversion webhook is no longer used. */
    public void conversionRemoved(String crdName) {
        if (conversions.remove(crdName) != null) {
            retainClients();
        }
    }

    private synchronized void retainClients() {
        List<Webhook> live = new ArrayList<>(mutating);
        live.addAll(validating);
        live.addAll(conversions.values());
        caller.retain(live);
    }

    /** How service references of webhooks are reached (addresses can be mapped here). */
    public WebhookServices services() {
        return services;
    }

    /** A configuration written ({@code object}) or removed ({@code null}); its webhooks are read here, once. */
    public synchronized void onChange(String groupResource, String name, ObjectNode object) {
        boolean isMutating = groupResource.equals(MUTATING);
        Map<String, List<Webhook>> configs = isMutating ? mutatingConfigs : validatingConfigs;
        if (object == null) {
            configs.remove(name);
        } else {
            List<Webhook> hooks = new ArrayList<>();
            for (JsonNode w : object.path("webhooks")) {
                hooks.add(new Webhook(name, w, isMutating));
            }
            configs.put(name, List.copyOf(hooks));
        }
        List<Webhook> all = new ArrayList<>();
        configs.values().forEach(all::addAll);
        if (isMutating) {
            mutating = List.copyOf(all);
        } else {
            validating = List.copyOf(all);
        }
        retainClients();
    }

    /**
     * One round of the mutating webhooks over {@code object} (the request's object as the chain
     * left it): the object after every matching webhook patched it ({@code object} itself when none
     * did; never modified). A webhook that changed the object makes every {@code IfNeeded} webhook
     * called before it due again in the reinvocation round, as kube-apiserver; in that round only
     * those run (all IfNeeded ones called so far when another plugin changed the object since).
     * DELETE requests are sent too (a webhook may refuse them); there is no object to patch.
     */
    ObjectNode mutate(AdmissionRequest r, ObjectNode object, Reinvocation round, AdmissionChain.MutationLimits limits) {
        List<Webhook> hooks = mutating;
        if (hooks.isEmpty()) {
            return object;
        }
        Reinvocation.Plugin state = round.webhooks;
        if (round.reinvoking() && state.changedSinceLastOutput(object)) {
            state.reinvokePreviouslyInvoked();
        }
        for (Webhook hook : hooks) {
            if (round.reinvoking() && !state.shouldReinvoke(hook)) {
                continue; // a webhook is never called for the first time in the reinvocation round
            }
            AdmissionReviews.Response answer = admit(hook, withObject(r, object));
            if (answer == null) {
                continue;
            }
            if (answer.patch() != null && object != null) {
                ObjectNode patched = patched(hook, object, answer.patch());
                if (!patched.equals(object)) {
                    limits.check(patched); // before the next webhook is sent what this one built
                    object = patched;
                    state.reinvokePreviouslyInvoked();
                    round.require();
                }
            }
            if (hook.reinvokeIfNeeded) {
                state.invokedIfNeeded(hook);
            }
        }
        state.output(object);
        return object;
    }

    /** Validating admission of {@code r}: every matching validating webhook must allow it. */
    void validate(AdmissionRequest r) {
        for (Webhook hook : validating) {
            admit(hook, r);
        }
    }

    @Override
    public void close() {
        caller.close();
    }

    /**
     * Calls {@code hook} if it matches {@code r}: its answer (null when it does not match, or
     * failed under failurePolicy Ignore).
     *
     * @throws KubeApiException the webhook's refusal, or the failure to call it under failurePolicy Fail
     */
    private AdmissionReviews.Response admit(Webhook hook, AdmissionRequest r) {
        try {
            if (!PolicyMatcher.matches(hook.constraints, r, context) || !conditionsMatch(hook, r)) {
                return null;
            }
            if (r.dryRun() && !hook.supportsDryRun()) {
                throw KubeApiException.of(Status.badRequest("admission webhook \"" + hook.name + "\" does not support dry run"));
            }
            if (!hook.acceptsV1) {
                throw new WebhookCallException("webhook does not accept known AdmissionReview versions (the store sends v1)");
            }
            String uid = UUID.randomUUID().toString();
            byte[] body = caller.call(hook, AdmissionReviews.request(uid, r, r.object()));
            AdmissionReviews.Response answer = AdmissionReviews.response(body, uid);
            for (String w : answer.warnings()) {
                if (!AdmissionWarnings.add(w)) {
                    LOG.warn("admission webhook {}: {}", hook.name, w);
                }
            }
            if (!answer.allowed()) {
                throw KubeApiException.of(denied(hook, answer.status()));
            }
            return answer;
        } catch (WebhookCallException e) {
            if (hook.failOpen) {
                LOG.warn("Failed calling webhook, failing open {}: {}", hook.name, e.getMessage());
                return null;
            }
            LOG.warn("Failed calling webhook, failing closed {}: {}", hook.name, e.getMessage());
            String message = "failed calling webhook \"" + hook.name + "\": " + e.getMessage();
            throw KubeApiException.of(Status.failure(500, "InternalError", "Internal error occurred: " + message,
                    new Status.Details(null, null, null, null, List.of(new Status.Cause(null, message, null)), null, null)));
        }
    }

    private static boolean conditionsMatch(Webhook hook, AdmissionRequest r) throws WebhookCallException {
        if (hook.matchConditions.isEmpty()) {
            return true;
        }
        Map<String, Object> vars = new HashMap<>();
        vars.put("object", CelJson.value(r.object()));
        vars.put("oldObject", CelJson.value(r.oldObject()));
        vars.put("request", ValidatingPolicies.requestValue(r));
        AdmissionUser.putAuthorizer(vars, r);
        for (Webhook.Condition c : hook.matchConditions) {
            Object result;
            try {
                result = c.expr().eval(vars, new RuntimeCost(KubeCel.PER_CALL_LIMIT));
            } catch (RuntimeException | dev.cel.runtime.CelEvaluationException e) {
                throw new WebhookCallException("failed to evaluate match conditions: matchCondition '" + c.name() + "': " + e.getMessage(), e);
            }
            if (!Boolean.TRUE.equals(result)) {
                return false;
            }
        }
        return true;
    }

    /** The object with a mutating webhook's JSON patch applied; a patch that does not apply is an internal error (kube). */
    private static ObjectNode patched(Webhook hook, ObjectNode object, JsonNode patch) {
        try {
            JsonNode out = JsonPatch.apply(object, patch);
            if (!(out instanceof ObjectNode o)) {
                throw new PatchException("the patched object is not a JSON object", false);
            }
            return o;
        } catch (PatchException | KubeApiException e) {
            String message = "failed calling webhook \"" + hook.name + "\": the JSON patch it returned does not apply: " + e.getMessage();
            throw KubeApiException.of(Status.internalError("Internal error occurred: " + message));
        }
    }

    /** kube's ToStatusErr: the webhook's Status, with its code raised to at least 400 and the webhook named in the message. */
    private static Status denied(Webhook hook, JsonNode result) {
        String deniedBy = "admission webhook \"" + hook.name + "\" denied the request";
        JsonNode s = result == null ? Json.mapper().createObjectNode() : result;
        int code = s.path("code").asInt(0);
        String reason = s.path("reason").asText("");
        String message = s.path("message").asText("");
        String full = !message.isEmpty() ? deniedBy + ": " + message
                : !reason.isEmpty() ? deniedBy + ": " + reason : deniedBy + " without explanation";
        Status.Details details = null;
        if (s.path("details").isObject()) {
            try {
                details = Json.mapper().treeToValue(s.get("details"), Status.Details.class);
            } catch (java.io.IOException | IllegalArgumentException e) {
                LOG.debug("admission webhook {} returned unreadable status details: {}", hook.name, e.getMessage());
            }
        }
        return Status.failure(code < 400 ? 400 : code, reason.isEmpty() ? null : reason, full, details);
    }

    private static AdmissionRequest withObject(AdmissionRequest r, ObjectNode object) {
        return object == r.object() ? r
                : new AdmissionRequest(r.operation(), r.type(), r.subresource(), r.namespace(), r.name(), object, r.oldObject(), r.dryRun());
    }
}
