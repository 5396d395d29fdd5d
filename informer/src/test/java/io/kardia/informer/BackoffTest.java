package io.kardia.informer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final AtomicLong now = new AtomicLong();

    @Test
    void firstFailureRetriesAtOnceThenGrowsFrom800msTo30sWithJitter() {
        Backoff backoff = new Backoff(BackoffPolicy.defaults(), now::get, fixedRandom(0.5));

        assertThat(backoff.onFailure()).isEqualTo(Duration.ZERO);
        // base * (1 + jitter * 0.5)
        assertThat(backoff.onFailure()).isEqualTo(Duration.ofMillis(1200));
        assertThat(backoff.onFailure()).isEqualTo(Duration.ofMillis(2400));
        assertThat(backoff.onFailure()).isEqualTo(Duration.ofMillis(4800));
        for (int i = 0; i < 20; i++) {
            backoff.onFailure();
        }
        assertThat(backoff.onFailure()).isEqualTo(Duration.ofSeconds(45)); // capped at 30 s, then jittered
    }

    @Test
    void jitterSpreadsDelaysBetweenBaseAndTwiceBase() {
        Backoff low = new Backoff(BackoffPolicy.defaults(), now::get, fixedRandom(0.0));
        Backoff high = new Backoff(BackoffPolicy.defaults(), now::get, fixedRandom(0.999));
        low.onFailure();
        high.onFailure();

        assertThat(low.onFailure()).isEqualTo(Duration.ofMillis(800));
        assertThat(high.onFailure()).isBetween(Duration.ofMillis(1590), Duration.ofMillis(1600));
    }

    @Test
    void resetsAfterAHealthyPeriod() {
        Backoff backoff = new Backoff(BackoffPolicy.defaults(), now::get, fixedRandom(0.0));
        backoff.onFailure();
        backoff.onFailure();
        assertThat(backoff.onFailure()).isEqualTo(Duration.ofMillis(1600));
        assertThat(backoff.failures()).isEqualTo(3);

        now.addAndGet(Duration.ofMinutes(2).plusSeconds(1).toNanos());

        assertThat(backoff.failures()).isZero();
        assertThat(backoff.onFailure()).isEqualTo(Duration.ZERO);
        assertThat(backoff.onFailure()).isEqualTo(Duration.ofMillis(800));
    }

    @Test
    void doesNotResetWhileFailuresKeepComing() {
        Backoff backoff = new Backoff(BackoffPolicy.defaults(), now::get, fixedRandom(0.0));
        backoff.onFailure();
        for (int i = 0; i < 5; i++) {
            now.addAndGet(Duration.ofSeconds(90).toNanos());
            backoff.onFailure();
        }
        assertThat(backoff.failures()).isEqualTo(6);
    }

    @Test
    void rejectsNonsensePolicies() {
        assertThatThrownBy(() -> new BackoffPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial <= max");
        assertThatThrownBy(() -> new BackoffPolicy(Duration.ZERO, Duration.ofSeconds(1), 0.5, 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("factor >= 1");
    }

    static RandomGenerator fixedRandom(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }
}
