package io.kardia.store.http;

import java.util.Optional;

/**
 * A Kubernetes REST resource path, taken apart:
 * {@code /api/v1/namespaces/{ns}/pods/{name}/status} or
 * {@code /apis/{group}/{version}/[namespaces/{ns}/]{resource}[/{name}[/{subresource}]]}.
 *
 * <p>{@code /api/v1/namespaces/{name}} is the Namespace object itself, not a namespace prefix;
 * {@code /api/v1/namespaces/{ns}/{resource}} is a namespaced collection.
 *
 * @param group       "" for the core group
 * @param version     API version
 * @param namespace   namespace from the path, or null
 * @param resource    plural resource name
 * @param name        object name, or null for a collection
 * @param subresource e.g. status, scale, binding; or null
 */
public record RestPath(String group, String version, String namespace, String resource, String name,
                       String subresource) {

    /** Parses a resource path; empty for anything that is not one (discovery, /version...). */
    public static Optional<RestPath> parse(String rawPath) {
        String path = rawPath.endsWith("/") && rawPath.length() > 1 ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
        String[] p = path.split("/", -1);
        // p[0] is "" (leading slash)
        int i;
        String group;
        String version;
        if (p.length >= 4 && p[1].equals("api")) {
            group = "";
            version = p[2];
            i = 3;
        } else if (p.length >= 5 && p[1].equals("apis")) {
            group = p[2];
            version = p[3];
            i = 4;
        } else {
            return Optional.empty();
        }
        int rest = p.length - i;
        for (int k = i; k < p.length; k++) {
            if (p[k].isEmpty()) {
                return Optional.empty();
            }
        }
        if (rest >= 3 && p[i].equals("namespaces")) {
            // namespaces/{ns}/{resource}[/{name}[/{sub}]] -- or namespaces/{name}/{subresource} (status, finalize)
            String ns = p[i + 1];
            String second = p[i + 2];
            if (rest == 3 && group.isEmpty() && (second.equals("status") || second.equals("finalize"))) {
                return Optional.of(new RestPath(group, version, null, "namespaces", ns, second));
            }
            if (rest > 5) {
                return Optional.empty();
            }
            return Optional.of(new RestPath(group, version, ns, second, rest >= 4 ? p[i + 3] : null,
                    rest == 5 ? p[i + 4] : null));
        }
        if (rest < 1 || rest > 3) {
            return Optional.empty();
        }
        return Optional.of(new RestPath(group, version, null, p[i], rest >= 2 ? p[i + 1] : null,
                rest == 3 ? p[i + 2] : null));
    }

    public boolean isCollection() {
        return name == null;
    }

    /** {@code apps/v1} or {@code v1}. */
    public String groupVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }
}
