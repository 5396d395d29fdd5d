package io.kardia.kubeapi.generator;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The REST operations of one Kubernetes release, as the official Java client's generated
 * {@code *Api} classes call them: each {@code ...Call} method loads its path template and HTTP
 * method as string constants.
 */
final class RestPaths {
    static final String API_PACKAGE = "io/kubernetes/client/openapi/apis/";
    private static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    /**
     * One operation: {@code /apis/apps/v1/namespaces/{namespace}/statefulsets/{name}/scale}, PATCH.
     * {@code watchParameter} when the operation takes {@code ?watch} (list operations of watchable kinds).
     */
    record Operation(String path, String httpMethod, boolean watchParameter) {
    }

    private RestPaths() {
    }

    static List<Operation> read(JarFile jar) throws IOException {
        List<Operation> out = new ArrayList<>();
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            JarEntry entry = e.nextElement();
            String name = entry.getName();
            if (!name.startsWith(API_PACKAGE) || !name.endsWith("Api.class") || name.indexOf('$') >= 0) {
                continue;
            }
            try (InputStream in = jar.getInputStream(entry)) {
                for (Map.Entry<String, List<String>> m : ClassFileStrings.byMethod(in).entrySet()) {
                    if (!m.getKey().endsWith("Call")) {
                        continue;
                    }
                    Operation op = operation(m.getValue());
                    if (op != null) {
                        out.add(op);
                    }
                }
            }
        }
        return out;
    }

    private static Operation operation(List<String> strings) {
        String path = null;
        String method = null;
        for (String s : strings) {
            if (path == null && (s.startsWith("/api/") || s.startsWith("/apis/"))) {
                path = s;
            } else if (HTTP_METHODS.contains(s)) {
                method = s;
            }
        }
        return path == null || method == null ? null : new Operation(path, method, strings.contains("watch"));
    }
}
