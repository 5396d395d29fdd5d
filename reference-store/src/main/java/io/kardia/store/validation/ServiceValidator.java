package io.kardia.store.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.net.InetAddresses;
import io.kardia.core.validation.Causes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * core/v1 Service, as kube-apiserver's ValidateService and ValidateServiceUpdate: type, ports
 * (numbers, protocols, names, target ports), cluster IPs, session affinity, node ports only where
 * the type has them, externalName; on update the cluster IPs may not change once set. Whether an
 * IP or node port is free and in range is the store's allocation, checked after this.
 */
public final class ServiceValidator implements KindValidator {
    static final List<String> TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
    private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
    private static final List<String> AFFINITIES = List.of("ClientIP", "None");
    private static final List<String> TRAFFIC_POLICIES = List.of("Cluster", "Local");
    private static final List<String> IP_FAMILY_POLICIES = List.of("PreferDualStack", "RequireDualStack", "SingleStack");
    private static final List<String> IP_FAMILIES = List.of("IPv4", "IPv6");
    /** IANA_SVC_NAME: what a named target port must look like. */
    private static final Pattern SVC_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

    @Override
    public void validateCreate(ObjectNode object, Causes c) {
        JsonNode spec = object.path("spec");
        String type = spec.path("type").asText("ClusterIP");
        if (!TYPES.contains(type)) {
            c.notSupported("spec.type", type, TYPES);
            return;
        }
        String clusterIP = spec.path("clusterIP").asText("");
        boolean headless = clusterIP.equals("None");
        validateClusterIPs(spec, type, c);
        JsonNode ports = spec.path("ports");
        if (!type.equals("ExternalName") && !headless && ports.isEmpty()) {
            c.required("spec.ports", null);
        }
        validatePorts(ports, type, c);
        if (type.equals("ExternalName")) {
            String external = spec.path("externalName").asText("");
            if (external.isEmpty()) {
                c.required("spec.externalName", null);
            } else {
                for (String e : NameRules.dns1123Subdomain(external)) {
                    c.invalid("spec.externalName", external, e);
                }
            }
        }
        String affinity = spec.path("sessionAffinity").asText("None");
        if (!AFFINITIES.contains(affinity)) {
            c.notSupported("spec.sessionAffinity", affinity, AFFINITIES);
        }
        enumField(spec, "internalTrafficPolicy", TRAFFIC_POLICIES, c);
        enumField(spec, "externalTrafficPolicy", TRAFFIC_POLICIES, c);
        if (spec.hasNonNull("externalTrafficPolicy") && !(type.equals("NodePort") || type.equals("LoadBalancer"))) {
            c.invalid("spec.externalTrafficPolicy", spec.path("externalTrafficPolicy"),
                    "may only be set for externally-accessible services");
        }
        enumField(spec, "ipFamilyPolicy", IP_FAMILY_POLICIES, c);
        int i = 0;
        for (JsonNode f : spec.path("ipFamilies")) {
            if (!IP_FAMILIES.contains(f.asText())) {
                c.notSupported("spec.ipFamilies[" + i + "]", f.asText(), IP_FAMILIES);
            }
            i++;
        }
        JsonNode selector = spec.path("selector");
        if (selector.isObject()) {
            ObjectMetaValidator.validateLabels(selector, "spec.selector", c);
        }
    }

    @Override
    public void validateUpdate(ObjectNode object, ObjectNode old, Causes c) {
        validateCreate(object, c);
        JsonNode oldIPs = old.path("spec").path("clusterIPs");
        JsonNode newIPs = object.path("spec").path("clusterIPs");
        String oldType = old.path("spec").path("type").asText("ClusterIP");
        String newType = object.path("spec").path("type").asText("ClusterIP");
        // As kube-apiserver: the primary cluster IP stays while the service keeps one (ExternalName releases it).
        if (!oldIPs.isEmpty() && !newType.equals("ExternalName") && !oldType.equals("ExternalName")) {
            if (newIPs.isEmpty() || !newIPs.get(0).asText().equals(oldIPs.get(0).asText())) {
                c.invalid("spec.clusterIPs[0]", newIPs, "may not change once set");
            }
        }
    }

