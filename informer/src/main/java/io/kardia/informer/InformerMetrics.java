package io.kardia.informer;

import io.kardia.core.client.UndecodableObjects;
import io.kardia.core.client.WatchEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The Micrometer meters of one informer, tagged with its resource and namespace scope. With the
 * default registry (an empty composite) every meter is a no-op.
 */
public final class InformerMetrics {
    private final MeterRegistry registry;
    private final Tags tags;
    private final Counter lists;
    private final Counter listPages;
    private final Counter watches;
    private final Counter relists;
    private final Counter watchFailures;
    private final Map<WatchEvent.Type, Counter> events = new EnumMap<>(WatchEvent.Type.class);
    private final AtomicLong lastResourceVersion = new AtomicLong();

    /** A registry that records nothing. */
    public static MeterRegistry noopRegistry() {
        return new CompositeMeterRegistry();
    }

    public InformerMetrics(MeterRegistry registry, String resource, String namespace) {
        this.registry = registry;
        this.tags = Tags.of("resource", resource, "namespace", namespace == null ? "" : namespace);
        lists = Counter.builder("informer.lists").description("Lists started (each may have several pages)").tags(tags).register(registry);
        listPages = Counter.builder("informer.list.pages").description("List pages read").tags(tags).register(registry);
        watches = Counter.builder("informer.watches").description("Watches started").tags(tags).register(registry);
        relists = Counter.builder("informer.relists").description("Relists after 410 Gone/Expired").tags(tags).register(registry);
        watchFailures = Counter.builder("informer.watch.failures").description("Failed lists or watches").tags(tags).register(registry);
        for (WatchEvent.Type t : WatchEvent.Type.values()) {
            events.put(t, Counter.builder("informer.events").description("Watch events received")
                    .tags(tags).tag("type", t.name()).register(registry));
        }
        // Skipped by the transports (never wedging the informer); counted per kind in the JVM.
        FunctionCounter.builder("informer.undecodable.objects", resource, UndecodableObjects::count)
                .description("Objects in lists or watch events of this kind that could not be decoded and were skipped")
                .tags(Tags.of("resource", resource)).register(registry);
        Gauge.builder("informer.last.resource.version", lastResourceVersion, AtomicLong::doubleValue)
                .description("The last resourceVersion seen (when numeric)").tags(tags).register(registry);
    }

    void listStarted() { lists.increment(); }
    void listPage() { listPages.increment(); }
    void watchStarted() { watches.increment(); }
    void relist() { relists.increment(); }
    void failure() { watchFailures.increment(); }
    void event(WatchEvent.Type type) { events.get(type).increment(); }

    void resourceVersion(String rv) {
        if (rv == null) {
            return;
        }
        try {
            lastResourceVersion.set(Long.parseLong(rv));
        } catch (NumberFormatException opaque) {
            // resourceVersions are opaque to clients; only numeric ones are graphed.
        }
    }

    void cacheSize(Supplier<Number> size) {
        Gauge.builder("informer.cache.size", size).description("Objects in the cache").tags(tags).register(registry);
    }

    void handlerQueue(String handler, Supplier<Number> size) {
        Gauge.builder("informer.handler.queue.size", size).description("Notifications waiting for a handler")
                .tags(tags).tag("handler", handler).register(registry);
    }

    Timer handlerLag(String handler) {
        return Timer.builder("informer.handler.lag").description("Time from cache change to handler call")
                .tags(tags).tag("handler", handler).register(registry);
    }

    Counter handlerErrors(String handler) {
        return Counter.builder("informer.handler.errors").description("Exceptions thrown by a handler")
                .tags(tags).tag("handler", handler).register(registry);
    }
}
