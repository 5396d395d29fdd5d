package io.kardia.kubeapi;

import java.util.Map;

/**
 * The structural schema of one Kubernetes type: its fields by JSON name, in protobuf order.
 *
 * @param name   full protobuf name, e.g. {@code k8s.io.api.apps.v1.StatefulSetSpec}
 * @param fields by JSON name; {@code apiVersion} and {@code kind} included for kinds and lists
 * @param structType the release's {@code +structType} ({@code atomic}: owned and replaced as a whole), or null
 */
public record TypeSchema(String name, Map<String, FieldSchema> fields, String structType) {

    /** {@code +structType=atomic}: server-side apply replaces and owns the struct as a whole. */
    public boolean atomic() {
        return "atomic".equals(structType);
    }

    /** The name OpenAPI documents use: {@code io.k8s.api.apps.v1.StatefulSetSpec}. */
    public String openApiName() {
        return openApiName(name);
    }

    /** {@code k8s.io.api.apps.v1.X} to {@code io.k8s.api.apps.v1.X}, as kube-apiserver names definitions. */
    public static String openApiName(String protoName) {
        String rest = protoName.startsWith("k8s.io.") ? "io.k8s." + protoName.substring("k8s.io.".length()) : protoName;
        return rest.replace('_', '-');
    }
}