    private static void validateClusterIPs(JsonNode spec, String type, Causes c) {
        String clusterIP = spec.path("clusterIP").asText("");
        JsonNode clusterIPs = spec.path("clusterIPs");
        if (type.equals("ExternalName")) {
            if (!clusterIP.isEmpty()) {
                c.forbidden("spec.clusterIP", "may not be set for ExternalName services");
            }
            return;
        }
        if (!clusterIP.isEmpty() && !clusterIP.equals("None") && !InetAddresses.isInetAddress(clusterIP)) {
            c.invalid("spec.clusterIP", clusterIP, "must be empty, 'None', or a valid IP address");
        }
        if (!clusterIPs.isEmpty() && !clusterIP.isEmpty() && !clusterIPs.get(0).asText().equals(clusterIP)) {
            c.invalid("spec.clusterIPs", clusterIPs, "first value must match `clusterIP`");
        }
        if (clusterIP.equals("None") && (type.equals("NodePort") || type.equals("LoadBalancer"))) {
            c.invalid("spec.clusterIPs[0]", "None", "may not be set to 'None' for " + type + " services");
        }
    }

    private static void validatePorts(JsonNode ports, String type, Causes c) {
        Set<String> names = new HashSet<>();
        Set<String> portsAndProtocols = new HashSet<>();
        int i = 0;
        for (JsonNode p : ports) {
            String f = "spec.ports[" + i + "]";
            String name = p.path("name").asText("");
            if (name.isEmpty()) {
                if (ports.size() > 1) {
                    c.required(f + ".name", null);
                }
            } else {
                for (String e : NameRules.dns1123Label(name)) {
                    c.invalid(f + ".name", name, e);
                }
                if (!names.add(name)) {
                    c.duplicate(f + ".name", name);
                }
            }
            JsonNode port = p.path("port");
            if (!port.canConvertToInt() || port.asInt() < 1 || port.asInt() > 65535) {
                c.invalid(f + ".port", port, "must be between 1 and 65535, inclusive");
            }
            String protocol = p.path("protocol").asText("TCP");
            if (!PROTOCOLS.contains(protocol)) {
                c.notSupported(f + ".protocol", protocol, PROTOCOLS);
            }
            if (!portsAndProtocols.add(port.asInt() + "/" + protocol)) {
                c.duplicate(f, "{\"port\":" + port.asInt() + ",\"protocol\":\"" + protocol + "\"}");
            }
            validateTargetPort(p.path("targetPort"), f + ".targetPort", c);
            JsonNode nodePort = p.path("nodePort");
            if (nodePort.isNumber() && nodePort.asInt() != 0) {
                if (type.equals("ClusterIP") || type.equals("ExternalName")) {
                    c.forbidden(f + ".nodePort", "may not be used when `type` is '" + type + "'");
                } else if (nodePort.asInt() < 1 || nodePort.asInt() > 65535) {
                    c.invalid(f + ".nodePort", nodePort, "must be between 1 and 65535, inclusive");
                }
            }
            i++;
        }
    }

    private static void validateTargetPort(JsonNode target, String field, Causes c) {
        if (target.isMissingNode() || target.isNull()) {
            return;
        }
        if (target.isNumber()) {
            if (target.asInt() < 1 || target.asInt() > 65535) {
                c.invalid(field, target, "must be between 1 and 65535, inclusive");
            }
            return;
        }
        String name = target.asText("");
        if (name.length() > 15 || !SVC_NAME.matcher(name).matches() || name.contains("--") || name.chars().noneMatch(Character::isLetter)) {
            c.invalid(field, target, "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-), "
                    + "contain at least one letter (a-z), no more than 15 characters, and not begin or end with a hyphen");
        }
    }

    private static void enumField(JsonNode spec, String field, List<String> allowed, Causes c) {
        JsonNode v = spec.get(field);
        if (v != null && !v.isNull() && !allowed.contains(v.asText())) {
            c.notSupported("spec." + field, v.asText(), allowed);
        }
    }
}
