package io.kardia.examples.staticsite;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Condition;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.Deployment;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.DeploymentStatus;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectMeta;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Request;
import io.kardia.runtime.Result;
import io.kardia.runtime.TypedReconciler;
import io.kardia.runtime.simulation.Explorer;
import io.kardia.runtime.simulation.Faults;
import io.kardia.runtime.simulation.Simulation;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The StaticSite operator under deterministic simulation: seeded orderings, virtual time and
 * every fault (conflicts, 5xx with lost answers, watch drops, 410 Gone, delayed events, operator
 * crashes, store restarts). Two sites live through a spec change and a deletion while faults are
 * on; what must always hold is checked after every step, what must eventually hold once the
 * faults stop.
 *
 * <p>CI runs {@value #CI_SEEDS} seeds (a few seconds). To explore more, e.g. 500 seeds:
 * {@code ./mvnw -pl examples test -Dtest=StaticSiteSimulationTest -Dkardia.simulation.seeds=500};
 * a failure prints its seed and a one-line replay ({@code -Dkardia.simulation.seed=N}).
 */
// A step that never waits cannot be stopped: time out on a thread of its own rather than hang the build.
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StaticSiteSimulationTest {
    static final int CI_SEEDS = 10;
    private static final String NS = "web";

    @Test
    void sitesKeepTheirObjectsAndConvergeUnderEveryFault() {
        int seeds = Integer.getInteger("kardia.simulation.seeds", CI_SEEDS);
        Explorer.seeds(1, seeds).faults(Faults.all()).configure(b -> b.maxSteps(300_000))
                .run(StaticSiteSimulationTest::scenario);
    }

    /**
     * Regression seed (found by the test above, as seed 1 then): docs' finalizer was removed and the
     * site went, but the deletes of its ConfigMap and Deployment reached the operator before the
     * site's own (events are delayed); reconciled from a cache that still showed the site with its
     * finalizer, the cleanup ran again and the removal failed with NotFound, retried with back-off
     * until the cache saw the delete. {@code Finalizers.handle} now takes NotFound as "already
     * removed". Seed 7 meets this three times (half of the CI seeds meet it at least once).
     */
    @Test
    void seed7AFinalizerRemovedAgainFromAStaleCache() {
        try (Simulation sim = Simulation.builder(7).faults(Faults.all()).maxSteps(300_000).build()) {
            Outcome outcome = scenario(sim);
            assertThat(outcome.staleDeletions()).as("seed 7 still reconciles a deleted site that the cache still shows")
                    .isPositive();
        }
    }

    /** What a run saw: reconciles of a site being deleted that was already gone from the store. */
    record Outcome(int staleDeletions) {
    }

    /**
     * Creates "blog" and "docs"; changes blog's spec and deletes docs while faults are on; once
     * they stop, blog's status must describe its spec and docs must be gone with its objects.
     */
    static Outcome scenario(Simulation sim) {
        KubeClient client = sim.client();
        sim.run("install the CRD", () -> {
            client.resources(Namespace.class).create(Namespace.named(NS));
            StaticSiteOperator.installCrd(client);
        });
        List<String> notFound = new CopyOnWriteArrayList<>();
        AtomicInteger staleDeletions = new AtomicInteger();
        sim.startManager("operator", m -> {
            StaticSiteOperator.register(m, r -> observing(r, sim, notFound, staleDeletions));
            DeploymentStandIn.register(m);
        });
        // No fault answers 404: a reconcile that meets one acted on an object it should have known was gone.
        sim.invariant("no reconcile fails with NotFound", notFound::isEmpty);
        ResourceClient<StaticSite> sites = client.resources(StaticSite.class);
        Set<String> reconciled = new HashSet<>();
        sim.invariant("a reconciled site keeps its ConfigMap and Deployment until it is deleted",
                () -> keepsItsObjects(sim, reconciled));
        sim.invariant("a site Ready for its generation serves that generation's spec", () -> readyMeansServed(sim));
        sim.run("create two sites", () -> {
            sites.create(StaticSite.of(ObjectMeta.of(NS, "blog"), StaticSiteSpec.of(null, 2, Map.of("index.html", "v1"))));
            sites.create(StaticSite.of(ObjectMeta.of(NS, "docs"), StaticSiteSpec.of(null, 1, Map.of("index.html", "d"))));
        });
        sim.runFor(Duration.ofSeconds(30));
        sim.run("change blog's spec", () -> edit(sites, "blog",
                s -> s.withSpec(StaticSiteSpec.of("nginx:1.27", 3, Map.of("index.html", "v2", "about.html", "a")))));
        sim.run("delete docs", () -> sites.delete(NS, "docs"));
        sim.runFor(Duration.ofMinutes(1));
        sim.stopFaults();
        sim.runUntil("blog's status converges to its spec, docs is gone with its objects", () -> converged(sim),
                Duration.ofMinutes(15));
        sim.invariant("no reconcile failed with NotFound: " + notFound, notFound::isEmpty); // checked at once, to the end
        return new Outcome(staleDeletions.get());
    }

    /** The operator's reconciler, noting NotFound failures and reconciles of deleted sites the cache still shows. */
    private static TypedReconciler<GenericObject> observing(TypedReconciler<GenericObject> r, Simulation sim,
                                                            List<String> out, AtomicInteger staleDeletions) {
        return new TypedReconciler<>() {
            @Override
            public Result reconcile(GenericObject site) throws Exception {
                if (site.metadata().isBeingDeleted()
                        && sim.client().resources(StaticSite.class).find(NS, site.metadata().name()).isEmpty()) {
                    staleDeletions.incrementAndGet();
                }
                try {
                    return r.reconcile(site);
                } catch (KubeApiException.NotFoundException e) {
                    out.add(site.key() + ": " + e.getMessage());
                    throw e;
                }
            }

            @Override
            public Result reconcileAbsent(Request request) throws Exception {
                return r.reconcileAbsent(request);
            }
        };
    }

    /**
     * Once a site's ConfigMap and Deployment both existed, they exist (controlled by the site) as
     * long as the site does and is not being deleted.
     */
    private static boolean keepsItsObjects(Simulation sim, Set<String> reconciled) {
        KubeClient store = sim.store().client();
        for (StaticSite site : store.resources(StaticSite.class).list(NS).items()) {
            String uid = site.metadata().uid();
            boolean both = controlled(store.resources(ConfigMap.class).find(NS, StaticSiteReconciler.configMapName(
                    site.metadata().name())), uid) && controlled(store.resources(Deployment.class).find(NS,
                    site.metadata().name()), uid);
            if (both) {
                reconciled.add(uid);
            } else if (reconciled.contains(uid) && !site.metadata().isBeingDeleted()) {
                return false;
            }
        }
        return true;
    }

    /** Ready=True for the current generation: the ConfigMap and the Deployment hold that generation's spec. */
    private static boolean readyMeansServed(Simulation sim) {
        KubeClient store = sim.store().client();
        for (StaticSite site : store.resources(StaticSite.class).list(NS).items()) {
            if (readyFor(site) && !served(store, site)) {
                return false;
            }
        }
        return true;
    }

    private static boolean converged(Simulation sim) {
        KubeClient store = sim.store().client();
        Optional<StaticSite> blog = store.resources(StaticSite.class).find(NS, "blog");
        boolean docsGone = store.resources(StaticSite.class).find(NS, "docs").isEmpty()
                && store.resources(ConfigMap.class).find(NS, StaticSiteReconciler.configMapName("docs")).isEmpty()
                && store.resources(Deployment.class).find(NS, "docs").isEmpty();
        return docsGone && blog.isPresent() && readyFor(blog.get()) && served(store, blog.get())
                && Objects.equals(blog.get().status().availableReplicas(), blog.get().spec().effectiveReplicas());
    }

    private static boolean readyFor(StaticSite site) {
        StaticSiteStatus s = site.status();
        return s != null && Objects.equals(s.observedGeneration(), site.metadata().generation())
                && Condition.isTrue(s.conditions(), StaticSiteStatus.READY);
    }

    private static boolean served(KubeClient store, StaticSite site) {
        String uid = site.metadata().uid();
        Optional<ConfigMap> cm = store.resources(ConfigMap.class).find(NS, StaticSiteReconciler.configMapName(
                site.metadata().name()));
        Optional<Deployment> d = store.resources(Deployment.class).find(NS, site.metadata().name());
        return controlled(cm, uid) && controlled(d, uid)
                && cm.get().data().equals(site.spec().content())
                && Objects.equals(d.get().spec().replicas(), site.spec().effectiveReplicas())
                && site.spec().effectiveImage().equals(d.get().spec().template().spec().containers().getFirst().image());
    }

    private static boolean controlled(Optional<? extends KubeObject> child, String uid) {
        return child.flatMap(c -> c.metadata().controllerRef()).map(r -> r.uid().equals(uid)).orElse(false);
    }

    /** A read-modify-write, retried while it conflicts with the operator's writes. */
    private static void edit(ResourceClient<StaticSite> sites, String name, UnaryOperator<StaticSite> change) {
        for (int attempt = 0; ; attempt++) {
            try {
                sites.update(change.apply(sites.get(NS, name)));
                return;
            } catch (KubeApiException.ConflictException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /**
     * Stands in for the Deployment controller and the kubelets: reports every Deployment's pods as
     * up at its current generation, which is what the operator's Ready condition waits for.
     */
    static final class DeploymentStandIn {
        private DeploymentStandIn() {
        }

        static void register(Manager m) {
            ResourceClient<Deployment> deployments = m.apiClient().resources(Deployment.class);
            m.newController().named("deployment-stand-in").forKind(Deployment.class).complete(d -> {
                int replicas = d.spec().replicas() == null ? 1 : d.spec().replicas();
                DeploymentStatus s = d.status();
                if (s == null || !Objects.equals(s.observedGeneration(), d.metadata().generation())
                        || !Objects.equals(s.availableReplicas(), replicas)) {
                    deployments.updateStatus(d.withStatus(DeploymentStatus.builder()
                            .observedGeneration(d.metadata().generation()).replicas(replicas).updatedReplicas(replicas)
                            .readyReplicas(replicas).availableReplicas(replicas).build()));
                }
                return Result.done();
            });
        }
    }
}
