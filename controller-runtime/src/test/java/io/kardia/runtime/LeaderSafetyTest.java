package io.kardia.runtime;

import static io.kardia.runtime.TestObjects.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.ForwardingResourceClient;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.KubeClientException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ResourceType;
import io.kardia.runtime.leader.FencedWriteException;
import io.kardia.runtime.leader.LeaderElectionConfig;
import io.kardia.runtime.leader.LeadershipLossPolicy;
import io.kardia.runtime.leader.LeadershipLostException;
import io.kardia.store.ReferenceStore;
import io.kardia.store.http.ApiServer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Leader election that stays safe under load and after loss: own client, stop at once, fence, exit or campaign again. */
@Timeout(180)
class LeaderSafetyTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final LeaderElectionConfig ELECTION = LeaderElectionConfig.of("default", "safety-lock")
            .withTimings(Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofMillis(200));

    /** A client whose writes fail while {@code failing} is set: the elector cannot renew. */
    static final class FlakyClient implements KubeClient {
        final KubeClient real;
        final AtomicBoolean failing = new AtomicBoolean();

        FlakyClient(KubeClient real) {
            this.real = real;
        }

        @Override
        public <T extends KubeObject> ResourceClient<T> resources(ResourceType<T> type) {
            return new ForwardingResourceClient<>(real.resources(type)) {
                @Override
                public T update(T object, WriteOptions options) {
                    if (failing.get()) {
                        throw new KubeClientException("connection refused (test)");
                    }
                    return super.update(object, options);
                }

                @Override
                public T create(T object, WriteOptions options) {
                    if (failing.get()) {
                        throw new KubeClientException("connection refused (test)");
                    }
                    return super.create(object, options);
                }
            };
        }

        @Override
        public void bindPod(String namespace, String podName, String nodeName) {
            real.bindPod(namespace, podName, nodeName);
        }

        @Override
        public io.kardia.core.client.ServerResources discoverResources() {
            return real.discoverResources();
        }

        @Override
        public io.kardia.core.model.Namespace finalizeNamespace(io.kardia.core.model.Namespace namespace) {
            return real.finalizeNamespace(namespace);
        }

        @Override
        public void close() {
        }
    }

    private static Manager manager(ReferenceStore store, FlakyClient election, LeadershipLossPolicy policy,
                                   Set<String> reconciled) {
        Manager m = Manager.builder(store.client()).leaderElection(ELECTION.withIdentity("m-" + policy))
                .leaderElectionClient(election).onLeadershipLoss(policy)
                .cacheSyncTimeout(Duration.ofSeconds(30)).gracefulShutdownTimeout(Duration.ofSeconds(1)).build();
        m.newController().forKind(ConfigMap.class).complete(cm -> {
            reconciled.add(cm.metadata().name());
            return Result.done();
        });
        return m;
    }

    @Test
    void aFailedRenewalStopsDispatchAtOnceTheLostLeaseStopsTheManagerAndLateWritesAreFenced() throws Exception {
        try (ReferenceStore store = ReferenceStore.inMemory()) {
            FlakyClient election = new FlakyClient(store.client());
            Set<String> reconciled = ConcurrentHashMap.newKeySet();
            Manager m = manager(store, election, LeadershipLossPolicy.EXIT, reconciled);
            CompletableFuture<Throwable> ran = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    m.run();
                    ran.complete(null);
                } catch (Throwable t) {
                    ran.complete(t);
                }
            });
            store.client().resources(ConfigMap.class).create(configMap("default", "first"));
            await().atMost(WAIT).until(() -> reconciled.contains("first"));

            election.failing.set(true);
            await().atMost(WAIT).until(() -> !m.leaseGuard().mayDispatch());
            store.client().resources(ConfigMap.class).create(configMap("default", "late"));

            Throwable outcome = ran.get(60, TimeUnit.SECONDS);
            assertThat(outcome).isInstanceOf(LeadershipLostException.class).hasMessageContaining("safety-lock");
            assertThat(m.failure()).containsInstanceOf(LeadershipLostException.class);
            assertThat(reconciled).as("nothing dispatched after the first failed renewal").doesNotContain("late");
            assertThat(m.leaseGuard().mayWrite()).isFalse();
            assertThatThrownBy(() -> m.apiClient().resources(ConfigMap.class).create(configMap("default", "fenced")))
                    .isInstanceOf(FencedWriteException.class).hasMessageContaining("does not lead");
            assertThat(store.client().resources(ConfigMap.class).find("default", "fenced")).isEmpty();
        }
    }

    @Test
    void withCampaignAgainTheManagerPausesAndResumesWithAResyncWhenItLeadsAgain() throws Exception {
        try (ReferenceStore store = ReferenceStore.inMemory()) {
            FlakyClient election = new FlakyClient(store.client());
            Set<String> reconciled = ConcurrentHashMap.newKeySet();
            Manager m = manager(store, election, LeadershipLossPolicy.CAMPAIGN_AGAIN, reconciled);
            try {
                m.start();
                store.client().resources(ConfigMap.class).create(configMap("default", "first"));
                await().atMost(WAIT).until(() -> reconciled.contains("first"));

                election.failing.set(true);
                await().atMost(WAIT).until(() -> !m.isLeader());
                store.client().resources(ConfigMap.class).create(configMap("default", "during"));
                assertThat(m.failure()).isEmpty();
                assertThat(reconciled).doesNotContain("during");

                election.failing.set(false);
                await().atMost(WAIT).until(m::isLeader);
                await().atMost(WAIT).until(() -> reconciled.contains("during"));
                store.client().resources(ConfigMap.class).create(configMap("default", "after"));
                await().atMost(WAIT).until(() -> reconciled.contains("after"));
            } finally {
                m.close();
            }
        }
    }

    /**
     * Over HTTP the controllers' client is rate limited; its queue must not delay renewals. With
     * 1 QPS and three threads keeping the limiter busy, a renewal on that client would wait longer
     * than the renew deadline; the elector's own client keeps the lease.
     */
    @Test
    void renewalsNeverQueueBehindTheControllersRateLimiter() throws Exception {
        try (ReferenceStore store = ReferenceStore.inMemory();
             ApiServer server = ApiServer.start(store, "127.0.0.1", 0, "safety-test-token-0123456789", null);
             HttpKubeClient slow = HttpKubeClient.create(ClientConfig.builder(server.url()).bearerToken("safety-test-token-0123456789")
                     .rateLimit(1, 1).build())) {
            Manager m = Manager.builder(slow).leaderElection(ELECTION.withIdentity("busy"))
                    .cacheSyncTimeout(Duration.ofSeconds(60)).build();
            m.newController().forKind(ConfigMap.class).complete(cm -> Result.done());
            ExecutorService hogs = Executors.newFixedThreadPool(3);
            AtomicBoolean stop = new AtomicBoolean();
            try {
                m.start();
                await().atMost(WAIT).until(m::isLeader);
                for (int i = 0; i < 3; i++) {
                    hogs.submit(() -> {
                        while (!stop.get()) {
                            slow.resources(ConfigMap.class).find("default", "nothing");
                        }
                    });
                }
                await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(30))
                        .until(() -> m.isLeader() && m.failure().isEmpty());
            } finally {
                stop.set(true);
                hogs.shutdownNow();
                m.close();
            }
        }
    }
}
