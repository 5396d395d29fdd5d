package io.kardia.controllers.endpoints;

import io.kardia.controllers.endpoints.ServiceBackends.Backend;
import io.kardia.controllers.workload.TemplateHash;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.Pod;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.core.selector.Selector;
import io.kardia.informer.SharedInformer;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Request;
import io.kardia.runtime.Result;
import io.kardia.runtime.TypedReconciler;
import io.kardia.runtime.event.EventRecorder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * kube-controller-manager's {@code endpointslice} controller: the EndpointSlices
 * ({@code discovery.k8s.io/v1}) of each Service with a selector, labelled
 * {@code kubernetes.io/service-name} and {@code endpointslice.kubernetes.io/managed-by:
 * endpointslice-controller.k8s.io}, owned by the Service. Backends are grouped by their resolved
 * ports and address family; each slice holds at most {@link #MAX_ENDPOINTS} endpoints, with the
 * ready/serving/terminating conditions of its pod. A Service that selects nothing gets one empty
 * slice, as in kube. Slices are written only when their content changes.
 */
public final class EndpointSliceController implements TypedReconciler<GenericObject> {
    public static final String NAME = "endpointslice-controller";
    public static final ResourceType<GenericObject> ENDPOINT_SLICE = ResourceType.generic("discovery.k8s.io", "v1",
            "EndpointSlice", "endpointslices", true);
    /** kube's default --max-endpoints-per-slice. */
    public static final int MAX_ENDPOINTS = 100;

    private final ResourceClient<GenericObject> slices;
    private final SharedInformer<Pod> pods;
    private final SharedInformer<GenericObject> sliceCache;
    private final EventRecorder events;

    private EndpointSliceController(Manager manager) {
        this.slices = manager.apiClient().resources(ENDPOINT_SLICE);
        this.pods = manager.informers().informerFor(ResourceTypes.POD, manager.namespace(), Selector.EVERYTHING);
        this.sliceCache = manager.informers().informerFor(ENDPOINT_SLICE, manager.namespace(), Selector.EVERYTHING);
        this.events = manager.eventRecorder(NAME);
    }

    public static void register(Manager manager) {
        EndpointSliceController c = new EndpointSliceController(manager);
        SharedInformer<GenericObject> services = manager.informers().informerFor(ResourceTypes.SERVICE, manager.namespace(),
                Selector.EVERYTHING);
        manager.newController().forKind(ResourceTypes.SERVICE).named(NAME)
                .watches(ResourceTypes.POD, pod -> servicesSelecting(services, pod))
                .watches(ENDPOINT_SLICE, slice -> Optional.ofNullable(slice.metadata().labels().get(ServiceBackends.SERVICE_NAME))
                        .filter(s -> ServiceBackends.CONTROLLER_NAME.equals(slice.metadata().labels().get(ServiceBackends.MANAGED_BY)))
                        .map(s -> List.of(new Request(slice.metadata().namespace(), s))).orElse(List.of()))
                .complete(c);
    }

    static List<Request> servicesSelecting(SharedInformer<GenericObject> services, Pod pod) {
        List<Request> out = new ArrayList<>();
        for (GenericObject svc : services.lister().list()) {
            if (pod.metadata().namespace().equals(svc.metadata().namespace()) && ServiceBackends.selects(svc, pod)) {
                out.add(Request.of(svc));
            }
        }
        return out;
    }

    @Override
    public Result reconcile(GenericObject service) {
        List<GenericObject> existing = managedSlices(service.metadata().namespace(), service.metadata().name());
        if (ServiceBackends.selector(service).isEmpty() || service.metadata().deletionTimestamp() != null) {
            existing.forEach(this::delete); // no selector: someone else manages its endpoints
            return Result.done();
        }
        List<Pod> candidates = pods.lister().list().stream()
                .filter(p -> service.metadata().namespace().equals(p.metadata().namespace())).toList();
        List<Map<String, Object>> desired = desiredSlices(ServiceBackends.of(service, candidates));
        for (int i = 0; i < desired.size(); i++) {
            Map<String, Object> want = desired.get(i);
            if (i < existing.size()) {
                GenericObject have = existing.get(i);
                if (!sameContent(have, want)) {
                    slices.update(withContent(have, want));
                }
            } else {
                ObjectMeta meta = ObjectMeta.builder().namespace(service.metadata().namespace())
                        .generateName(service.metadata().name() + "-")
                        .label(ServiceBackends.SERVICE_NAME, service.metadata().name())
                        .label(ServiceBackends.MANAGED_BY, ServiceBackends.CONTROLLER_NAME)
                        .ownerReference(OwnerReference.controllerOf(service)).build();
                slices.create(withContent(GenericObject.of(ENDPOINT_SLICE, meta), want));
                if (((List<?>) want.get("endpoints")).isEmpty()) {
                    events.normal(service, "NoPodsSelected", "the selector " + service.at("spec.selector").orElse("")
                            + " selects no pod with an IP; the Service's EndpointSlice is empty");
                }
            }
        }
        existing.stream().skip(desired.size()).forEach(this::delete);
        return Result.done();
    }

    private List<GenericObject> managedSlices(String namespace, String service) {
        return sliceCache.lister().list().stream()
                .filter(s -> namespace.equals(s.metadata().namespace()))
                .filter(s -> service.equals(s.metadata().labels().get(ServiceBackends.SERVICE_NAME)))
                .filter(s -> ServiceBackends.CONTROLLER_NAME.equals(s.metadata().labels().get(ServiceBackends.MANAGED_BY)))
                .filter(s -> s.metadata().deletionTimestamp() == null)
                .sorted(java.util.Comparator.comparing(s -> s.metadata().name()))
                .toList();
    }

    /** Backends grouped by (address family, resolved ports), chunked by {@link #MAX_ENDPOINTS}; one empty slice if none. */
    static List<Map<String, Object>> desiredSlices(List<Backend> backends) {
        Map<String, List<Backend>> groups = new LinkedHashMap<>();
        for (Backend b : backends) {
            String family = b.ip().contains(":") ? "IPv6" : "IPv4";
            groups.computeIfAbsent(family + " " + TemplateHash.canonicalJson(b.ports()), k -> new ArrayList<>()).add(b);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (List<Backend> group : groups.values()) {
            for (int from = 0; from < group.size(); from += MAX_ENDPOINTS) {
                List<Backend> chunk = group.subList(from, Math.min(group.size(), from + MAX_ENDPOINTS));
                List<Map<String, Object>> endpoints = chunk.stream().map(EndpointSliceController::endpoint).toList();
                out.add(content(chunk.get(0).ip().contains(":") ? "IPv6" : "IPv4", endpoints, chunk.get(0).ports()));
            }
        }
        if (out.isEmpty()) {
            out.add(content("IPv4", List.of(), List.of()));
        }
        return out;
    }

    private static Map<String, Object> content(String family, List<Map<String, Object>> endpoints, List<Map<String, Object>> ports) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("addressType", family);
        c.put("endpoints", endpoints);
        c.put("ports", ports);
        return c;
    }

    private static Map<String, Object> endpoint(Backend b) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("addresses", List.of(b.ip()));
        e.put("conditions", Map.of("ready", b.ready(), "serving", b.serving(), "terminating", b.terminating()));
        if (b.pod().spec() != null && b.pod().spec().nodeName() != null) {
            e.put("nodeName", b.pod().spec().nodeName());
        }
        e.put("targetRef", Map.of("kind", "Pod", "namespace", b.pod().metadata().namespace(),
                "name", b.pod().metadata().name(), "uid", b.pod().metadata().uid()));
        return e;
    }

    private static boolean sameContent(GenericObject have, Map<String, Object> want) {
        Map<String, Object> current = new LinkedHashMap<>();
        current.put("addressType", have.at("addressType").orElse(null));
        current.put("endpoints", have.at("endpoints").orElse(List.of()));
        current.put("ports", have.at("ports").orElse(List.of()));
        return TemplateHash.canonicalJson(current).equals(TemplateHash.canonicalJson(want));
    }

    private static GenericObject withContent(GenericObject slice, Map<String, Object> content) {
        GenericObject out = slice;
        for (Map.Entry<String, Object> e : content.entrySet()) {
            out = out.with(e.getKey(), e.getValue());
        }
        return out;
    }

    private void delete(GenericObject slice) {
        try {
            slices.delete(slice.metadata().namespace(), slice.metadata().name());
        } catch (KubeApiException.NotFoundException gone) {
            // already deleted
        }
    }
}
