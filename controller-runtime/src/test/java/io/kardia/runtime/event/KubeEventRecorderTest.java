package io.kardia.runtime.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.Event;
import io.kardia.core.model.ObjectMeta;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

@KardiaTest
class KubeEventRecorderTest {
    private final AtomicLong nanos = new AtomicLong();
    private final MutableClock wall = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));

    /** A wall clock tests move by hand. */
    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private KubeEventRecorder recorder(TestEnvironment env, int burst, Duration refill) {
        return new KubeEventRecorder(env.client(), EventRecorderOptions.defaults("test-controller")
                .withRateLimit(burst, refill).withClocks(wall, nanos::get));
    }

    private static ConfigMap object(TestEnvironment env, String name) {
        return env.resources(ConfigMap.class).create(ConfigMap.of(ObjectMeta.of("default", name), Map.of()));
    }

    private static List<Event> events(TestEnvironment env) {
        return env.resources(Event.class).list("default").items();
    }

    @Test
    void writesAnEventNamingTheObjectReasonMessageAndType(TestEnvironment env) {
        ConfigMap cm = object(env, "cm");
        recorder(env, 25, Duration.ofMinutes(5)).warning(cm, "BadConfig", "key k is missing");
        List<Event> written = events(env);
        assertThat(written).hasSize(1);
        Event e = written.getFirst();
        assertThat(e.type()).isEqualTo(Event.WARNING);
        assertThat(e.reason()).isEqualTo("BadConfig");
        assertThat(e.message()).isEqualTo("key k is missing");
        assertThat(e.count()).isEqualTo(1);
        assertThat(e.involvedObject().kind()).isEqualTo("ConfigMap");
        assertThat(e.involvedObject().name()).isEqualTo("cm");
        assertThat(e.involvedObject().uid()).isEqualTo(cm.metadata().uid());
        assertThat(e.source().component()).isEqualTo("test-controller");
        assertThat(e.metadata().name()).startsWith("cm.");
    }

    @Test
    void repeatsAreAggregatedIntoOneEventWithACountAndLastTimestamp(TestEnvironment env) {
        ConfigMap cm = object(env, "cm");
        KubeEventRecorder recorder = recorder(env, 25, Duration.ofMinutes(5));
        recorder.normal(cm, "Synced", "all good");
        wall.now = wall.now.plusSeconds(30);
        recorder.normal(cm, "Synced", "all good");
        recorder.normal(cm, "Synced", "all good");
        recorder.normal(cm, "Other", "different reason");
        List<Event> written = events(env);
        assertThat(written).hasSize(2);
        Event synced = written.stream().filter(e -> e.reason().equals("Synced")).findFirst().orElseThrow();
        assertThat(synced.count()).isEqualTo(3);
        assertThat(synced.firstTimestamp()).isEqualTo(Instant.parse("2026-01-01T10:00:00Z"));
        assertThat(synced.lastTimestamp()).isEqualTo(Instant.parse("2026-01-01T10:00:30Z"));
    }

    @Test
    void aHotLoopIsRateLimitedPerObject(TestEnvironment env) {
        ConfigMap hot = object(env, "hot");
        ConfigMap calm = object(env, "calm");
        KubeEventRecorder recorder = recorder(env, 5, Duration.ofSeconds(10));
        for (int i = 0; i < 1000; i++) {
            recorder.warning(hot, "Failed", "attempt " + i); // distinct messages: no aggregation helps here
        }
        assertThat(events(env)).hasSize(5);
        assertThat(recorder.dropped()).isEqualTo(995);
        recorder.normal(calm, "Fine", "another object has its own bucket");
        assertThat(events(env)).hasSize(6);
        nanos.addAndGet(Duration.ofSeconds(10).toNanos()); // one token earned
        recorder.warning(hot, "Failed", "after the refill");
        recorder.warning(hot, "Failed", "dropped again");
        assertThat(events(env)).hasSize(7);
    }

    @Test
    void aggregationMemoryIsBounded(TestEnvironment env) {
        KubeEventRecorder recorder = new KubeEventRecorder(env.client(), EventRecorderOptions.defaults("bounded")
                .withMaxTracked(2).withRateLimit(100, Duration.ofSeconds(1)).withClocks(wall, nanos::get));
        ConfigMap cm = object(env, "cm");
        recorder.normal(cm, "A", "a");
        for (int i = 0; i < 20; i++) {
            recorder.normal(cm, "B" + i, "b");
        }
        assertThat(recorder.trackedEvents()).isLessThanOrEqualTo(2);
        assertThat(events(env)).hasSize(21);
    }

    @Test
    void badInputIsRejectedClearly(TestEnvironment env) {
        ConfigMap cm = object(env, "cm");
        KubeEventRecorder recorder = recorder(env, 5, Duration.ofSeconds(1));
        assertThatThrownBy(() -> recorder.event(cm, "Info", "R", "m")).hasMessageContaining("Normal or Warning");
        assertThatThrownBy(() -> recorder.event(cm, Event.NORMAL, " ", "m")).hasMessageContaining("needs a reason");
        assertThatThrownBy(() -> EventRecorderOptions.defaults("")).hasMessageContaining("component name");
    }
}
