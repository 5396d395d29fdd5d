package io.kardia.store.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.validation.Causes;
import java.util.List;

/**
 * networking.k8s.io/v1 Ingress, the basics of kube-apiserver's ValidateIngress: a default backend
 * or rules, each path with a pathType and (for Exact and Prefix) an absolute path, each backend
 * naming a service with a port name or number, or a resource, not both.
 */
public final class IngressValidator implements KindValidator {
    private static final List<String> PATH_TYPES = List.of("Exact", "ImplementationSpecific", "Prefix");

    @Override
    public void validateCreate(ObjectNode object, Causes c) {
        JsonNode spec = object.path("spec");
        if (!spec.path("defaultBackend").isObject() && spec.path("rules").isEmpty()) {
            c.invalid("spec", spec, "either `defaultBackend` or `rules` must be specified");
        }
        if (spec.path("defaultBackend").isObject()) {
            backend(spec.path("defaultBackend"), "spec.defaultBackend", c);
        }
        int i = 0;
        for (JsonNode rule : spec.path("rules")) {
            String f = "spec.rules[" + i + "]";
            String host = rule.path("host").asText("");
            if (!host.isEmpty()) {
                String checked = host.startsWith("*.") ? host.substring(2) : host;
                for (String e : NameRules.dns1123Subdomain(checked)) {
                    c.invalid(f + ".host", host, e);
                }
            }
            int j = 0;
            for (JsonNode path : rule.path("http").path("paths")) {
                path(path, f + ".http.paths[" + j + "]", c);
                j++;
            }
            i++;
        }
    }

    private static void path(JsonNode path, String f, Causes c) {
        String type = path.path("pathType").asText("");
        String p = path.path("path").asText("");
        if (type.isEmpty()) {
            c.required(f + ".pathType", "pathType must be specified");
        } else if (!PATH_TYPES.contains(type)) {
            c.notSupported(f + ".pathType", type, PATH_TYPES);
        } else if (!type.equals("ImplementationSpecific") && !p.startsWith("/")) {
            c.invalid(f + ".path", p, "must be an absolute path");
        }
        backend(path.path("backend"), f + ".backend", c);
    }

    private static void backend(JsonNode backend, String f, Causes c) {
        boolean service = backend.path("service").isObject();
        boolean resource = backend.path("resource").isObject();
        if (service && resource) {
            c.invalid(f, backend, "cannot set both resource and service backends");
        } else if (!service && !resource) {
            c.invalid(f, backend, "resource or service backend is required");
        } else if (service) {
            JsonNode svc = backend.path("service");
            if (svc.path("name").asText("").isEmpty()) {
                c.required(f + ".service.name", null);
            }
            JsonNode port = svc.path("port");
            boolean name = !port.path("name").asText("").isEmpty();
            boolean number = port.path("number").asInt(0) != 0;
            if (name && number) {
                c.invalid(f + ".service.port", port, "cannot set both port name & port number");
            } else if (!name && !number) {
                c.required(f + ".service.port", "port name or number is required");
            } else if (number && (port.path("number").asInt() < 1 || port.path("number").asInt() > 65535)) {
                c.invalid(f + ".service.port.number", port.path("number"), "must be between 1 and 65535, inclusive");
            }
        }
    }
}
