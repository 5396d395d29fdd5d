package io.kardia.runtime.leader;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.store.ReferenceStore;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The renew deadline is measured on the injected monotonic clock, with the default timings and no real waiting. */
class LeaderElectorClockTest {

    /** Time passes only when the elector waits. */
    static final class FakeClock implements LeaderClock {
        final AtomicLong nanos = new AtomicLong(1_000_000_000L);

        @Override
        public long nanoTime() {
            return nanos.get();
        }

        @Override
        public Instant now() {
            return Instant.EPOCH.plusNanos(nanos.get() / 1000 * 1000);
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            nanos.addAndGet(duration.toNanos());
            Thread.yield();
        }
    }

    @Test
    void aLeaderThatCannotRenewStopsAtTheRenewDeadlineWellBeforeTheLeaseExpires() throws Exception {
        try (ReferenceStore store = ReferenceStore.inMemory()) {
            FakeClock clock = new FakeClock();
            PausableClient client = new PausableClient(store.client());
            AtomicLong startedAt = new AtomicLong();
            AtomicLong stoppedAt = new AtomicLong();
            CountDownLatch stopped = new CountDownLatch(1);
            LeaderElectionConfig config = LeaderElectionConfig.of("default", "clocked").withIdentity("me");
            LeaderElector elector = new LeaderElector(client, config, new LeaderCallbacks() {
                @Override
                public void onStartedLeading() {
                    startedAt.set(clock.nanoTime());
                    client.pause(PausableClient.Mode.FAIL); // every renewal fails from now on
                }

                @Override
                public void onStoppedLeading() {
                    stoppedAt.set(clock.nanoTime());
                    stopped.countDown();
                }
            }, clock);
            try {
                elector.start();
                assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(elector.isLeader()).isFalse();
                Duration led = Duration.ofNanos(stoppedAt.get() - startedAt.get());
                assertThat(led).isLessThanOrEqualTo(config.renewDeadline())
                        .isGreaterThanOrEqualTo(config.renewDeadline().minus(config.retryPeriod()))
                        .isLessThan(config.leaseDuration());
            } finally {
                client.resume();
                elector.close();
            }
        }
    }

    /**
     * The guard: dispatch stops at the first failed renewal, writes at the renew deadline; a leader
     * whose elector is stuck past a whole lease is overdue (what the manager's /healthz reports).
     */
    @Test
    void theGuardStopsDispatchAtTheFirstFailedRenewalAndWritesAtTheDeadline() throws Exception {
        try (ReferenceStore store = ReferenceStore.inMemory()) {
            FakeClock clock = new FakeClock();
            PausableClient client = new PausableClient(store.client());
            CountDownLatch failing = new CountDownLatch(1);
            CountDownLatch unblock = new CountDownLatch(1);
            java.util.concurrent.atomic.AtomicBoolean dispatchWhileLeading = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicBoolean dispatchWhenFailing = new java.util.concurrent.atomic.AtomicBoolean(true);
            java.util.concurrent.atomic.AtomicBoolean writeWhenFailing = new java.util.concurrent.atomic.AtomicBoolean();
            LeaderElectionConfig config = LeaderElectionConfig.of("default", "guarded").withIdentity("me");
            LeaderElector[] self = new LeaderElector[1];
            LeaderElector elector = new LeaderElector(client, config, new LeaderCallbacks() {
                @Override
                public void onStartedLeading() {
                    dispatchWhileLeading.set(self[0].guard().mayDispatch());
                    client.pause(PausableClient.Mode.FAIL);
                }

                @Override
                public void onRenewalFailing() {
                    dispatchWhenFailing.set(self[0].guard().mayDispatch());
                    writeWhenFailing.set(self[0].guard().mayWrite());
                    failing.countDown();
                    try {
                        unblock.await(); // a stuck callback keeps the elector from stopping
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, clock);
            self[0] = elector;
            try {
                elector.start();
                assertThat(failing.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(dispatchWhileLeading).isTrue();
                assertThat(dispatchWhenFailing).as("no new work once a renewal failed").isFalse();
                assertThat(writeWhenFailing).as("writes allowed until the renew deadline").isTrue();
                assertThat(elector.overdue()).isFalse();

                clock.nanos.addAndGet(config.leaseDuration().toNanos() + 1); // stuck for a whole lease
                assertThat(elector.isLeader()).isTrue();
                assertThat(elector.guard().mayWrite()).as("fenced after the deadline").isFalse();
                assertThat(elector.guard().why()).contains("renew deadline");
                assertThat(elector.overdue()).isTrue();
            } finally {
                unblock.countDown();
                client.resume();
                elector.close();
            }
            assertThat(elector.overdue()).isFalse();
        }
    }
}
