package io.kardia.runtime.simulation;

/**
 * A simulated manager's thread (a reconcile, an event handler) wrote through
 * {@link Simulation#client()}, the test's own client. That client does not go through the
 * manager's link to the store, so the write would reach the store even after the manager
 * crashed: the simulation refuses it and fails. The fix is to write through the manager's
 * clients, {@code manager.apiClient()} or {@code manager.client()}.
 */
public final class WriteBypassesManagerException extends IllegalStateException {
    private final String manager;

    WriteBypassesManagerException(String manager, String write) {
        super("thread " + Thread.currentThread().getName() + " of manager " + manager + " wrote through sim.client() ("
                + write + "): the test's client bypasses the manager's link to the store, so the write would survive a "
                + "simulated crash of the manager. Write through the manager's clients instead: manager.apiClient() "
                + "(or manager.client(), its cached one)");
        this.manager = manager;
    }

    /** The name the writing thread's manager was started with. */
    public String manager() {
        return manager;
    }
}
