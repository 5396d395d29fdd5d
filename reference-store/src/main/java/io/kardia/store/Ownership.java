package io.kardia.store;

/**
 * Who a write is recorded for in {@code metadata.managedFields}.
 *
 * @param manager     the field manager (from {@code fieldManager}, else the User-Agent's product)
 * @param subresource {@code ""}, {@code status} or {@code scale}
 * @param tracked     false when the caller (apply) has set the managed fields already
 */
record Ownership(String manager, String subresource, boolean tracked) {
    /** The manager when a request names none and has no User-Agent (in-process writes). */
    static final String DEFAULT_MANAGER = "kardia";

    static Ownership update(String manager, String subresource) {
        return new Ownership(manager == null || manager.isEmpty() ? DEFAULT_MANAGER : manager, subresource, true);
    }

    static Ownership applied(String manager, String subresource) {
        return new Ownership(manager, subresource, false);
    }
}
