package io.kardia.kubeapi.generator;

import java.io.IOException;
import java.io.InputStream;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The JSON field names of each model class of the official Java client (generated from the
 * release's OpenAPI document): their static initialiser lists them ({@code openapiFields.add("http")}).
 * Where a protobuf message has a field its JSON form lacks, Go embeds that struct inline
 * ({@code IngressRule.ingressRuleValue} is JSON's {@code http}); this tells them apart.
 */
final class ModelFields {
    static final String MODEL_PACKAGE = "io/kubernetes/client/openapi/models/";

    private ModelFields() {
    }

    /** Simple class name ({@code V1IngressRule}) to its JSON field names. */
    static Map<String, Set<String>> read(JarFile jar) throws IOException {
        Map<String, Set<String>> out = new HashMap<>();
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            JarEntry entry = e.nextElement();
            String name = entry.getName();
            if (!name.startsWith(MODEL_PACKAGE) || !name.endsWith(".class") || name.indexOf('$') >= 0) {
                continue;
            }
            try (InputStream in = jar.getInputStream(entry)) {
                List<String> strings = ClassFileStrings.byMethod(in).getOrDefault("<clinit>", List.of());
                out.put(name.substring(MODEL_PACKAGE.length(), name.length() - ".class".length()), new LinkedHashSet<>(strings));
            }
        }
        return out;
    }

    /** The JSON fields of a protobuf message's model class, or null when it has none. */
    static Set<String> fieldsOf(String protoPackage, String messageName, Map<String, Set<String>> models) {
        String model = modelOf(protoPackage, messageName, models.keySet());
        return model == null ? null : models.get(model);
    }

    /** The model class of a protobuf message: {@code V1IngressRule}, or {@code CoreV1Event} where names collide. */
    static String modelOf(String protoPackage, String messageName, Set<String> models) {
        String[] parts = protoPackage.split("\\.");
        String version = capitalise(parts[parts.length - 1]);
        String group = parts.length > 1 ? capitalise(parts[parts.length - 2]) : "";
        if (models.contains(group + version + messageName)) {
            return group + version + messageName;
        }
        return models.contains(version + messageName) ? version + messageName : null;
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
