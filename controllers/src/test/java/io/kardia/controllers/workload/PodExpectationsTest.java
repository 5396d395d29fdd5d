package io.kardia.controllers.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PodExpectationsTest {

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MutableClock clock = new MutableClock();
    private final PodExpectations expectations = new PodExpectations(Duration.ofMinutes(5), clock);
    private final Map<String, Pod> cache = new HashMap<>();

    private boolean satisfied(long revision) {
        return expectations.satisfied("ns/rs", n -> Optional.ofNullable(cache.get(n)), revision);
    }

    private static Pod pod(String name, String uid) {
        return Pod.of(ObjectMeta.builder().namespace("ns").name(name).uid(uid).build(), null);
    }

    @Test
    void creationsAreSatisfiedWhenTheCacheSeesThemOrHasPassedTheirRevision() {
        assertThat(satisfied(-1)).isTrue();
        expectations.created("ns/rs", "a", 10);
        expectations.created("ns/rs", "b", 11);
        assertThat(satisfied(9)).isFalse();
        cache.put("a", pod("a", "u1"));
        assertThat(satisfied(9)).isFalse();
        assertThat(satisfied(11)).isTrue(); // b came and went before the cache looked
    }

    @Test
    void deletionsAreSatisfiedWhenThePodIsGoneOrTerminating() {
        cache.put("a", pod("a", "u1"));
        expectations.deleted("ns/rs", "a", "u1");
        assertThat(satisfied(-1)).isFalse();
        cache.put("a", pod("a", "u2")); // a new pod of the same name is not the one we deleted
        assertThat(satisfied(-1)).isTrue();
    }

    @Test
    void lapseAfterTheTimeout() {
        expectations.created("ns/rs", "never-seen", -1);
        assertThat(satisfied(-1)).isFalse();
        assertThat(expectations.remaining("ns/rs")).contains(Duration.ofMinutes(5));
        clock.now = clock.now.plus(Duration.ofMinutes(5)).plusSeconds(1);
        assertThat(satisfied(-1)).isTrue();
        assertThat(expectations.remaining("ns/rs")).isEmpty();
    }

    /**
     * A requeue after {@link PodExpectations#remaining} wakes exactly at the deadline: they must
     * have lapsed by then, or the owner is told to wait zero more, again and again at that instant
     * (found by the Deployment simulation, where the virtual clock stands still while a thread runs).
     */
    @Test
    void lapseAtTheDeadlineItself() {
        expectations.created("ns/rs", "never-seen", -1);
        clock.now = clock.now.plus(expectations.remaining("ns/rs").orElseThrow());
        assertThat(satisfied(-1)).isTrue();
        assertThat(expectations.remaining("ns/rs")).isEmpty();
    }

    @Test
    void aFailedDeleteIsNoLongerExpected() {
        cache.put("a", pod("a", "u1"));
        cache.put("b", pod("b", "u2"));
        expectations.deleted("ns/rs", "a", "u1");
        expectations.deleted("ns/rs", "b", "u2");
        expectations.deleteFailed("ns/rs", "a");
        assertThat(satisfied(-1)).as("b's delete is still expected").isFalse();
        cache.remove("b");
        assertThat(satisfied(-1)).isTrue();
    }
}
