package io.kardia.core.client.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final List<Long> sleeps = new ArrayList<>();

    TokenBucket bucket(double qps, int burst) {
        return new TokenBucket(qps, burst, now::get, nanos -> {
            sleeps.add(nanos);
            now.addAndGet(nanos); // time passes while the caller sleeps
        });
    }

    @Test
    void aFullBucketLetsABurstThroughThenPacesAtQps() throws Exception {
        TokenBucket b = bucket(10, 3);
        for (int i = 0; i < 3; i++) {
            b.acquire();
        }
        assertThat(sleeps).isEmpty();
        b.acquire();
        b.acquire();
        assertThat(sleeps).containsExactly(100_000_000L, 100_000_000L); // 1/qps each
    }

    @Test
    void reservationsQueueUpWithoutSleepingInsideTheLock() {
        TokenBucket b = bucket(2, 1);
        assertThat(b.reserve()).isZero();
        assertThat(b.reserve()).isEqualTo(500_000_000L);
        assertThat(b.reserve()).isEqualTo(1_000_000_000L); // the second waiter waits behind the first
    }

    @Test
    void idleTimeRefillsUpToTheBurstOnly() {
        TokenBucket b = bucket(1, 2);
        b.reserve();
        b.reserve();
        now.addAndGet(60_000_000_000L); // a minute idle
        assertThat(b.reserve()).isZero();
        assertThat(b.reserve()).isZero();
        assertThat(b.reserve()).isEqualTo(1_000_000_000L);
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> bucket(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bucket(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
