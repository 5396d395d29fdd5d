package io.kardia.controllers.gc;

import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ResourceType;
import io.kardia.runtime.Request;
import java.util.Optional;

/**
 * One object the collector looks at, as its work-queue request: the object's resource
 * ({@code deployments.apps}) and key. The collector is one controller over every kind, so a
 * request names the resource in its name ({@code namespace}, {@code "deployments.apps/web"});
 * object names never contain {@code /}, and a request without one (a CRD's name) asks for a new
 * discovery of the served kinds.
 */
record GcItem(String groupResource, String namespace, String name) {

    /** The request that asks the collector to re-read discovery. */
    static final Request DISCOVERY = new Request(null, "discovery");

    static Request request(ResourceType<?> type, KubeObject obj) {
        return new Request(obj.metadata().namespace(), type.groupResource() + "/" + obj.metadata().name());
    }

    /** The item a request names, or empty for a discovery request. */
    static Optional<GcItem> of(Request request) {
        int slash = request.name().indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        return Optional.of(new GcItem(request.name().substring(0, slash), request.namespace(),
                request.name().substring(slash + 1)));
    }

    /** The cache key of the object. */
    String key() {
        return namespace == null ? name : namespace + "/" + name;
    }

    @Override
    public String toString() {
        return groupResource + " " + key();
    }
}
