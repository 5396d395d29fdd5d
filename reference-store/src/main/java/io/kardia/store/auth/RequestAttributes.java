package io.kardia.store.auth;

/**
 * What a request asks to do, in the terms RBAC decides on (kube's authorizer.Attributes): a verb
 * on a resource (group, resource, subresource, namespace, name), or a verb on a non-resource path.
 *
 * @param namespace "" for cluster-scoped requests
 * @param name      "" when the request names no object (lists, creates)
 */
public record RequestAttributes(UserInfo user, String verb, boolean resourceRequest, String apiGroup, String apiVersion,
                                String resource, String subresource, String namespace, String name, String path) {
    public RequestAttributes {
        apiGroup = nullToEmpty(apiGroup);
        apiVersion = nullToEmpty(apiVersion);
        resource = nullToEmpty(resource);
        subresource = nullToEmpty(subresource);
        namespace = nullToEmpty(namespace);
        name = nullToEmpty(name);
        path = nullToEmpty(path);
    }

    public static RequestAttributes resource(UserInfo user, String verb, String group, String version, String resource,
                                             String subresource, String namespace, String name) {
        return new RequestAttributes(user, verb, true, group, version, resource, subresource, namespace, name, "");
    }

    public static RequestAttributes nonResource(UserInfo user, String verb, String path) {
        return new RequestAttributes(user, verb, false, "", "", "", "", "", "", path);
    }

    /** {@code pods} or {@code pods/status}: how RBAC rules name a resource with its subresource. */
    public String resourceWithSubresource() {
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
