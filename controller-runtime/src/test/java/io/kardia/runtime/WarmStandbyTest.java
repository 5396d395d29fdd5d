package io.kardia.runtime;

import static io.kardia.runtime.TestObjects.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.core.model.ConfigMap;
import io.kardia.informer.SharedInformer;
import io.kardia.runtime.leader.LeaderElectionConfig;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Warm standby: a manager that does not lead syncs its informers anyway (by default), so a
 * takeover reconciles from a warm cache; a cold standby lists and watches nothing until it leads.
 */
@KardiaTest
class WarmStandbyTest {
    private static final LeaderElectionConfig ELECTION = LeaderElectionConfig.of("default", "standby-lock")
            .withTimings(Duration.ofSeconds(60), Duration.ofSeconds(50), Duration.ofMillis(100));

    private static Manager manager(TestEnvironment env, String identity, boolean warm, AtomicInteger reconciles)
            throws Exception {
        return env.startManager(Manager.builder(env.store().client()).leaderElection(ELECTION.withIdentity(identity))
                        .warmStandby(warm),
                m -> m.newController().forKind(ConfigMap.class).complete(cm -> {
                    reconciles.incrementAndGet();
                    return Result.done();
                }));
    }

    @Test
    void aWarmStandbySyncsItsCachesBeforeItLeadsAndTakesOverFromThem(TestEnvironment env) throws Exception {
        env.resources(ConfigMap.class).create(configMap("default", "work"));
        AtomicInteger byLeader = new AtomicInteger();
        AtomicInteger byStandby = new AtomicInteger();
        Manager leader = manager(env, "leader", true, byLeader);
        await().untilAsserted(() -> assertThat(byLeader.get()).isPositive());
        Manager standby = manager(env, "standby", true, byStandby);

        await().until(() -> standby.informers().informers().stream().allMatch(SharedInformer::hasSynced));
        assertThat(standby.isLeader()).isFalse();
        assertThat(standby.informers().informers().getFirst().indexer().getByKey("default/work")).isPresent();
        assertThat(byStandby).hasValue(0);

        leader.close();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(byStandby.get()).isPositive());
        assertThat(standby.isLeader()).isTrue();
    }

    @Test
    void aColdStandbyStartsItsInformersOnlyWhenItLeads(TestEnvironment env) throws Exception {
        env.resources(ConfigMap.class).create(configMap("default", "work"));
        AtomicInteger byLeader = new AtomicInteger();
        AtomicInteger byStandby = new AtomicInteger();
        Manager leader = manager(env, "leader", true, byLeader);
        await().untilAsserted(() -> assertThat(byLeader.get()).isPositive());
        Manager standby = manager(env, "standby", false, byStandby);

        assertThat(standby.informers().informers()).isNotEmpty().noneMatch(SharedInformer::isStarted);

        leader.close();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(byStandby.get()).isPositive());
        assertThat(standby.informers().informers()).allMatch(SharedInformer::hasSynced);
    }
}
