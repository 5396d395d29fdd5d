package io.kardia.runtime;

import io.kardia.core.model.ResourceType;

/**
 * A controller watches a kind the API server does not serve: its CustomResourceDefinition is not
 * installed (or not this version), or a built-in API is off. Raised by {@link Manager#start()}
 * before any informer is started, instead of a cache-sync timeout.
 */
public final class KindNotServedException extends IllegalStateException {
    private final transient ResourceType<?> type;

    KindNotServedException(ResourceType<?> type, boolean custom, String serverSaid) {
        super(message(type, custom, serverSaid));
        this.type = type;
    }

    /** The kind that is not served. */
    public ResourceType<?> type() {
        return type;
    }

    private static String message(ResourceType<?> type, boolean custom, String serverSaid) {
        String what = "the API server does not serve " + type.groupResource() + "/" + type.version()
                + " (kind " + type.kind() + "; it said: " + serverSaid + ")";
        if (!custom) {
            return what + ": enable that API version on the server, or watch a version it serves";
        }
        String install = what + ": install its CustomResourceDefinition (" + type.groupResource()
                + ") serving version " + type.version();
        if (type.javaType() == io.kardia.core.model.GenericObject.class) {
            return install + ", e.g. kubectl apply -f <its CRD manifest>";
        }
        String javaName = type.javaType().getSimpleName();
        return install + ", e.g. Crds.ensureInstalled(client, " + javaName + ".class) or "
                + "ManagerBuilder.installCrds(" + javaName + ".class)";
    }
}
