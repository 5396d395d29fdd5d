package io.kardia.store.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;

/**
 * The store's admission chain, run on every write path (create, update, every patch type, apply,
 * status and other subresource writes, delete) in kube-apiserver's order: mutating admission
 * (MutatingAdmissionPolicies, then mutating webhooks, then once more those that asked to be
 * reinvoked when a later one changed the object) on the defaulted object,
 * after which the store validates the object again; then, before the commit, validating admission:
 * ValidatingAdmissionPolicies, then validating webhooks. A denial is a {@link KubeApiException}
 * with kube-apiserver's Status; nothing is stored.
 */
public final class AdmissionChain implements AutoCloseable {
    private final ValidatingPolicies policies;
    private final MutatingPolicies mutatingPolicies;
    private final WebhookConfigurations webhooks;

    public AdmissionChain(AdmissionContext context) {
        this.policies = new ValidatingPolicies(context);
        this.mutatingPolicies = new MutatingPolicies(context);
        this.webhooks = new WebhookConfigurations(context);
    }

    /** The ValidatingAdmissionPolicies and their bindings, kept in step with the stored objects. */
    public ValidatingPolicies policies() {
        return policies;
    }

    /** The MutatingAdmissionPolicies and their bindings, kept in step with the stored objects. */
    public MutatingPolicies mutatingPolicies() {
        return mutatingPolicies;
    }

    /** The webhook configurations, kept in step with the stored objects. */
    public WebhookConfigurations webhooks() {
        return webhooks;
    }

    /**
     * Mutating admission of {@code request}: the object to go on with ({@code request.object()}
     * itself when nothing changed it; never modified in place). Throws the denial.
     */
    public ObjectNode mutate(AdmissionRequest request) {
        return mutate(request, object -> { });
    }

    /**
     * Mutating admission of {@code request}, holding every changed object to {@code limits} before
     * it goes on to the next plugin: what a policy or webhook built (nested past the store's limit,
     * say) is refused with the store's typed error before it is sent to a webhook that could not
     * read it, or walked by the next policy.
     */
    public ObjectNode mutate(AdmissionRequest request, MutationLimits limits) {
        Reinvocation round = new Reinvocation();
        ObjectNode object = request.object();
        do {
            ObjectNode before = object;
            object = mutatingPolicies.mutate(withObject(request, object), object, round);
            if (object != before && object != null) {
                limits.check(object);
            }
            object = webhooks.mutate(withObject(request, object), object, round, limits);
        } while (round.startRound());
        return object == null || object.equals(request.object()) ? request.object() : object;
    }

    /** The store's write limits (nesting, field counts, string lengths), checked on a mutated object. */
    @FunctionalInterface
    public interface MutationLimits {
        /** Throws the store's typed refusal when {@code object} breaks a limit. */
        void check(ObjectNode object);
    }

    private static AdmissionRequest withObject(AdmissionRequest r, ObjectNode object) {
        return object == r.object() ? r
                : new AdmissionRequest(r.operation(), r.type(), r.subresource(), r.namespace(), r.name(), object, r.oldObject(), r.dryRun());
    }

    /** Validating admission of {@code request}; throws the denial. */
    public void validate(AdmissionRequest request) {
        policies.validate(request);
        webhooks.validate(request);
    }

    @Override
    public void close() {
        webhooks.close();
    }
}
