package io.kardia.core.client;

/**
 * metav1.DeleteOptions.
 *
 * @param propagationPolicy  what happens to dependents; null lets the server pick its default
 *                           (Background for most kinds)
 * @param preconditionUid    delete only if the object still has this uid
 * @param preconditionResourceVersion delete only if the object is still at this version
 * @param gracePeriodSeconds seconds before the object is removed (pods); null for the default
 * @param dryRun             check and return without deleting
 */
public record DeleteOptions(PropagationPolicy propagationPolicy, String preconditionUid,
                            String preconditionResourceVersion, Long gracePeriodSeconds, boolean dryRun) {

    public static final DeleteOptions DEFAULT = new DeleteOptions(null, null, null, null, false);

    public static DeleteOptions propagation(PropagationPolicy policy) {
        return new DeleteOptions(policy, null, null, null, false);
    }

    public DeleteOptions withPreconditions(String uid, String resourceVersion) {
        return new DeleteOptions(propagationPolicy, uid, resourceVersion, gracePeriodSeconds, dryRun);
    }

    public DeleteOptions withGracePeriodSeconds(Long seconds) {
        return new DeleteOptions(propagationPolicy, preconditionUid, preconditionResourceVersion, seconds, dryRun);
    }

    /** How dependents (objects whose ownerReferences name this one) are treated. */
    public enum PropagationPolicy {
        /** Delete the owner now; the garbage collector deletes dependents afterwards. */
        Background,
        /** Keep the owner (with the {@code foregroundDeletion} finalizer) until blocking dependents are gone. */
        Foreground,
        /** Remove the owner references from dependents and leave them. */
        Orphan
    }
}
