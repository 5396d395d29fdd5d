package io.kardia.store.auth;

import java.util.List;

/** Decides whether a request may proceed, and lists what a user may do (SelfSubjectRulesReview). */
public interface Authorizer {

    /** The answer: allowed or not, with kube's reason text ("" when there is nothing to say). */
    record Decision(boolean allowed, String reason) {
    }

    /** What a user may do in a namespace; {@code incomplete} when some bindings could not be evaluated. */
    record Rules(List<PolicyRule> resourceRules, List<PolicyRule> nonResourceRules, boolean incomplete, String evaluationError) {
    }

    Decision authorize(RequestAttributes request);

    Rules rulesFor(UserInfo user, String namespace);

    /** No authorization (kube's AlwaysAllow): every authenticated request may do anything. */
    Authorizer ALWAYS_ALLOW = new Authorizer() {
        @Override
        public Decision authorize(RequestAttributes request) {
            return new Decision(true, "");
        }

        @Override
        public Rules rulesFor(UserInfo user, String namespace) {
            return new Rules(List.of(PolicyRule.resources(List.of("*"), List.of("*"), List.of("*"))),
                    List.of(PolicyRule.urls(List.of("*"), List.of("*"))), false, "");
        }
    };
}
