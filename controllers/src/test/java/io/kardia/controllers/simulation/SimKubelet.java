package io.kardia.controllers.simulation;

import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Condition;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodStatus;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Result;
import io.kardia.runtime.simulation.Simulation;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** A stand-in kubelet for simulations: marks every pod Running and Ready, at the simulation's time. */
final class SimKubelet {
    private SimKubelet() {
    }

    static void register(Manager m, Simulation sim) {
        ResourceClient<Pod> pods = m.apiClient().resources(Pod.class);
        m.newController().forKind(Pod.class).named("kubelet").maxConcurrentReconciles(2).complete(pod -> {
            if (!pod.ready() && pod.metadata().deletionTimestamp() == null) {
                Instant now = sim.clock().wallClock().instant().truncatedTo(ChronoUnit.SECONDS);
                PodStatus base = pod.status() == null ? PodStatus.ofPhase(PodStatus.RUNNING) : pod.status();
                pods.updateStatus(pod.withStatus(base.withPhase(PodStatus.RUNNING)
                        .withCondition(Condition.of("Ready", Condition.TRUE, null, null, now), now)));
            }
            return Result.done();
        });
    }
}
