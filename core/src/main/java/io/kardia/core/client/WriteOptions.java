package io.kardia.core.client;

/**
 * Options of create, update and patch.
 *
 * @param dryRun       validate and return the result without storing it ({@code dryRun=All})
 * @param fieldManager name of the writer, recorded by servers that track field ownership
 */
public record WriteOptions(boolean dryRun, String fieldManager) {
    public static final WriteOptions DEFAULT = new WriteOptions(false, null);
    public static final WriteOptions DRY_RUN = new WriteOptions(true, null);
}
