package io.kardia.examples.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.model.Condition;
import io.kardia.core.model.CustomResourceDefinition;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectMeta;
import io.kardia.runtime.simulation.Simulation;
import io.kardia.runtime.simulation.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Database operator under simulation: what it stamps with time follows the simulation's virtual clock. */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DatabaseSimulationTest {
    private static final String NS = "shop";

    @Test
    void conditionsAreStampedWithTheManagersClock() {
        try (Simulation sim = Simulation.builder(1).build()) {
            sim.run("install the CRD", () -> {
                sim.client().resources(Namespace.class).create(Namespace.named(NS));
                sim.client().resources(CustomResourceDefinition.class).create(DatabaseCrd.definition());
            });
            sim.startManager("operator", DatabaseOperator::register);
            sim.runFor(Duration.ofMinutes(1)); // virtual time passes: a real-time stamp would lie years before it
            sim.run("create a Database", () -> sim.client().resources(Database.class)
                    .create(Database.of(ObjectMeta.of(NS, "orders"), DatabaseSpec.of("postgres:17.2", 1, "1Gi"))));
            sim.runUntil("the Database has conditions", () -> !conditions(sim).isEmpty(), Duration.ofMinutes(1));

            Instant now = sim.clock().wallClock().instant();
            assertThat(conditions(sim)).allSatisfy(c -> assertThat(c.lastTransitionTime()).as(c.type())
                    .isBetween(VirtualClock.START.plus(Duration.ofMinutes(1)).minusSeconds(1), now));
        }
    }

    private static List<Condition> conditions(Simulation sim) {
        return sim.store().client().resources(Database.class).find(NS, "orders")
                .filter(d -> d.status() != null).map(d -> d.status().conditions()).orElse(List.of());
    }
}
