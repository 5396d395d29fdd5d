package io.kardia.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.net.InetAddresses;
import io.kardia.core.model.Status;
import io.kardia.core.validation.Causes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Cluster IPs and node ports of Services, as kube-apiserver's service REST storage allocates them:
 * a Service without a cluster IP gets a free one from the configured range (headless {@code None}
 * and ExternalName services get none), NodePort and LoadBalancer ports without a node port get a
 * free one; a requested address must be in range and free. An update that leaves them out keeps
 * the ones it had. What is in use is read from the stored Services, plus what writes in flight
 * have reserved, so two concurrent creates never get the same address.
 */
final class ServiceAllocator {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final MvccIndex index;
    private final ServiceNetwork network;
    /** Reserved by writes not yet stored, by reservation. */
    private final Map<Reservation, Set<String>> pendingIps = new HashMap<>();
    private final Map<Reservation, Set<Integer>> pendingPorts = new HashMap<>();

    ServiceAllocator(MvccIndex index, ServiceNetwork network) {
        this.index = index;
        this.network = network;
    }

    /** What one write has reserved; released once the write is stored or has failed. */
    final class Reservation implements AutoCloseable {
        @Override
        public void close() {
            synchronized (ServiceAllocator.this) {
                pendingIps.remove(this);
                pendingPorts.remove(this);
            }
        }
    }

    Reservation reservation() {
        return new Reservation();
    }

    /**
     * Fills in the addresses of {@code service} (keeping those of {@code old}, the stored version,
     * where the body leaves them out) and returns the causes when a requested one is out of range
     * or taken. Values that are not addresses at all are left for validation to report.
     */
    synchronized List<Status.Cause> allocate(String namespace, String name, ObjectNode service, ObjectNode old,
                                             Reservation reservation) {
        Causes causes = new Causes();
        if (!(service.get("spec") instanceof ObjectNode spec)) {
            return causes.list();
        }
        String type = spec.path("type").asText("ClusterIP");
        if (old != null) {
            keepAllocated(spec, old.path("spec"), type);
        }
        if (type.equals("ExternalName")) {
            return causes.list();
        }
        Set<String> usedIps = new HashSet<>();
        Set<Integer> usedPorts = new HashSet<>();
        inUse(MvccIndex.key(namespace, name), usedIps, usedPorts);
        clusterIp(spec, old, usedIps, reservation, causes);
        if (type.equals("NodePort") || type.equals("LoadBalancer")) {
            nodePorts(spec, usedPorts, reservation, causes);
        }
        return causes.list();
    }

    /** kube-apiserver's patchAllocatedValues: an update without addresses keeps the stored ones. */
    private static void keepAllocated(ObjectNode spec, JsonNode oldSpec, String type) {
        String oldType = oldSpec.path("type").asText("ClusterIP");
        if (!type.equals("ExternalName") && !oldType.equals("ExternalName")) {
            if (spec.path("clusterIP").asText("").isEmpty() && oldSpec.hasNonNull("clusterIP")) {
                spec.set("clusterIP", oldSpec.get("clusterIP").deepCopy());
            }
            if (spec.path("clusterIPs").isEmpty() && oldSpec.has("clusterIPs")
                    && spec.path("clusterIP").asText("").equals(oldSpec.path("clusterIP").asText(""))) {
                spec.set("clusterIPs", oldSpec.get("clusterIPs").deepCopy());
            }
            for (String f : List.of("ipFamilies", "ipFamilyPolicy")) {
                if (!spec.hasNonNull(f) && oldSpec.hasNonNull(f)) {
                    spec.set(f, oldSpec.get(f).deepCopy());
                }
            }
        }
        if (type.equals("NodePort") || type.equals("LoadBalancer")) {
            for (JsonNode p : spec.path("ports")) {
                if (p instanceof ObjectNode port && port.path("nodePort").asInt(0) == 0) {
                    for (JsonNode o : oldSpec.path("ports")) {
                        if (o.path("port").asInt() == port.path("port").asInt()
                                && o.path("protocol").asText("TCP").equals(port.path("protocol").asText("TCP"))
                                && o.path("nodePort").asInt(0) != 0) {
                            port.put("nodePort", o.path("nodePort").asInt());
                        }
                    }
                }
            }
        }
    }

    private void inUse(String ownKey, Set<String> ips, Set<Integer> ports) {
        for (Map.Entry<String, KeyHistory> e : index.range("services", null).entrySet()) {
            StoredObject s = e.getKey().equals(ownKey) ? null : e.getValue().latest();
            if (s != null) {
                JsonNode spec = s.tree().path("spec");
                spec.path("clusterIPs").forEach(ip -> ips.add(ip.asText()));
                if (spec.hasNonNull("clusterIP")) {
                    ips.add(spec.path("clusterIP").asText());
                }
                spec.path("ports").forEach(p -> {
                    if (p.path("nodePort").asInt(0) != 0) {
                        ports.add(p.path("nodePort").asInt());
                    }
                });
            }
        }
        pendingIps.values().forEach(ips::addAll);
        pendingPorts.values().forEach(ports::addAll);
    }

