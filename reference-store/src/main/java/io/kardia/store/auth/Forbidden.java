package io.kardia.store.auth;

import io.kardia.core.model.Status;

/**
 * The 403 Status kube-apiserver answers when authorization denies a request, word for word:
 * {@code pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the
 * namespace "default"}; {@code ... at the cluster scope} for cluster-scoped requests;
 * {@code forbidden: User "alice" cannot get path "/version"} for non-resource requests.
 */
public final class Forbidden {
    private Forbidden() {
    }

    public static Status status(RequestAttributes a, String reason) {
        String why = message(a) + (reason == null || reason.isEmpty() ? "" : ": " + reason);
        if (!a.resourceRequest()) {
            return Status.failure(403, "Forbidden", "forbidden: " + why, new Status.Details(null, null, null, null, null, null, null));
        }
        return Status.forbidden(new Status.ResourceName(a.apiGroup().isEmpty() ? null : a.apiGroup(), a.resource(),
                a.name().isEmpty() ? null : a.name()), why);
    }

    static String message(RequestAttributes a) {
        String user = a.user().name();
        if (!a.resourceRequest()) {
            return "User \"" + user + "\" cannot " + a.verb() + " path \"" + a.path() + "\"";
        }
        String where = a.namespace().isEmpty() ? "at the cluster scope" : "in the namespace \"" + a.namespace() + "\"";
        return "User \"" + user + "\" cannot " + a.verb() + " resource \"" + a.resourceWithSubresource() + "\" in API group \""
                + a.apiGroup() + "\" " + where;
    }
}
