package io.kardia.controllers.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Deployment;
import io.kardia.core.model.Pod;
import io.kardia.core.model.ReplicaSet;
import io.kardia.runtime.testkit.Eventually;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The controllers over the HTTP client (the wire path a real cluster uses), and re-adoption after an orphaning delete. */
@KardiaTest(http = true)
class DeploymentOverHttpTest {

    @Test
    void reappliedDeploymentAdoptsTheReplicaSetAndPodsAnOrphaningDeleteLeftBehind(TestEnvironment env) throws Exception {
        env.createNamespace("ns");
        env.awaitTimeout(Duration.ofSeconds(30));
        TestKubelet.startAllReady(env);
        env.startManager(WorkloadControllers::register);
        ResourceClient<Deployment> deployments = env.resources(Deployment.class);
        deployments.create(Fixtures.deployment("ns", "web", 3, "nginx:1", null));
        env.awaitObject(Deployment.class, "ns", "web", DeploymentControllerTest::rolledOut);
        Set<String> podsBefore = podNames(env);
        String rsName = env.resources(ReplicaSet.class).list("ns").items().get(0).metadata().name();

        deployments.delete("ns", "web", DeleteOptions.propagation(DeleteOptions.PropagationPolicy.Orphan));
        env.awaitAbsent(Deployment.class, "ns", "web");
        ReplicaSet orphan = env.resources(ReplicaSet.class).get("ns", rsName);
        assertThat(orphan.metadata().controllerRef()).isEmpty();

        Deployment again = deployments.create(Fixtures.deployment("ns", "web", 3, "nginx:1", null));
        env.awaitObject(ReplicaSet.class, "ns", rsName, rs -> rs.metadata().controllerRef()
                .map(r -> r.uid().equals(again.metadata().uid())).orElse(false));
        env.awaitObject(Deployment.class, "ns", "web", DeploymentControllerTest::rolledOut);
        List<ReplicaSet> rss = env.resources(ReplicaSet.class).list("ns").items();
        assertThat(rss).extracting(rs -> rs.metadata().name()).containsExactly(rsName);
        Eventually.eventually("the same pods, never replaced", () -> podNames(env), names -> names.equals(podsBefore));
    }

    private static Set<String> podNames(TestEnvironment env) {
        return env.resources(Pod.class).list("ns").items().stream().map(p -> p.metadata().name()).collect(Collectors.toSet());
    }
}
