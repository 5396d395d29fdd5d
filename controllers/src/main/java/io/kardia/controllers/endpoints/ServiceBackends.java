package io.kardia.controllers.endpoints;

import io.kardia.core.model.Container;
import io.kardia.core.model.ContainerPort;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.LabelSelector;
import io.kardia.core.model.Pod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a Service with a selector points at, as kube's endpoint controllers compute it: the pods
 * of its namespace that match the selector and have an IP (terminal pods excluded), each with its
 * readiness and the Service's ports resolved against it (a named {@code targetPort} is looked up
 * in the pod's containers; a port the pod does not have is left out for that pod).
 */
final class ServiceBackends {
    static final String MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
    static final String CONTROLLER_NAME = "endpointslice-controller.k8s.io";
    static final String SERVICE_NAME = "kubernetes.io/service-name";

    /** One backing pod: its IP, conditions and resolved ports (name, protocol, port). */
    record Backend(Pod pod, String ip, boolean ready, boolean serving, boolean terminating, List<Map<String, Object>> ports) {
    }

    private ServiceBackends() {
    }

    /** The selector of a Service, empty for one without (whose endpoints are not managed). */
    @SuppressWarnings("unchecked")
    static Optional<LabelSelector> selector(GenericObject service) {
        Map<String, String> selector = service.at("spec.selector", Map.class).orElse(Map.of());
        if (selector.isEmpty() || "ExternalName".equals(service.at("spec.type", String.class).orElse(""))) {
            return Optional.empty();
        }
        return Optional.of(LabelSelector.of(selector));
    }

    static boolean selects(GenericObject service, Pod pod) {
        return selector(service).map(s -> s.matches(pod.metadata().labels())).orElse(false);
    }

    static List<Backend> of(GenericObject service, List<Pod> podsOfNamespace) {
        Optional<LabelSelector> selector = selector(service);
        if (selector.isEmpty()) {
            return List.of();
        }
        boolean publishNotReady = service.at("spec.publishNotReadyAddresses", Boolean.class).orElse(false);
        List<Backend> out = new ArrayList<>();
        for (Pod pod : podsOfNamespace) {
            String ip = pod.status() == null ? null : pod.status().podIP();
            String phase = pod.status() == null ? null : pod.status().phase();
            if (ip == null || ip.isEmpty() || "Succeeded".equals(phase) || "Failed".equals(phase)
                    || !selector.get().matches(pod.metadata().labels())) {
                continue;
            }
            boolean terminating = pod.metadata().deletionTimestamp() != null;
            boolean podReady = pod.ready();
            out.add(new Backend(pod, ip, publishNotReady || (podReady && !terminating), publishNotReady || podReady,
                    terminating, ports(service, pod)));
        }
        out.sort(java.util.Comparator.comparing(b -> b.pod().metadata().name()));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> ports(GenericObject service, Pod pod) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : service.at("spec.ports", List.class).orElse(List.of())) {
            Map<String, Object> port = (Map<String, Object>) o;
            String protocol = String.valueOf(port.getOrDefault("protocol", "TCP"));
            Object target = port.getOrDefault("targetPort", port.get("port"));
            Integer resolved = target instanceof Number n ? Integer.valueOf(n.intValue()) : namedPort(pod, String.valueOf(target), protocol);
            if (resolved == null) {
                continue; // kube: a named port this pod does not have is not an endpoint port of it
            }
            Map<String, Object> p = new LinkedHashMap<>();
            if (port.get("name") != null && !String.valueOf(port.get("name")).isEmpty()) {
                p.put("name", port.get("name"));
            }
            p.put("protocol", protocol);
            p.put("port", resolved);
            out.add(p);
        }
        return out;
    }

    private static Integer namedPort(Pod pod, String name, String protocol) {
        if (name.chars().allMatch(Character::isDigit) && !name.isEmpty()) {
            return Integer.valueOf(name);
        }
        if (pod.spec() == null) {
            return null;
        }
        for (Container c : pod.spec().containers()) {
            for (ContainerPort p : c.ports()) {
                if (name.equals(p.name()) && protocol.equals(p.protocol() == null ? "TCP" : p.protocol())) {
                    return p.containerPort();
                }
            }
        }
        return null;
    }
}
