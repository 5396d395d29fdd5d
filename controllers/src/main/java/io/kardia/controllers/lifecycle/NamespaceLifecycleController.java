package io.kardia.controllers.lifecycle;

import io.kardia.core.client.ApiResource;
import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.KubeClientException;
import io.kardia.core.client.ListOptions;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.ServerResources;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectList;
import io.kardia.runtime.Controller;
import io.kardia.runtime.Conflicts;
import io.kardia.runtime.EventFilters;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Request;
import io.kardia.runtime.Result;
import io.kardia.runtime.StatusUpdates;
import io.kardia.runtime.TypedReconciler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-controller-manager's namespace controller: a deleted namespace (Terminating, with the
 * {@code kubernetes} spec finalizer) has every object of every namespaced kind the server serves
 * (found through discovery) deleted through the API; once none is left, the controller removes
 * the {@code kubernetes} finalizer through the {@code finalize} subresource and the API server
 * removes the namespace. Each kind's content goes with one {@code deletecollection} where the
 * server offers it. While objects held by finalizers or a grace period remain, the controller
 * watches their kinds in the namespace and looks again when one of them changes, rather than
 * polling. Meanwhile the namespace's conditions say what is going on, with
 * kube-apiserver's types, reasons and wording ({@code NamespaceDeletionContentFailure},
 * {@code NamespaceContentRemaining}, {@code NamespaceFinalizersRemaining}, ...).
 */
public final class NamespaceLifecycleController implements TypedReconciler<Namespace> {
    /** The spec finalizer this controller owns. */
    public static final String FINALIZER = "kubernetes";
    /** How soon a namespace whose content is still going away is looked at again when its content cannot be watched. */
    static final Duration RECHECK = Duration.ofSeconds(1);
    /** A last resort when the content is watched: a change the watches missed is still seen. */
    static final Duration SAFETY_NET = Duration.ofMinutes(5);
    private static final Logger log = LoggerFactory.getLogger(NamespaceLifecycleController.class);

    private final KubeClient api;
    private final ResourceClient<Namespace> namespaces;
    private final Clock clock;
    private final ContentWatches watches;
    private volatile Controller controller;

    private NamespaceLifecycleController(KubeClient api, Clock clock) {
        this.api = api;
        this.namespaces = api.resources(Namespace.class);
        this.clock = clock;
        this.watches = new ContentWatches(ns -> {
            Controller c = controller;
            if (c != null) {
                c.enqueue(new Request(null, ns));
            }
        });
    }

    /** Adds the namespace controller to {@code manager}. */
    public static NamespaceLifecycleController register(Manager manager) {
        NamespaceLifecycleController c = new NamespaceLifecycleController(manager.apiClient(), Clock.systemUTC());
        c.controller = manager.newController()
                .forKind(Namespace.class)
                .named("namespace")
                .withEventFilter(EventFilters.matching(ns -> ns.metadata().isBeingDeleted()))
                .maxConcurrentReconciles(2)
                .complete(c);
        return c;
    }

    @Override
    public Result reconcile(Namespace cached) {
        if (!cached.metadata().isBeingDeleted()) {
            return Result.done();
        }
        // The cache may lag behind a finalize that already happened: decide on a fresh read.
        Namespace ns = namespaces.find(null, cached.metadata().name()).orElse(null);
        if (ns == null || !ns.metadata().isBeingDeleted() || !specFinalizers(ns).contains(FINALIZER)) {
            watches.forget(cached.metadata().name());
            return Result.done();
        }
        String name = ns.metadata().name();
        Cleanup cleanup = deleteContent(name);
        StatusUpdates.updateStatus(namespaces, ns, current -> withStatus(current, conditions(current, cleanup)));
        if (!cleanup.isComplete()) {
            log.debug("namespace {} not empty yet: {}", name, cleanup.remaining());
            boolean failed = !cleanup.discoveryFailures().isEmpty() || !cleanup.deleteFailures().isEmpty();
            if (failed || !watches.wakeOnChange(name, cleanup.pending())) {
                watches.forget(name);
                return Result.requeueAfter(RECHECK);
            }
            return Result.requeueAfter(SAFETY_NET);
        }
        watches.forget(name);
        removeFinalizer(name);
        return Result.done();
    }

    /** What one pass over the namespace's content deleted, found left, and failed at. */
    record Cleanup(Map<String, String> discoveryFailures, Map<String, String> deleteFailures,
                   Map<String, Integer> remaining, Map<String, Integer> finalizers, List<ContentWatches.Pending> pending) {
        boolean isComplete() {
            return discoveryFailures.isEmpty() && deleteFailures.isEmpty() && remaining.isEmpty();
        }
    }

    private Cleanup deleteContent(String namespace) {
        ServerResources server = api.discoverResources();
        Map<String, String> deleteFailures = new TreeMap<>();
        Map<String, Integer> remaining = new TreeMap<>();
        Map<String, Integer> finalizers = new TreeMap<>();
        List<ContentWatches.Pending> pending = new ArrayList<>();
        for (ApiResource resource : server.resources()) {
            if (!resource.type().namespaced() || !resource.supports("list", "delete")) {
                continue;
            }
            String name = resource.type().groupResource();
            ResourceClient<GenericObject> objects = api.resources(resource.type());
            try {
                ObjectList<GenericObject> present = objects.list(namespace);
                if (present.items().isEmpty()) {
                    continue;
                }
                if (present.items().stream().anyMatch(o -> !o.metadata().isBeingDeleted())) {
                    deleteAll(resource, objects, namespace, present.items());
                    present = objects.list(namespace);
                }
                // What is left is held by finalizers or a grace period: count it for the conditions.
                if (!present.items().isEmpty()) {
                    remaining.put(name, present.items().size());
                    for (GenericObject o : present.items()) {
                        o.metadata().finalizers().forEach(f -> finalizers.merge(f, 1, Integer::sum));
                    }
                    pending.add(new ContentWatches.Pending(objects, present.resourceVersion()));
                }
            } catch (KubeApiException | KubeClientException e) {
                deleteFailures.put(name, e.getMessage());
            }
        }
        return new Cleanup(server.failedGroupVersions(), deleteFailures, remaining, finalizers, pending);
    }

