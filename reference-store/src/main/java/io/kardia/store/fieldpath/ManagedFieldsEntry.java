package io.kardia.store.fieldpath;

/**
 * One {@code metadata.managedFields} entry: who owns which fields, through which operation.
 *
 * @param manager     the field manager's name
 * @param operation   {@code Apply} or {@code Update}
 * @param apiVersion  the apiVersion the fields are expressed in
 * @param time        RFC 3339 in seconds; null when unknown
 * @param subresource {@code ""}, {@code status} or {@code scale}
 * @param fields      the owned fields
 */
public record ManagedFieldsEntry(String manager, String operation, String apiVersion, String time, String subresource,
                                 FieldSet fields) {
    public static final String APPLY = "Apply";
    public static final String UPDATE = "Update";

    public ManagedFieldsEntry {
        manager = manager == null ? "" : manager;
        subresource = subresource == null ? "" : subresource;
    }

    /**
     * What kube-apiserver merges entries by: manager, operation, subresource, and for updates the
     * apiVersion (an applier keeps one entry whatever version it applies in).
     */
    public ManagerKey key() {
        return new ManagerKey(manager, operation, subresource, operation.equals(APPLY) ? "" : apiVersion);
    }

    public boolean applied() {
        return operation.equals(APPLY);
    }

    public ManagedFieldsEntry withFields(FieldSet f) {
        return new ManagedFieldsEntry(manager, operation, apiVersion, time, subresource, f);
    }

    public ManagedFieldsEntry withTime(String t) {
        return new ManagedFieldsEntry(manager, operation, apiVersion, t, subresource, fields);
    }

    /** The identity of a manager's entry. */
    public record ManagerKey(String manager, String operation, String subresource, String apiVersion) {
        /** As kube-apiserver prints a manager in a conflict: {@code "kubectl" with subresource "status" using apps/v1}. */
        public String describe(String entryApiVersion) {
            StringBuilder b = new StringBuilder("\"").append(manager.replace("\"", "\\\"")).append('"');
            if (!subresource.isEmpty()) {
                b.append(" with subresource \"").append(subresource).append('"');
            }
            if (operation.equals(UPDATE)) {
                b.append(" using ").append(entryApiVersion);
            }
            return b.toString();
        }
    }
}
