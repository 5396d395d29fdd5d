package io.kardia.controllers.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.model.Condition;
import io.kardia.core.model.Event;
import io.kardia.core.model.ReplicaSet;
import io.kardia.runtime.Manager;
import io.kardia.runtime.testkit.Eventually;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

@KardiaTest
class ReplicaSetFailureTest {

    @Test
    void refusedCreatesSetReplicaFailureAndAWarningWithoutHammeringTheApi(TestEnvironment env) throws Exception {
        env.createNamespace("ns");
        PodCreateFaults faults = new PodCreateFaults(env.client());
        env.startManager(Manager.builder(faults).cacheSyncTimeout(Duration.ofSeconds(10))
                .gracefulShutdownTimeout(Duration.ofSeconds(2)), ReplicaSetController::register);
        env.resources(ReplicaSet.class).create(Fixtures.replicaSet("ns", "quota", 20, Map.of("app", "q")));

        ReplicaSet failed = env.awaitObject(ReplicaSet.class, "ns", "quota", rs -> rs.status() != null
                && Condition.find(rs.status().conditions(), "ReplicaFailure").isPresent());
        Condition c = Condition.find(failed.status().conditions(), "ReplicaFailure").orElseThrow();
        assertThat(c.status()).isEqualTo("True");
        assertThat(c.reason()).isEqualTo("FailedCreate");
        assertThat(c.message()).contains("exceeded quota");
        Eventually.eventually("a FailedCreate warning event", () -> env.resources(Event.class).list("ns").items(),
                l -> l.stream().anyMatch(e -> "FailedCreate".equals(e.reason()) && "Warning".equals(e.type())));
        // slow start: each sync tries one pod, not twenty
        assertThat(faults.attempts.get()).isLessThan(20);

        faults.failing.set(false);
        env.awaitObject(ReplicaSet.class, "ns", "quota", rs -> rs.status() != null
                && Objects.equals(rs.status().replicas(), 20)
                && Condition.find(rs.status().conditions(), "ReplicaFailure").isEmpty());
    }
}
