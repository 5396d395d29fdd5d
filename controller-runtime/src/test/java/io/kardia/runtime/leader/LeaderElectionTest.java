package io.kardia.runtime.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kardia.core.model.Lease;
import io.kardia.store.ReferenceStore;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Several candidates in one JVM against the reference store, with short timings. Safety (never two
 * acting leaders) rests on the renew deadline ending before the lease: the 1.5 s between them is
 * the scheduling delay a busy machine may add without a false violation. Waits have generous
 * bounds and no test asserts a latency; the deadline itself is measured on an injected clock in
 * {@link LeaderElectorClockTest}.
 */
class LeaderElectionTest {
    static final Duration LEASE = Duration.ofSeconds(3);
    static final Duration RENEW = Duration.ofMillis(1500);
    static final Duration RETRY = Duration.ofMillis(200);
    /** Far longer than any of these tests needs on a busy machine; short against a long lease. */
    static final Duration WAIT = Duration.ofSeconds(30);

    private final ReferenceStore store = ReferenceStore.inMemory();
    private final LeaderElectionConfig config = LeaderElectionConfig.of("default", "election-test")
            .withTimings(LEASE, RENEW, RETRY);

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void exactlyOneOfSeveralCandidatesLeadsAndHoldsTheLease() {
        try (Candidates c = new Candidates(store.client(), config, 3)) {
            c.startAll();
            await().atMost(WAIT).until(() -> c.actingLeader().isPresent());
            Candidates.Candidate leader = c.actingLeader().orElseThrow();
            // several renewals pass: leadership stays put and nobody else acts
            Lease first = store.client().resources(Lease.class).get("default", "election-test");
            await().atMost(WAIT).until(() -> !store.client().resources(Lease.class)
                    .get("default", "election-test").spec().renewTime().equals(first.spec().renewTime()));
            assertThat(c.actingCount()).isEqualTo(1);
            assertThat(leader.isActing).isTrue();
            assertThat(first.spec().holderIdentity()).isEqualTo(leader.id);
            assertThat(first.spec().leaseDurationSeconds()).isEqualTo((int) LEASE.toSeconds());
            // The others learn the holder on their next retry, which need not have come yet.
            await().atMost(WAIT).untilAsserted(() ->
                    c.all.forEach(x -> assertThat(x.elector.observedLeader()).contains(leader.id)));
            assertThat(c.violations).isEmpty();
        }
    }

    @Test
    void gracefulReleaseHandsOverWithoutWaitingForExpiry() {
        // The lease outlasts the wait below twice over: a successor within the wait did not wait for expiry.
        Duration longLease = WAIT.multipliedBy(2);
        try (Candidates c = new Candidates(store.client(), config.withTimings(longLease,
                longLease.minus(Duration.ofSeconds(10)), RETRY), 3)) {
            c.startAll();
            await().atMost(WAIT).until(() -> c.actingLeader().isPresent());
            Candidates.Candidate leader = c.actingLeader().orElseThrow();
            leader.elector.close();
            assertThat(leader.isActing).isFalse();
            Lease lease = store.client().resources(Lease.class).get("default", "election-test");
            assertThat(lease.spec().holderIdentity()).as("released (empty) or already taken by another")
                    .isNotEqualTo(leader.id);
            await().atMost(WAIT).until(() -> c.actingLeader().isPresent());
            Candidates.Candidate next = c.actingLeader().orElseThrow();
            assertThat(next).isNotSameAs(leader);
            assertThat(store.client().resources(Lease.class).get("default", "election-test").spec().leaseTransitions())
                    .isGreaterThanOrEqualTo(1);
            assertThat(c.violations).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(PausableClient.Mode.class)
    void aPausedLeaderStopsActingBeforeAnotherTakesOver(PausableClient.Mode mode) {
        try (Candidates c = new Candidates(store.client(), config, 3)) {
            c.startAll();
            await().atMost(WAIT).until(() -> c.actingLeader().isPresent());
            Candidates.Candidate leader = c.actingLeader().orElseThrow();
            long paused = System.nanoTime();
            leader.client.pause(mode);
            await().atMost(WAIT).until(() -> c.actingLeader().filter(x -> x != leader).isPresent());
            Candidates.Candidate next = c.actingLeader().orElseThrow();
            assertThat(next.startedActingNanos).as("took over after the pause").isGreaterThan(paused);
            assertThat(leader.isActing).isFalse();
            assertThat(c.violations).as(String.join(", ", c.timeline)).isEmpty();
            // resumed, the old leader sees the new holder and stays a follower
            leader.client.resume();
            await().atMost(WAIT).until(() -> leader.elector.observedLeader().orElse("").equals(next.id));
            assertThat(c.actingCount()).isEqualTo(1);
            assertThat(c.violations).isEmpty();
        }
    }

    @Test
    void configurationErrorsAreClear() {
        assertThatThrownBy(() -> config.withTimings(Duration.ofSeconds(1), Duration.ofSeconds(2), RETRY))
                .hasMessageContaining("leaseDuration (PT1S) must be longer than renewDeadline (PT2S)");
        assertThatThrownBy(() -> config.withTimings(Duration.ofSeconds(3), Duration.ofMillis(50), RETRY))
                .hasMessageContaining("renewDeadline (PT0.05S) must be longer than retryPeriod");
        assertThatThrownBy(() -> LeaderElectionConfig.of("", "x")).hasMessageContaining("lease namespace");
        LeaderElectionConfig defaults = LeaderElectionConfig.of("ns", "lock");
        assertThat(defaults.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(defaults.renewDeadline()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.retryPeriod()).isEqualTo(Duration.ofSeconds(2));
    }
}
