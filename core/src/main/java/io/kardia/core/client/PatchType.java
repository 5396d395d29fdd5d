package io.kardia.core.client;

/** The patch formats Kubernetes accepts, with their content types. */
public enum PatchType {
    /** RFC 7386. */
    MERGE("application/merge-patch+json"),
    /** RFC 6902. */
    JSON("application/json-patch+json"),
    /** Kubernetes' strategic merge patch (built-in kinds only). */
    STRATEGIC("application/strategic-merge-patch+json"),
    /** Server-side apply: the body is the caller's partial object (YAML or JSON); needs a field manager. */
    APPLY("application/apply-patch+yaml");

    private final String contentType;

    PatchType(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    public static PatchType fromContentType(String contentType) {
        String base = contentType == null ? "" : contentType.split(";")[0].trim();
        for (PatchType t : values()) {
            if (t.contentType.equalsIgnoreCase(base)) {
                return t;
            }
        }
        return null;
    }
}
