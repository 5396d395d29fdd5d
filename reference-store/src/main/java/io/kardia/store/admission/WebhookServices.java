package io.kardia.store.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.json.Json;
import io.kardia.core.model.ResourceType;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a webhook's {@code clientConfig.service} is reached. kube-apiserver dials the service's
 * cluster IP (or an endpoint); a Kardia store has no pod network, so a service reference resolves
 * to, in order: an address mapped explicitly ({@link #map}, as the test kit does for a webhook
 * server in the test's JVM, or {@code kardia up} for an operator on the laptop); else a ready
 * endpoint of the Service's EndpointSlices (label {@code kubernetes.io/service-name}), on the
 * slice port named as the Service port is. The TLS name checked is always the service's DNS name
 * {@code <name>.<namespace>.svc}, as kube-apiserver checks it.
 */
public final class WebhookServices {
    private final Map<String, InetSocketAddress> mapped = new ConcurrentHashMap<>();
    private final AdmissionContext context;

    WebhookServices(AdmissionContext context) {
        this.context = context;
    }

    /** Webhook calls to port {@code port} of service {@code namespace/name} go to {@code address}. */
    public void map(String namespace, String name, int port, InetSocketAddress address) {
        mapped.put(key(namespace, name, port), address);
    }

    /** Removes a mapping made by {@link #map}. */
    public void unmap(String namespace, String name, int port) {
        mapped.remove(key(namespace, name, port));
    }

    /** The address to dial for port {@code port} of service {@code namespace/name}. */
    InetSocketAddress resolve(String namespace, String name, int port) throws WebhookCallException {
        InetSocketAddress m = mapped.get(key(namespace, name, port));
        if (m != null) {
            return m;
        }
        ResourceType<?> services = context.typeOf("v1", "Service").orElseThrow();
        ObjectNode service = context.get(services, namespace, name)
                .orElseThrow(() -> new WebhookCallException("service \"" + name + "\" not found"));
        String portName = null;
        boolean found = false;
        for (JsonNode p : service.path("spec").path("ports")) {
            if (p.path("port").asInt() == port) {
                portName = p.path("name").asText("");
                found = true;
                break;
            }
        }
        if (!found) {
            throw new WebhookCallException("no service port " + port + " found for service \"" + name + "\"");
        }
        Optional<ResourceType<?>> slices = context.typeOf("discovery.k8s.io/v1", "EndpointSlice");
        if (slices.isPresent()) {
            ObjectNode selector = Json.mapper().createObjectNode();
            selector.putObject("matchLabels").put("kubernetes.io/service-name", name);
            for (ObjectNode slice : context.list(slices.get(), namespace, selector)) {
                Integer slicePort = portOf(slice.path("ports"), portName);
                if (slicePort == null) {
                    continue;
                }
                for (JsonNode e : slice.path("endpoints")) {
                    if (e.path("conditions").path("ready").asBoolean(true) && !e.path("addresses").isEmpty()) {
                        return new InetSocketAddress(e.path("addresses").get(0).asText(), slicePort);
                    }
                }
            }
        }
        throw new WebhookCallException("service \"" + name + "\" has no ready endpoints (a Kardia store reaches a webhook service"
                + " through an EndpointSlice or an address mapped for it)");
    }

    private static Integer portOf(JsonNode ports, String name) {
        for (JsonNode p : ports) {
            if (p.path("name").asText("").equals(name) && p.hasNonNull("port")) {
                return p.get("port").asInt();
            }
        }
        return null;
    }

    private static String key(String namespace, String name, int port) {
        return namespace + "/" + name + ":" + port;
    }
}
