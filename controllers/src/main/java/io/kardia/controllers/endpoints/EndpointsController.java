package io.kardia.controllers.endpoints;

import io.kardia.controllers.endpoints.ServiceBackends.Backend;
import io.kardia.controllers.workload.TemplateHash;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.core.selector.Selector;
import io.kardia.informer.SharedInformer;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Request;
import io.kardia.runtime.Result;
import io.kardia.runtime.TypedReconciler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kube-controller-manager's {@code endpoints} controller: the legacy {@code v1} Endpoints object
 * of each Service with a selector, named like it. Ready backends are {@code addresses}, the others
 * {@code notReadyAddresses}; terminating pods are left out (unless the Service publishes not-ready
 * addresses); backends are grouped into subsets by their resolved ports. Deleted with its Service.
 */
public final class EndpointsController implements TypedReconciler<GenericObject> {
    public static final String NAME = "endpoints-controller";
    public static final ResourceType<GenericObject> ENDPOINTS = ResourceType.generic("", "v1", "Endpoints", "endpoints",
            true);

    private final ResourceClient<GenericObject> endpoints;
    private final SharedInformer<Pod> pods;
    private final SharedInformer<GenericObject> cache;

    private EndpointsController(Manager manager) {
        this.endpoints = manager.apiClient().resources(ENDPOINTS);
        this.pods = manager.informers().informerFor(ResourceTypes.POD, manager.namespace(), Selector.EVERYTHING);
        this.cache = manager.informers().informerFor(ENDPOINTS, manager.namespace(), Selector.EVERYTHING);
    }

    public static void register(Manager manager) {
        SharedInformer<GenericObject> services = manager.informers().informerFor(ResourceTypes.SERVICE, manager.namespace(),
                Selector.EVERYTHING);
        manager.newController().forKind(ResourceTypes.SERVICE).named(NAME)
                .watches(ResourceTypes.POD, pod -> EndpointSliceController.servicesSelecting(services, pod))
                .watches(ENDPOINTS, ep -> List.of(Request.of(ep)))
                .complete(new EndpointsController(manager));
    }

    @Override
    public Result reconcile(GenericObject service) {
        String ns = service.metadata().namespace();
        String name = service.metadata().name();
        GenericObject have = cache.lister().get(ns + "/" + name).orElse(null);
        if (ServiceBackends.selector(service).isEmpty()) {
            return Result.done(); // no selector: the user manages its Endpoints
        }
        List<Pod> candidates = pods.lister().list().stream().filter(p -> ns.equals(p.metadata().namespace())).toList();
        boolean publishNotReady = service.at("spec.publishNotReadyAddresses", Boolean.class).orElse(false);
        List<Map<String, Object>> subsets = subsets(ServiceBackends.of(service, candidates), publishNotReady);
        if (have == null) {
            try {
                endpoints.create(GenericObject.of(ENDPOINTS, ObjectMeta.of(ns, name)).with("subsets", subsets));
            } catch (KubeApiException.AlreadyExistsException cacheBehind) {
                return Result.requeue();
            }
        } else if (!TemplateHash.canonicalJson(have.at("subsets").orElse(List.of()))
                .equals(TemplateHash.canonicalJson(subsets))) {
            endpoints.update(have.with("subsets", subsets.isEmpty() ? null : subsets));
        }
        return Result.done();
    }

    @Override
    public Result reconcileAbsent(Request request) {
        try {
            endpoints.delete(request.namespace(), request.name());
        } catch (KubeApiException.NotFoundException gone) {
            // never made, or already deleted
        }
        return Result.done();
    }

    private static List<Map<String, Object>> subsets(List<Backend> backends, boolean publishNotReady) {
        Map<String, Map<String, Object>> byPorts = new LinkedHashMap<>();
        for (Backend b : backends) {
            if (b.terminating() && !publishNotReady) {
                continue;
            }
            Map<String, Object> subset = byPorts.computeIfAbsent(TemplateHash.canonicalJson(b.ports()), k -> {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("addresses", new ArrayList<Map<String, Object>>());
                s.put("notReadyAddresses", new ArrayList<Map<String, Object>>());
                s.put("ports", b.ports());
                return s;
            });
            Map<String, Object> address = new LinkedHashMap<>();
            address.put("ip", b.ip());
            if (b.pod().spec() != null && b.pod().spec().nodeName() != null) {
                address.put("nodeName", b.pod().spec().nodeName());
            }
            address.put("targetRef", Map.of("kind", "Pod", "namespace", b.pod().metadata().namespace(),
                    "name", b.pod().metadata().name(), "uid", b.pod().metadata().uid()));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> list = (List<Map<String, Object>>) subset.get(b.ready() ? "addresses" : "notReadyAddresses");
            list.add(address);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> s : byPorts.values()) {
            Map<String, Object> clean = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : s.entrySet()) {
                if (!(e.getValue() instanceof List<?> l && l.isEmpty())) {
                    clean.put(e.getKey(), e.getValue());
                }
            }
            out.add(clean);
        }
        return out;
    }
}
