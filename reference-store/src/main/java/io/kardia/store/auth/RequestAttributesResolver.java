package io.kardia.store.auth;

import io.kardia.store.http.RestPath;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the RBAC attributes off an HTTP request as kube-apiserver's RequestInfoFactory does:
 * GET/HEAD is {@code get} on an object and {@code list} (or {@code watch} with {@code watch=true})
 * on a collection, POST {@code create}, PUT {@code update}, PATCH {@code patch}, DELETE
 * {@code delete} on an object and {@code deletecollection} on a collection. A list or watch whose
 * field selector pins {@code metadata.name} is about that name (so {@code resourceNames} rules
 * apply). {@code /api/v1/namespaces/NAME} is in namespace NAME. Anything that is not under a group
 * version ({@code /version}, {@code /api}, {@code /apis/apps}, {@code /openapi/v2}) is a
 * non-resource request whose verb is the lower-cased method.
 */
public final class RequestAttributesResolver {
    private RequestAttributesResolver() {
    }

    public static RequestAttributes resolve(UserInfo user, String method, String path, Map<String, String> query) {
        Optional<RestPath> parsed = RestPath.parse(path);
        if (parsed.isEmpty()) {
            return RequestAttributes.nonResource(user, nonResourceVerb(method), path);
        }
        RestPath p = parsed.get();
        String namespace = p.namespace();
        String name = p.name() == null ? "" : p.name();
        if (p.group().isEmpty() && p.resource().equals("namespaces") && !name.isEmpty()) {
            namespace = name; // kube: a namespace is in itself
        }
        String verb = switch (method) {
            case "POST" -> "create";
            case "GET", "HEAD" -> "get";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
        if (name.isEmpty() && verb.equals("get")) {
            String v = query.get("watch");
            verb = v != null && (v.equals("1") || v.equalsIgnoreCase("true")) ? "watch" : "list";
            name = exactName(query.get("fieldSelector"));
        }
        if (name.isEmpty() && verb.equals("delete")) {
            verb = "deletecollection";
        }
        return RequestAttributes.resource(user, verb, p.group(), p.version(), p.resource(), p.subresource(), namespace, name);
    }

    private static String nonResourceVerb(String method) {
        return method.equals("HEAD") ? "get" : method.toLowerCase(java.util.Locale.ROOT);
    }

    /** X when the selector requires exactly {@code metadata.name=X} (alone or among other terms). */
    private static String exactName(String fieldSelector) {
        if (fieldSelector == null || fieldSelector.isEmpty()) {
            return "";
        }
        for (String term : fieldSelector.split(",")) {
            String t = term.strip();
            for (String op : new String[] {"==", "="}) {
                if (t.startsWith("metadata.name" + op)) {
                    String value = t.substring(("metadata.name" + op).length());
                    return value.isEmpty() || value.contains("/") || value.equals(".") || value.equals("..") ? "" : value;
                }
            }
        }
        return "";
    }
}
