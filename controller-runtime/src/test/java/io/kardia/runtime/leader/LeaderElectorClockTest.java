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
}
