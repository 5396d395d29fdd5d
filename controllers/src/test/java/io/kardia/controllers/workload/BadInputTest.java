package io.kardia.controllers.workload;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.model.Deployment;
import io.kardia.core.model.Event;
import io.kardia.core.model.LabelSelector;
import io.kardia.core.model.LabelSelectorRequirement;
import io.kardia.core.model.ReplicaSet;
import io.kardia.runtime.Manager;
import io.kardia.runtime.TerminalException;
import io.kardia.runtime.testkit.Eventually;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Objects the store would refuse (it validates specs) can still reach a controller from a server
 * that does not: the controllers answer with a Warning event and a terminal error (no retry loop).
 */
@KardiaTest
class BadInputTest {
    private static final LabelSelector BOGUS = new LabelSelector(Map.of(),
            List.of(new LabelSelectorRequirement("app", "Bogus", List.of("x"), null)));

    private static boolean warned(TestEnvironment env, String reason) {
        return env.resources(Event.class).list("ns").items().stream()
                .anyMatch(e -> reason.equals(e.reason()) && "Warning".equals(e.type()));
    }

    @Test
    void invalidSelectorsAreTerminalAndReported(TestEnvironment env) {
        env.createNamespace("ns");
        try (Manager manager = Manager.builder(env.client()).build()) {
            ReplicaSet rs = Fixtures.replicaSet("ns", "bad", 1, Map.of("app", "x"));
            ReplicaSet badRs = rs.withSpec(new io.kardia.core.model.ReplicaSetSpec(1, null, BOGUS, rs.spec().template(), null));
            ReplicaSetController rsc = new ReplicaSetController(manager, new PodExpectations(), Clock.systemUTC());
            assertThatThrownBy(() -> rsc.reconcile(badRs)).isInstanceOf(TerminalException.class)
                    .hasMessageContaining("Bogus");

            Deployment d = Fixtures.deployment("ns", "bad", 1, "nginx:1", null);
            Deployment badD = d.withSpec(d.spec().toBuilder().selector(BOGUS).build());
            DeploymentController dc = new DeploymentController(manager, Clock.systemUTC());
            assertThatThrownBy(() -> dc.reconcile(badD)).isInstanceOf(TerminalException.class)
                    .hasMessageContaining("Bogus");
            Deployment noTemplate = d.withSpec(d.spec().toBuilder().template(null).build());
            assertThatThrownBy(() -> dc.reconcile(noTemplate)).isInstanceOf(TerminalException.class);

            Eventually.eventually("warning events", () -> warned(env, "InvalidSelector") && warned(env, "InvalidSpec"),
                    ok -> ok);
        }
    }
}
