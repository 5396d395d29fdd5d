package io.kardia.runtime.leader;

/**
 * The manager stopped because it lost its leader lease (the default
 * {@link LeadershipLossPolicy#EXIT}): {@code Manager.run()} throws it, so the process exits
 * non-zero and its supervisor starts a fresh one, as kube-controller-manager does.
 */
public class LeadershipLostException extends RuntimeException {
    public LeadershipLostException(String message) {
        super(message);
    }
}
