package io.kardia.runtime.event;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.json.Json;
import io.kardia.core.model.Event;
import io.kardia.core.model.EventSource;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.ObjectReference;
import io.kardia.core.model.ResourceTypes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes Events through a {@link KubeClient}. A repeat of an event (same object, type, reason
 * and message) patches the existing Event's {@code count} and {@code lastTimestamp} instead of
 * creating another; the repeats remembered are bounded (Caffeine LRU). Each object has a token
 * bucket, so a reconcile in a hot loop cannot flood the store: events beyond it are dropped and
 * counted ({@link #dropped()}).
 */
public final class KubeEventRecorder implements EventRecorder {
    private static final Logger log = LoggerFactory.getLogger(KubeEventRecorder.class);

    private final ResourceClient<Event> events;
    private final EventRecorderOptions options;
    private final Cache<AggregateKey, Event> recent;
    private final Cache<String, TokenBucket> buckets;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();

    /** What makes two events "the same" for aggregation. */
    private record AggregateKey(String kind, String namespace, String name, String uid, String type, String reason,
                                String message) {
    }

    public KubeEventRecorder(KubeClient client, EventRecorderOptions options) {
        this.events = client.resources(ResourceTypes.EVENT);
        this.options = options;
        this.recent = Caffeine.newBuilder().maximumSize(options.maxTracked()).build();
        this.buckets = Caffeine.newBuilder().maximumSize(options.maxTracked()).build();
    }

    /** Distinct events remembered for aggregation now (bounded by {@code maxTracked}). */
    public long trackedEvents() {
        recent.cleanUp();
        return recent.estimatedSize();
    }

    /** Events dropped by the rate limit so far. */
    public long dropped() {
        return dropped.get();
    }

    @Override
    public void event(KubeObject object, String type, String reason, String message) {
        if (!Event.NORMAL.equals(type) && !Event.WARNING.equals(type)) {
            throw new IllegalArgumentException("event type must be Normal or Warning, got '" + type + "'");
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("an event needs a reason");
        }
        ObjectMeta m = object.metadata();
        String objectKey = object.kind() + "/" + (m.uid() != null ? m.uid() : m.key());
        TokenBucket bucket = buckets.get(objectKey,
                k -> new TokenBucket(options.burst(), options.refillPeriod().toNanos(), options.nanoClock().getAsLong()));
        if (!bucket.tryTake(options.nanoClock().getAsLong())) {
            long n = dropped.incrementAndGet();
            log.debug("dropped event {} {} for {} {} (rate limit; {} dropped so far)", type, reason, object.kind(),
                    m.key(), n);
            return;
        }
        AggregateKey key = new AggregateKey(object.kind(), m.namespace(), m.name(), m.uid(), type, reason, message);
        try {
            // compute serialises writers of one key, so concurrent repeats don't both create
            recent.asMap().compute(key, (k, previous) -> write(object, k, previous));
        } catch (RuntimeException e) {
            log.warn("could not record event {} {} for {} {}: {}", type, reason, object.kind(), m.key(), e.toString());
        }
    }

    private Event write(KubeObject object, AggregateKey key, Event previous) {
        Instant now = options.wallClock().instant().truncatedTo(ChronoUnit.SECONDS);
        if (previous != null) {
            int count = (previous.count() == null ? 1 : previous.count()) + 1;
            Map<String, Object> patch = new LinkedHashMap<>();
            patch.put("count", count);
            patch.put("lastTimestamp", now.toString());
            try {
                return events.patch(previous.metadata().namespace(), previous.metadata().name(), PatchType.MERGE,
                        new String(Json.toBytes(patch), java.nio.charset.StandardCharsets.UTF_8));
            } catch (KubeApiException.NotFoundException gone) {
                // deleted meanwhile (events expire): start a new one
            }
        }
        ObjectMeta m = object.metadata();
        String ns = m.namespace() == null || m.namespace().isEmpty() ? "default" : m.namespace();
        String name = m.name() + "." + Long.toHexString(options.wallClock().millis() * 1_000_000L
                + sequence.incrementAndGet() % 1_000_000L);
        Event fresh = Event.builder()
                .metadata(ObjectMeta.of(ns, name))
                .involvedObject(ObjectReference.to(object))
                .reason(key.reason())
                .message(key.message())
                .type(key.type())
                .source(EventSource.of(options.component()))
                .firstTimestamp(now)
                .lastTimestamp(now)
                .count(1)
                .reportingComponent(options.component())
                .build();
        return events.create(fresh);
    }

    /** Per-object token bucket on the monotonic clock. */
    private static final class TokenBucket {
        private final int capacity;
        private final long refillNanos;
        private double tokens;
        private long last;

        TokenBucket(int capacity, long refillNanos, long now) {
            this.capacity = capacity;
            this.refillNanos = refillNanos;
            this.tokens = capacity;
            this.last = now;
        }

        synchronized boolean tryTake(long now) {
            tokens = Math.min(capacity, tokens + (double) (now - last) / refillNanos);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
