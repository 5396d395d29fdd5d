package io.kardia.core.client;

/**
 * Options of create, update and patch.
 *
 * @param dryRun       validate and return the result without storing it ({@code dryRun=All})
 * @param fieldManager name of the writer, recorded by servers that track field ownership (required for apply)
 * @param force        server-side apply only: take ownership of fields other managers own instead of failing with a conflict
 */
public record WriteOptions(boolean dryRun, String fieldManager, boolean force) {
    public static final WriteOptions DEFAULT = new WriteOptions(false, null);
    public static final WriteOptions DRY_RUN = new WriteOptions(true, null);

    public WriteOptions(boolean dryRun, String fieldManager) {
        this(dryRun, fieldManager, false);
    }

    /** Options of a server-side apply by {@code fieldManager}. */
    public static WriteOptions apply(String fieldManager) {
        return new WriteOptions(false, fieldManager, false);
    }

    public WriteOptions withForce(boolean force) {
        return new WriteOptions(dryRun, fieldManager, force);
    }

    public WriteOptions withDryRun(boolean dryRun) {
        return new WriteOptions(dryRun, fieldManager, force);
    }

    public WriteOptions withFieldManager(String fieldManager) {
        return new WriteOptions(dryRun, fieldManager, force);
    }
}
