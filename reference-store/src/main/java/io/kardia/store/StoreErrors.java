package io.kardia.store;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.Status;

/**
 * The store's error answers that more than one operation gives, each worded once, as
 * kube-apiserver words it.
 */
final class StoreErrors {
    private StoreErrors() {
    }

    /** 404 for a kind (or subresource) the store does not serve. */
    static KubeApiException notServed(String group, String resource) {
        return KubeApiException.of(Status.failure(404, "NotFound", "the server could not find the requested resource",
                new Status.Details(null, group, resource, null, null, null, null)));
    }

    /** 400: a namespaced kind addressed without a namespace. */
    static KubeApiException namespaceRequired(String resource) {
        return KubeApiException.of(Status.badRequest("a namespace is required for " + resource + ": they are namespaced"));
    }

    /** 400: the body names another namespace than the request path. */
    static KubeApiException namespaceMismatch() {
        return KubeApiException.of(Status.badRequest(
                "the namespace of the provided object does not match the namespace sent on the request"));
    }

    /** 409: a uid precondition (in DeleteOptions or the body's metadata) that the stored object does not meet. */
    static KubeApiException uidPrecondition(ResourceType<?> type, String name, String expected, String actual) {
        return KubeApiException.of(Status.conflict(type.named(name), "Precondition failed: UID in precondition: "
                + expected + ", UID in object meta: " + actual));
    }

    /** 409: a DeleteOptions resourceVersion precondition that the stored object does not meet. */
    static KubeApiException resourceVersionPrecondition(ResourceType<?> type, String name, String expected, String actual) {
        return KubeApiException.of(Status.conflict(type.named(name), "Precondition failed: ResourceVersion in precondition: "
                + expected + ", ResourceVersion in meta: " + actual));
    }
}
