package io.kardia.kubeapi;

import java.util.Map;

/**
 * The structural schema of one Kubernetes type: its fields by JSON name, in protobuf order.
 *
 * @param name   full protobuf name, e.g. {@code k8s.io.api.apps.v1.StatefulSetSpec}
 * @param fields by JSON name; {@code apiVersion} and {@code kind} included for kinds and lists
 */
public record TypeSchema(String name, Map<String, FieldSchema> fields) {

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
