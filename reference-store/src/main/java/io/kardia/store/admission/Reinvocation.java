package io.kardia.store.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What one request's mutating admission remembers between its first round and the one
 * reinvocation round, as kube-apiserver's reinvocation context: whether a later round is needed,
 * and for each plugin (mutating policies, mutating webhooks) which {@code IfNeeded} invocations ran
 * before the object last changed, and the object the plugin last returned.
 */
final class Reinvocation {
    private boolean reinvoking;
    private boolean needed;
    final Plugin policies = new Plugin();
    final Plugin webhooks = new Plugin();

    /** True in the reinvocation round. */
    boolean reinvoking() {
        return reinvoking;
    }

    /** A plugin changed the object: the chain runs the plugins once more. */
    void require() {
        needed = true;
    }

    /** Starts the reinvocation round; false when no plugin asked for it. */
    boolean startRound() {
        if (!needed || reinvoking) {
            return false;
        }
        reinvoking = true;
        return true;
    }

    /** One plugin's bookkeeping (kube's webhookReinvokeContext / policyReinvokeContext). */
    static final class Plugin {
        private ObjectNode lastOutput;
        private final Set<Object> invokedIfNeeded = new HashSet<>();
        private final Set<Object> toReinvoke = new HashSet<>();

        /** Every IfNeeded invocation made so far is to be made again in the reinvocation round. */
        void reinvokePreviouslyInvoked() {
            toReinvoke.addAll(invokedIfNeeded);
            invokedIfNeeded.clear();
        }

        void invokedIfNeeded(Object key) {
            invokedIfNeeded.add(key);
        }

        boolean shouldReinvoke(Object key) {
            return toReinvoke.contains(key);
        }

        /** True when another plugin changed the object since this one last returned it. */
        boolean changedSinceLastOutput(ObjectNode object) {
            return !Objects.equals(lastOutput, object);
        }

        void output(ObjectNode object) {
            lastOutput = object;
        }
    }
}
