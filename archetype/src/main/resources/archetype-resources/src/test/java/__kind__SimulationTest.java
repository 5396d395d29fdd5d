package ${package};

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Condition;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectMeta;
import io.kardia.runtime.simulation.Explorer;
import io.kardia.runtime.simulation.Faults;
import io.kardia.runtime.simulation.Simulation;
import io.kardia.runtime.simulation.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * The reconciler under deterministic simulation: the store, the informers, the work queue and
 * {@link ${kind}Reconciler} run on one virtual clock, in an order a seed chooses, with faults
 * drawn from the same seed (409 conflicts, 5xx errors whose write went through, dropped watches,
 * 410 Gone, delayed events, operator crashes, store restarts). Minutes of virtual time take
 * milliseconds.
 *
 * <p>An invariant is checked after every step; a property passed to {@code runUntil} must come
 * true once the faults stop. A failure prints its seed, the last steps and a one-line replay:
 * {@code ./mvnw test -Dtest=${kind}SimulationTest -Dkardia.simulation.seed=7}. Raise the seed
 * count to explore more orderings.
 */
@EnabledForJreRange(min = JRE.JAVA_25) // the simulation schedules virtual threads itself: JDK 25 or newer
class ${kind}SimulationTest {

    @Test
    void theConfigMapFollowsTheSpecUnderFaults() {
        Explorer.seeds(1, 10).faults(Faults.all()).run(sim -> {
            KubeClient client = sim.client();
            sim.run("install the CRD", () -> {
                OperatorMain.installCrd(client);
                client.resources(Namespace.class).create(Namespace.named("demo"));
            });
            sim.startManager("operator", manager -> manager.newController().forKind(${kind}.class)
                    .owns(ConfigMap.class).complete(new ${kind}Reconciler(manager.client(), manager.apiClient(), manager.clock().wallClock())));
            sim.invariant("Ready for the current generation means the ConfigMap holds spec.data",
                    () -> !readyForItsGeneration(sim) || configMapHoldsSpec(sim));
            sim.invariant("conditions are stamped with the simulation's virtual time (the manager's clock, not Instant.now())",
                    () -> conditionsStampedInVirtualTime(sim));

            ResourceClient<${kind}> resources = client.resources(${kind}.class);
            sim.run("create", () -> resources.create(${kind}Builder.builder().metadata(ObjectMeta.of("demo", "sample"))
                    .spec(${kind}SpecBuilder.builder().data(Map.of("greeting", "hello")).build()).build()));
            sim.runFor(Duration.ofSeconds(30));
            sim.run("update", () -> updateData(resources, Map.of("greeting", "bonjour")));
            sim.runFor(Duration.ofMinutes(1));

            sim.stopFaults();
            sim.runUntil("Ready, and the ConfigMap holds spec.data",
                    () -> readyForItsGeneration(sim) && configMapHoldsSpec(sim), Duration.ofMinutes(5));
        });
    }

    private static Optional<${kind}> sample(Simulation sim) {
        return sim.store().client().resources(${kind}.class).find("demo", "sample");
    }

    private static boolean readyForItsGeneration(Simulation sim) {
        return sample(sim).filter(r -> r.status() != null
                && Objects.equals(r.status().observedGeneration(), r.metadata().generation())
                && Condition.isTrue(r.status().conditions(), "Ready")).isPresent();
    }

    private static boolean conditionsStampedInVirtualTime(Simulation sim) {
        Instant now = sim.clock().wallClock().instant();
        return sample(sim).map(r -> r.status() == null ? List.<Condition>of() : r.status().conditions()).orElse(List.of())
                .stream().map(Condition::lastTransitionTime).filter(Objects::nonNull)
                .allMatch(t -> !t.isBefore(VirtualClock.START) && !t.isAfter(now));
    }

    private static boolean configMapHoldsSpec(Simulation sim) {
        Optional<ConfigMap> configMap = sim.store().client().resources(ConfigMap.class).find("demo", "sample-config");
        return sample(sim).isPresent() && configMap.isPresent()
                && configMap.get().data().equals(sample(sim).get().spec().data());
    }

    /** A read-modify-write, retried while it conflicts with the operator's own writes. */
    private static void updateData(ResourceClient<${kind}> resources, Map<String, String> data) {
        for (int attempt = 1; ; attempt++) {
            ${kind} current = resources.get("demo", "sample");
            try {
                resources.update(current.withSpec(current.spec().withData(data)));
                return;
            } catch (KubeApiException.ConflictException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }
}
