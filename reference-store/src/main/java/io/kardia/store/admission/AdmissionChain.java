package io.kardia.store.admission;

import io.kardia.core.client.KubeApiException;

/**
 * The store's admission chain, run on every write path (create, update, every patch type, apply,
 * status and other subresource writes, delete) after the object has been defaulted and validated,
 * before it is committed: mutating admission first (none yet; MutatingAdmissionPolicy and
 * mutating webhooks will plug in here), then validating admission — ValidatingAdmissionPolicies
 * now, validating webhooks later. A denial is a {@link KubeApiException} with kube-apiserver's
 * Status; nothing is stored.
 */
public final class AdmissionChain {
    private final ValidatingPolicies policies;

    public AdmissionChain(AdmissionContext context) {
        this.policies = new ValidatingPolicies(context);
    }

    /** The ValidatingAdmissionPolicies and their bindings, kept in step with the stored objects. */
    public ValidatingPolicies policies() {
        return policies;
    }

    /** Validating admission of {@code request}; throws the denial. */
    public void validate(AdmissionRequest request) {
        policies.validate(request);
    }
}
