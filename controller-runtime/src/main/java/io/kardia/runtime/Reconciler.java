package io.kardia.runtime;

/**
 * Brings one object's world to its desired state. Level-triggered: it reads the current state
 * (from the manager's cache) every time and must give the same outcome however often, and in
 * whatever order, it is called. The controller never runs two reconciles of one request at once.
 *
 * <p>Return a {@link Result}; throw to retry with per-key backoff; throw a
 * {@link TerminalException} for a failure that retrying cannot fix.
 */
@FunctionalInterface
public interface Reconciler {

    Result reconcile(Request request) throws Exception;
}
