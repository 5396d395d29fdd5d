package io.kardia.store.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.validation.Causes;
import java.util.List;
import java.util.regex.Pattern;

/**
 * networking.k8s.io/v1 IngressClass, after kube-apiserver's ValidateIngressClass: the controller
 * is a domain-prefixed path of at most 250 characters and cannot change once set; a parameters
 * reference names a kind and an object, and its scope decides whether it names a namespace.
 */
public final class IngressClassValidator implements KindValidator {
    private static final int MAX_CONTROLLER_LENGTH = 250;
    private static final String HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
    private static final Pattern HTTP_PATH = Pattern.compile(HTTP_PATH_FMT);
    private static final List<String> SCOPES = List.of("Cluster", "Namespace");

    @Override
    public void validateCreate(ObjectNode object, Causes c) {
        JsonNode spec = object.path("spec");
        controller(spec.path("controller").asText(""), c);
        if (spec.path("parameters").isObject()) {
            parameters(spec.path("parameters"), c);
        }
    }

    @Override
    public void validateUpdate(ObjectNode object, ObjectNode old, Causes c) {
        validateCreate(object, c);
        JsonNode controller = object.path("spec").path("controller");
        if (!controller.equals(old.path("spec").path("controller"))) {
            c.immutable("spec.controller", controller);
        }
    }

    /** kube's IsDomainPrefixedPath, plus the length limit. */
    private static void controller(String controller, Causes c) {
        String f = "spec.controller";
        if (controller.length() > MAX_CONTROLLER_LENGTH) {
            // not checked (nor echoed) further: a hostile client's megabyte does not come back in the error
            c.tooLong(f, "may not be more than " + MAX_CONTROLLER_LENGTH + " bytes");
            return;
        }
        if (controller.isEmpty()) {
            c.required(f, null);
            return;
        }
        int slash = controller.indexOf('/');
        if (slash <= 0 || slash == controller.length() - 1) {
            c.invalid(f, controller, "must be a domain-prefixed path (such as \"acme.io/foo\")");
            return;
        }
        String host = controller.substring(0, slash);
        for (String e : NameRules.dns1123Subdomain(host)) {
            c.invalid(f, host, e);
        }
        String path = controller.substring(slash + 1);
        if (!HTTP_PATH.matcher(path).matches()) {
            c.invalid(f, path, "Invalid path (regex used for validation is '" + HTTP_PATH_FMT + "')");
        }
    }

    private static void parameters(JsonNode params, Causes c) {
        String f = "spec.parameters";
        String apiGroup = params.path("apiGroup").asText("");
        if (!apiGroup.isEmpty()) {
            for (String e : NameRules.dns1123Subdomain(apiGroup)) {
                c.invalid(f + ".apiGroup", apiGroup, e);
            }
        }
        for (String field : List.of("kind", "name")) {
            String value = params.path(field).asText("");
            if (value.isEmpty()) {
                c.required(f + "." + field, null);
            } else {
                for (String e : NameRules.pathSegment(value)) {
                    c.invalid(f + "." + field, value, e);
                }
            }
        }
        JsonNode scope = params.path("scope");
        if (!scope.isTextual()) {
            c.required(f + ".scope", null);
            return;
        }
        if (!SCOPES.contains(scope.asText())) {
            c.notSupported(f + ".scope", scope.asText(), SCOPES);
            return;
        }
        JsonNode namespace = params.path("namespace");
        if (scope.asText().equals("Namespace")) {
            if (!namespace.isTextual()) {
                c.required(f + ".namespace", "`parameters.scope` is set to 'Namespace'");
            } else {
                for (String e : NameRules.dns1123Label(namespace.asText())) {
                    c.invalid(f + ".namespace", namespace.asText(), e);
                }
            }
        } else if (namespace.isTextual()) {
            c.forbidden(f + ".namespace", "`parameters.scope` is set to 'Cluster'");
        }
    }
}