    /** One deletecollection where the server has it (as kube's namespace controller), else one delete per object. */
    private static void deleteAll(ApiResource resource, ResourceClient<GenericObject> objects, String namespace,
                                  List<GenericObject> present) {
        if (resource.supports("deletecollection")) {
            objects.deleteCollection(namespace, ListOptions.all(), DeleteOptions.DEFAULT);
            return;
        }
        for (GenericObject o : present) {
            if (!o.metadata().isBeingDeleted()) {
                try {
                    objects.delete(namespace, o.metadata().name());
                } catch (KubeApiException.NotFoundException gone) {
                    // deleted meanwhile: that is what we wanted
                }
            }
        }
    }

    /** kube-apiserver's five namespace deletion conditions, with its reasons and messages. */
    private Map<String, Object> conditions(Namespace ns, Cleanup c) {
        var now = clock.instant();
        Map<String, Object> status = new LinkedHashMap<>(ns.status());
        status.put("phase", "Terminating");
        status = c.discoveryFailures().isEmpty()
                ? StatusConditions.set(status, "NamespaceDeletionDiscoveryFailure", false, "ResourcesDiscovered",
                        "All resources successfully discovered", now)
                : StatusConditions.set(status, "NamespaceDeletionDiscoveryFailure", true, "DiscoveryFailed",
                        "Discovery failed for some groups, " + c.discoveryFailures().size() + " failing: "
                                + join(c.discoveryFailures()), now);
        status = StatusConditions.set(status, "NamespaceDeletionGroupVersionParsingFailure", false, "ParsedGroupVersions",
                "All legacy kube types successfully parsed", now);
        status = c.deleteFailures().isEmpty()
                ? StatusConditions.set(status, "NamespaceDeletionContentFailure", false, "ContentDeleted",
                        "All content successfully deleted, may be waiting on finalization", now)
                : StatusConditions.set(status, "NamespaceDeletionContentFailure", true, "ContentDeletionFailed",
                        "Failed to delete all resource types, " + c.deleteFailures().size() + " remaining: "
                                + join(c.deleteFailures()), now);
        status = c.remaining().isEmpty()
                ? StatusConditions.set(status, "NamespaceContentRemaining", false, "ContentRemoved",
                        "All content successfully removed", now)
                : StatusConditions.set(status, "NamespaceContentRemaining", true, "SomeResourcesRemain",
                        "Some resources are remaining: " + counts(c.remaining(), ". has %d resource instances"), now);
        status = c.finalizers().isEmpty()
                ? StatusConditions.set(status, "NamespaceFinalizersRemaining", false, "ContentHasNoFinalizers",
                        "All content-preserving finalizers finished", now)
                : StatusConditions.set(status, "NamespaceFinalizersRemaining", true, "SomeFinalizersRemain",
                        "Some content in the namespace has finalizers remaining: "
                                + counts(c.finalizers(), " in %d resource instances"), now);
        return status;
    }

    private static String join(Map<String, String> failures) {
        List<String> parts = new ArrayList<>();
        failures.forEach((what, why) -> parts.add(what + ": " + why));
        return String.join(", ", parts);
    }

    private static String counts(Map<String, Integer> counts, String format) {
        List<String> parts = new ArrayList<>();
        counts.forEach((what, n) -> parts.add(what + String.format(format, n)));
        return String.join(", ", parts);
    }

    /** PUT finalize without {@code kubernetes}, re-reading on a conflict. */
    private void removeFinalizer(String name) {
        Namespace ns = namespaces.find(null, name).orElse(null);
        if (ns == null) {
            return;
        }
        try {
            Conflicts.retryOnConflict(ns, current -> {
                if (!specFinalizers(current).contains(FINALIZER)) {
                    return current;
                }
                Map<String, Object> spec = new LinkedHashMap<>(current.spec());
                List<String> kept = new ArrayList<>(specFinalizers(current));
                kept.remove(FINALIZER);
                spec.put("finalizers", kept);
                Namespace finalized = api.finalizeNamespace(new Namespace(current.apiVersion(), current.kind(),
                        current.metadata(), spec, current.status(), current.extra()));
                log.info("namespace {} finalized: its content is gone", name);
                return finalized;
            }, Conflicts.sameObject(namespaces));
        } catch (KubeApiException.NotFoundException gone) {
            // removed meanwhile
        }
    }

    private static Namespace withStatus(Namespace ns, Map<String, Object> status) {
        return new Namespace(ns.apiVersion(), ns.kind(), ns.metadata(), ns.spec(), status, ns.extra());
    }

    private static List<String> specFinalizers(Namespace ns) {
        List<String> out = new ArrayList<>();
        if (ns.spec() != null && ns.spec().get("finalizers") instanceof List<?> list) {
            list.forEach(f -> out.add(String.valueOf(f)));
        }
        return out;
    }
}
