package io.kardia.controllers.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ZoneRulesTest {
    private static final NodeLifecycleOptions DEFAULTS = NodeLifecycleOptions.defaults();

    @Test
    void zoneStatesFollowKubernetesThresholds() {
        assertThat(ZoneState.of(3, 0, 0.55)).isEqualTo(ZoneState.NORMAL);
        assertThat(ZoneState.of(1, 2, 0.55)).isEqualTo(ZoneState.NORMAL); // no more than 2 down
        assertThat(ZoneState.of(2, 3, 0.55)).isEqualTo(ZoneState.PARTIAL_DISRUPTION);
        assertThat(ZoneState.of(10, 3, 0.55)).isEqualTo(ZoneState.NORMAL);
        assertThat(ZoneState.of(0, 1, 0.55)).isEqualTo(ZoneState.FULL_DISRUPTION);
        assertThat(ZoneState.of(0, 0, 0.55)).isEqualTo(ZoneState.NORMAL);
    }

    @Test
    void ratesPerState() {
        assertThat(ZoneState.NORMAL.evictionRate(DEFAULTS, 3)).isEqualTo(0.1);
        assertThat(ZoneState.PARTIAL_DISRUPTION.evictionRate(DEFAULTS, 100)).isEqualTo(0.01);
        assertThat(ZoneState.PARTIAL_DISRUPTION.evictionRate(DEFAULTS, 10)).isZero();
        assertThat(ZoneState.FULL_DISRUPTION.evictionRate(DEFAULTS, 100)).isZero();
    }

    @Test
    void limiterAllowsOneNodePerTenSecondsPerZone() {
        AtomicLong now = new AtomicLong();
        ZoneRateLimiter limiter = new ZoneRateLimiter(now::get);
        assertThat(limiter.tryAcquire("a", 0.1)).isZero();
        long wait = limiter.tryAcquire("a", 0.1);
        assertThat(wait).isEqualTo(10_000_000_000L);
        assertThat(limiter.tryAcquire("b", 0.1)).isZero(); // zones are independent
        now.addAndGet(wait - 1);
        assertThat(limiter.tryAcquire("a", 0.1)).isPositive();
        now.addAndGet(1);
        assertThat(limiter.tryAcquire("a", 0.1)).isZero();
        now.addAndGet(1_000_000_000_000L); // a long calm builds no burst beyond one
        assertThat(limiter.tryAcquire("a", 0.1)).isZero();
        assertThat(limiter.tryAcquire("a", 0.1)).isPositive();
        assertThat(limiter.tryAcquire("c", 0)).isEqualTo(Long.MAX_VALUE); // rate 0: never
    }
}
