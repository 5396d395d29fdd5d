package io.kardia.runtime;

import static io.kardia.runtime.TestObjects.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.ObjectMeta;
import io.kardia.runtime.leader.FencedWriteException;
import io.kardia.runtime.leader.LeaderCallbacks;
import io.kardia.runtime.leader.LeaderClock;
import io.kardia.runtime.leader.LeaderElectionConfig;
import io.kardia.runtime.leader.LeaderElector;
import io.kardia.runtime.leader.LeadershipLossPolicy;
import io.kardia.store.ReferenceStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A process paused longer than its lease (what SIGSTOP, a long GC or a frozen VM does), simulated
 * in process: the elector's clock jumps forward while its thread is held, as a paused process
 * sees time after SIGCONT. With {@link LeadershipLossPolicy#CAMPAIGN_AGAIN} the manager must stop
 * dispatching and writing, report itself unhealthy while it believes it leads without renewing,
 * and after the pause campaign again, win and act on what changed meanwhile.
 */
@Timeout(120)
class ManagerPauseResumeTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final LeaderElectionConfig ELECTION = LeaderElectionConfig.of("default", "pause-lock")
            .withIdentity("paused-manager")
            .withTimings(Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofMillis(200));
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The system clock plus a jump; {@link #pause()} holds the elector at its next wait until {@link #resume()}. */
    static final class PausableClock implements LeaderClock {
        private final AtomicLong jump = new AtomicLong();
        private volatile CountDownLatch resumed = new CountDownLatch(0);
        private volatile CountDownLatch held = new CountDownLatch(1);

        @Override
        public long nanoTime() {
            return System.nanoTime() + jump.get();
        }

        @Override
        public Instant now() {
            return Instant.now().plusNanos(jump.get()).truncatedTo(ChronoUnit.MICROS);
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            CountDownLatch r = resumed;
            if (r.getCount() > 0) {
                held.countDown();
                r.await();
                return;
            }
            Thread.sleep(duration); // the elector's pacing, as LeaderClock.system()
        }

        void pause() {
            held = new CountDownLatch(1);
            resumed = new CountDownLatch(1);
        }

        /** Waits until the elector is held, then lets {@code pause} pass on its clock. */
        void awaitHeldAndJump(Duration pause) throws InterruptedException {
            assertThat(held.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("elector held").isTrue();
            jump.addAndGet(pause.toNanos());
        }

        void resume() {
            resumed.countDown();
        }
    }

    /** A campaign-again manager whose controller mirrors each ConfigMap's data into NAME-seen through its (fenced) client. */
    private static Manager mirroringManager(ReferenceStore store, PausableClock clock, AtomicInteger reconciles) {
        Manager m = Manager.builder(store.client()).leaderElection(ELECTION).leaderElectionClock(clock)
                .onLeadershipLoss(LeadershipLossPolicy.CAMPAIGN_AGAIN).httpPort(0)
                .cacheSyncTimeout(Duration.ofSeconds(30)).gracefulShutdownTimeout(Duration.ofSeconds(1)).build();
        m.newController().forKind(ConfigMap.class).complete(cm -> {
            reconciles.incrementAndGet();
            if (!cm.metadata().name().endsWith("-seen")) {
                mirror(m.apiClient().resources(ConfigMap.class), cm);
            }
            return Result.done();
        });
        return m;
    }

    @Test
    void afterAPauseLongerThanTheLeaseTheManagerStopsActingReportsUnhealthyThenCampaignsWinsAndActs() throws Exception {
        try (ReferenceStore store = ReferenceStore.inMemory()) {
            ResourceClient<ConfigMap> configMaps = store.client().resources(ConfigMap.class);
            PausableClock clock = new PausableClock();
            AtomicInteger reconciles = new AtomicInteger();
            Manager m = mirroringManager(store, clock, reconciles);
            try {
                m.start();
                configMaps.create(configMap("default", "web", Map.of("replicas", "1")));
                await().atMost(WAIT).until(() -> replicas(configMaps, "web-seen").equals(Optional.of("1")));
                assertThat(health(m)).isEqualTo(200);

                clock.pause();
                clock.awaitHeldAndJump(ELECTION.leaseDuration().plusSeconds(1));
                int reconcilesBefore = reconciles.get();
                // Paused past the lease: it still believes it leads, but may neither dispatch nor write.
                assertThat(m.isLeader()).isTrue();
                assertThat(m.leaseGuard().mayDispatch()).isFalse();
                assertThat(m.leaseGuard().mayWrite()).isFalse();
                assertThat(health(m)).as("/healthz while leading without renewing").isEqualTo(503);
                assertThat(healthBody(m)).contains("leader election").contains("renew deadline");
                assertThatThrownBy(() -> m.apiClient().resources(ConfigMap.class).create(configMap("default", "fenced")))
                        .isInstanceOf(FencedWriteException.class);

                configMaps.update(configMaps.get("default", "web").withData(Map.of("replicas", "2"))); // the "scale"
                configMaps.create(configMap("default", "during", Map.of("replicas", "5")));
                await().atMost(WAIT).until(() -> m.client().resources(ConfigMap.class).find("default", "during").isPresent()
                        && m.client().resources(ConfigMap.class).find("default", "web")
                                .map(c -> c.data().get("replicas")).equals(Optional.of("2")));
                await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() ->
                        replicas(configMaps, "web-seen").equals(Optional.of("1")) && configMaps.find("default", "during-seen").isEmpty());
                assertThat(reconciles.get()).as("reconciles dispatched while the lease had lapsed").isEqualTo(reconcilesBefore);

                clock.resume();
                await().atMost(WAIT).until(() -> replicas(configMaps, "web-seen").equals(Optional.of("2")));
                await().atMost(WAIT).until(() -> replicas(configMaps, "during-seen").equals(Optional.of("5")));
                assertThat(m.isLeader()).isTrue();
                assertThat(m.failure()).isEmpty();
                assertThat(health(m)).isEqualTo(200);
                assertThat(configMaps.find("default", "fenced")).isEmpty();

                configMaps.update(configMaps.get("default", "web").withData(Map.of("replicas", "3")));
                await().atMost(WAIT).until(() -> replicas(configMaps, "web-seen").equals(Optional.of("3")));
            } finally {
                clock.resume();
                m.close();
            }
        }
    }

    /**
     * While it was paused a standby took the lease over: after the pause the manager must not act,
     * stays healthy as a standby, and takes over (and acts) once the standby lets go.
     */
    @Test
    void aStandbyThatTookOverDuringThePauseKeepsTheLeaseUntilItLetsGo() throws Exception {
        try (ReferenceStore store = ReferenceStore.inMemory()) {
            ResourceClient<ConfigMap> configMaps = store.client().resources(ConfigMap.class);
            PausableClock clock = new PausableClock();
            AtomicInteger reconciles = new AtomicInteger();
            Manager m = mirroringManager(store, clock, reconciles);
            CountDownLatch standbyLeads = new CountDownLatch(1);
            LeaderElector standby = new LeaderElector(store.client(), ELECTION.withIdentity("standby"), new LeaderCallbacks() {
                @Override
                public void onStartedLeading() {
                    standbyLeads.countDown();
                }
            });
            try {
                m.start();
                configMaps.create(configMap("default", "web", Map.of("replicas", "1")));
                await().atMost(WAIT).until(() -> replicas(configMaps, "web-seen").equals(Optional.of("1")));

                clock.pause();
                clock.awaitHeldAndJump(ELECTION.leaseDuration().plusSeconds(1));
                standby.start(); // sees the lease unrenewed for a whole lease duration, then takes it
                assertThat(standbyLeads.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                configMaps.update(configMaps.get("default", "web").withData(Map.of("replicas", "2")));

                clock.resume();
                await().atMost(WAIT).until(() -> !m.isLeader());
                int reconcilesAsStandby = reconciles.get();
                await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() ->
                        replicas(configMaps, "web-seen").equals(Optional.of("1")) && !m.isLeader());
                assertThat(reconciles.get()).as("reconciles while another process leads").isEqualTo(reconcilesAsStandby);
                assertThat(health(m)).as("a standby is healthy").isEqualTo(200);
                assertThat(m.failure()).isEmpty();

                standby.close(); // releases the lease
                await().atMost(WAIT).until(m::isLeader);
                await().atMost(WAIT).until(() -> replicas(configMaps, "web-seen").equals(Optional.of("2")));
            } finally {
                clock.resume();
                standby.close();
                m.close();
            }
        }
    }

    private static void mirror(ResourceClient<ConfigMap> client, ConfigMap cm) {
        String name = cm.metadata().name() + "-seen";
        Optional<ConfigMap> seen = client.find("default", name);
        if (seen.isEmpty()) {
            client.create(ConfigMap.of(ObjectMeta.of("default", name), cm.data()));
        } else if (!seen.get().data().equals(cm.data())) {
            client.update(seen.get().withData(cm.data()));
        }
    }

    private static Optional<String> replicas(ResourceClient<ConfigMap> client, String name) {
        return client.find("default", name).map(c -> c.data().get("replicas"));
    }

    private static int health(Manager m) throws Exception {
        return get(m).statusCode();
    }

    private static String healthBody(Manager m) throws Exception {
        return get(m).body();
    }

    private static HttpResponse<String> get(Manager m) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.httpPort() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
