package io.kardia.core.client.http;

import io.kardia.core.model.ResourceType;
import okhttp3.HttpUrl;

/** kube-apiserver's REST paths: {@code /api/v1/namespaces/{ns}/pods/{name}/status}, {@code /apis/{g}/{v}/...}. */
final class ResourcePaths {
    private final HttpUrl base;

    ResourcePaths(HttpUrl base) {
        this.base = base;
    }

    HttpUrl base() {
        return base;
    }

    /** The collection; {@code namespace} null for cluster-scoped kinds or all namespaces. */
    HttpUrl.Builder collection(ResourceType<?> type, String namespace) {
        HttpUrl.Builder url = base.newBuilder();
        if (type.group().isEmpty()) {
            url.addPathSegment("api").addPathSegment(type.version());
        } else {
            url.addPathSegment("apis").addPathSegment(type.group()).addPathSegment(type.version());
        }
        if (type.namespaced() && namespace != null) {
            url.addPathSegment("namespaces").addPathSegment(checkSegment(namespace, "namespace"));
        }
        return url.addPathSegment(type.plural());
    }

    HttpUrl.Builder object(ResourceType<?> type, String namespace, String name) {
        return collection(type, namespace).addPathSegment(checkSegment(name, "name"));
    }

    /** client-go refuses the same names: they would change the path's meaning. */
    static String checkSegment(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        if (value.equals(".") || value.equals("..") || value.indexOf('/') >= 0 || value.indexOf('%') >= 0) {
            throw new IllegalArgumentException(what + " \"" + value + "\" may not be '.', '..' or contain '/' or '%'");
        }
        return value;
    }
}
