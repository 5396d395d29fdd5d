package io.kardia.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.controllers.node.NodeLifecycleOptions;
import io.kardia.controllers.scheduler.SchedulerOptions;
import io.kardia.runtime.Manager;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Two controller managers on one store (as `kardia up` and `kardia controllers`): one leads, one stands by. */
@KardiaTest
class ControllerManagerTest {

    @Test
    void secondManagerStandsByAndTakesOverWhenTheLeaderStops(TestEnvironment env) throws Exception {
        Manager first = ControllerManager.start(env.newClient(), NodeLifecycleOptions.defaults(),
                SchedulerOptions.defaults(), true);
        await().atMost(Duration.ofSeconds(10)).until(first::isLeader);
        Manager second = ControllerManager.start(env.newClient(), NodeLifecycleOptions.defaults(),
                SchedulerOptions.defaults(), true);
        try {
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> !second.isLeader());
            first.close(); // releases the lease
            await().atMost(Duration.ofSeconds(10)).until(second::isLeader);
        } finally {
            first.close();
            second.close();
        }
    }
}