    private void clusterIp(ObjectNode spec, ObjectNode old, Set<String> used, Reservation reservation, Causes causes) {
        String requested = spec.path("clusterIP").asText("");
        if (requested.isEmpty() && !spec.path("clusterIPs").isEmpty()) {
            requested = spec.path("clusterIPs").get(0).asText("");
            spec.put("clusterIP", requested);
        }
        if (requested.equals("None")) {
            setFamilies(spec, "None");
            return;
        }
        if (!requested.isEmpty() && !InetAddresses.isInetAddress(requested)) {
            return; // validation words this
        }
        String oldIp = old == null ? "" : old.path("spec").path("clusterIP").asText("");
        if (!requested.isEmpty() && requested.equals(oldIp)) {
            setFamilies(spec, requested);
            return; // kept: already ours
        }
        if (requested.isEmpty()) {
            String ip = freeIp(used);
            if (ip == null) {
                causes.invalid("spec.clusterIPs", F.arrayNode(), "failed to allocate IP: range is full");
                return;
            }
            requested = ip;
        } else if (!network.contains(requested)) {
            causes.invalid("spec.clusterIPs", ips(requested), "failed to allocate IP " + requested + ": the provided IP ("
                    + requested + ") is not in the valid range. The range of valid IPs is " + network.clusterIpRange());
            return;
        } else if (used.contains(requested)) {
            causes.invalid("spec.clusterIPs", ips(requested), "failed to allocate IP " + requested
                    + ": provided IP is already allocated");
            return;
        }
        spec.put("clusterIP", requested);
        setFamilies(spec, requested);
        pendingIps.computeIfAbsent(reservation, k -> new HashSet<>()).add(requested);
    }

    /** A random free address of the range's upper part (kube's dynamic band), else the first free one. */
    private String freeIp(Set<String> used) {
        long base = network.base();
        long size = network.size();
        long staticBand = Math.min(Math.max(16, size / 16), 256);
        long first = base + 1;
        long last = base + size - 2; // neither the network nor the broadcast address
        long dynamicFirst = Math.min(last, base + staticBand);
        for (int attempt = 0; attempt < 64; attempt++) {
            long candidate = ThreadLocalRandom.current().nextLong(dynamicFirst, last + 1);
            if (!used.contains(ServiceNetwork.format(candidate))) {
                return ServiceNetwork.format(candidate);
            }
        }
        for (long ip = first; ip <= last; ip++) {
            if (!used.contains(ServiceNetwork.format(ip))) {
                return ServiceNetwork.format(ip);
            }
        }
        return null;
    }

    private static void setFamilies(ObjectNode spec, String clusterIp) {
        ArrayNode ips = spec.putArray("clusterIPs");
        ips.add(clusterIp);
        if (!spec.hasNonNull("ipFamilyPolicy")) {
            spec.put("ipFamilyPolicy", "SingleStack");
        }
        if (spec.path("ipFamilies").isEmpty()) {
            boolean v6 = InetAddresses.isInetAddress(clusterIp) && InetAddresses.forString(clusterIp) instanceof java.net.Inet6Address;
            spec.putArray("ipFamilies").add(v6 ? "IPv6" : "IPv4");
        }
    }

    private void nodePorts(ObjectNode spec, Set<Integer> used, Reservation reservation, Causes causes) {
        Set<Integer> mine = pendingPorts.computeIfAbsent(reservation, k -> new HashSet<>());
        int i = 0;
        for (JsonNode p : spec.path("ports")) {
            if (p instanceof ObjectNode port) {
                JsonNode requested = port.path("nodePort");
                String field = "spec.ports[" + i + "].nodePort";
                if (requested.isNumber() && requested.asInt() != 0) {
                    int n = requested.asInt();
                    if (n < network.nodePortMin() || n > network.nodePortMax()) {
                        causes.invalid(field, n, "provided port is not in the valid range. The range of valid ports is "
                                + network.nodePortMin() + "-" + network.nodePortMax());
                    } else if (used.contains(n)) {
                        causes.invalid(field, n, "provided port is already allocated");
                    } else {
                        used.add(n);
                        mine.add(n);
                    }
                } else {
                    Integer n = freePort(used);
                    if (n == null) {
                        causes.invalid(field, 0, "failed to allocate a nodePort: range is full");
                    } else {
                        port.put("nodePort", n);
                        used.add(n);
                        mine.add(n);
                    }
                }
            }
            i++;
        }
    }

    private Integer freePort(Set<Integer> used) {
        int span = network.nodePortMax() - network.nodePortMin() + 1;
        int start = ThreadLocalRandom.current().nextInt(span);
        for (int k = 0; k < span; k++) {
            int n = network.nodePortMin() + (start + k) % span;
            if (!used.contains(n)) {
                return n;
            }
        }
        return null;
    }

    private static ArrayNode ips(String ip) {
        return F.arrayNode().add(ip);
    }
}
