package io.kardia.core.client.http;

import static io.kardia.core.client.http.MockApi.json;
import static io.kardia.core.client.http.MockApi.ok;
import static io.kardia.core.client.http.MockApi.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.config.ClientConfig;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

class HttpWatchTest extends MockWatchApiTest {
    static final ResourceType<GenericObject> DEPLOYMENTS = ResourceType.generic("apps", "v1", "Deployment", "deployments", true);

    static String event(String type, String name, String rv) {
        return "{\"type\":\"" + type + "\",\"object\":{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
                + "\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"ns1\",\"resourceVersion\":\"" + rv + "\"}}}\n";
    }

    @Test
    void decodesEveryEventTypeAndEndsWithNull() throws Exception {
        stream().send(event("ADDED", "a", "11"))
                .send(event("MODIFIED", "a", "12") + event("DELETED", "a", "13")) // two events in one chunk
                .send("{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\",")
                .send("\"metadata\":{\"resourceVersion\":\"20\"}}}\n") // one event split over two chunks
                .send("{\"type\":\"ERROR\",\"object\":" + status(410, "Expired", "too old resource version: 1 (20)") + "}\n")
                .end();

        try (Watch<GenericObject> watch = client.resources(DEPLOYMENTS).watch("ns1",
                WatchOptions.from("10").withLabelSelector("app=web").withFieldSelector("metadata.name=a")
                        .withTimeoutSeconds(30))) {
            WatchEvent<GenericObject> added = watch.next();
            assertThat(added.type()).isEqualTo(WatchEvent.Type.ADDED);
            assertThat(added.object().metadata().name()).isEqualTo("a");
            assertThat(added.resourceVersion()).isEqualTo("11");
            assertThat(watch.next().type()).isEqualTo(WatchEvent.Type.MODIFIED);
            assertThat(watch.next().type()).isEqualTo(WatchEvent.Type.DELETED);
            WatchEvent<GenericObject> bookmark = watch.next();
            assertThat(bookmark.type()).isEqualTo(WatchEvent.Type.BOOKMARK);
            assertThat(bookmark.resourceVersion()).isEqualTo("20");
            WatchEvent<GenericObject> error = watch.next();
            assertThat(error.type()).isEqualTo(WatchEvent.Type.ERROR);
            assertThat(error.object()).isNull();
            assertThat(error.status().code()).isEqualTo(410);
            assertThat(error.status().reason()).isEqualTo("Expired");
            assertThat(watch.next()).isNull();
            assertThat(watch.next()).isNull();
        }
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r.getUrl().encodedPath()).isEqualTo("/apis/apps/v1/namespaces/ns1/deployments");
        assertThat(r.getUrl().queryParameter("watch")).isEqualTo("1");
        assertThat(r.getUrl().queryParameter("resourceVersion")).isEqualTo("10");
        assertThat(r.getUrl().queryParameter("allowWatchBookmarks")).isEqualTo("true");
        assertThat(r.getUrl().queryParameter("timeoutSeconds")).isEqualTo("30");
        assertThat(r.getUrl().queryParameter("labelSelector")).isEqualTo("app=web");
        assertThat(r.getUrl().queryParameter("fieldSelector")).isEqualTo("metadata.name=a");
    }

    @Test
    void eventsArriveWhileTheStreamIsStillOpen() throws Exception {
        StreamingBody body = stream().send(event("ADDED", "a", "1"));
        Watch<GenericObject> watch = client.resources(DEPLOYMENTS).watch(null, WatchOptions.from("0"));

        // The server has not finished (nor even sent a second event): the first must be readable already.
        assertThat(within(reader.submit(watch::next)).object().metadata().name()).isEqualTo("a");
        Future<WatchEvent<GenericObject>> second = reader.submit(watch::next);
        body.send(event("MODIFIED", "a", "2"));
        assertThat(within(second).type()).isEqualTo(WatchEvent.Type.MODIFIED);
        body.end();
        assertThat(within(reader.submit(watch::next))).isNull();
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r.getUrl().encodedPath()).isEqualTo("/apis/apps/v1/deployments"); // all namespaces
        assertThat(r.getUrl().queryParameter("timeoutSeconds")).isEqualTo("300"); // the client's default
    }

    @Test
    void closeFromAnotherThreadEndsABlockedNext() throws Exception {
        stream().send(event("ADDED", "a", "1")).stall();
        Watch<GenericObject> watch = client.resources(DEPLOYMENTS).watch("ns1", WatchOptions.from("0"));
        assertThat(watch.next()).isNotNull();
        CompletableFuture<Void> started = new CompletableFuture<>();
        Future<WatchEvent<GenericObject>> blocked = reader.submit(() -> {
            started.complete(null);
            return watch.next();
        });
        started.get(5, TimeUnit.SECONDS);
        watch.close();
        assertThat(within(blocked)).isNull();
        assertThat(watch.next()).isNull();
    }

    /**
     * A watch closed while nobody reads it (a reflector stopped between two events) closes its
     * response: the connection leaves the pool at once instead of staying allocated to the call
     * until OkHttp finds it leaked.
     */
    @Test
    void aWatchClosedWhileNobodyReadsGivesItsConnectionBack() throws Exception {
        stream().send(event("ADDED", "a", "1")).stall();
        Watch<GenericObject> watch = client.resources(DEPLOYMENTS).watch("ns1", WatchOptions.from("0"));
        assertThat(watch.next()).isNotNull();
        assertThat(client.pooledConnections()).isEqualTo(1);
        watch.close();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> client.pooledConnections() == 0);
        assertThat(watch.next()).isNull();
    }

    /** An interrupted reader closes the watch on its way out, the response included. */
    @Test
    void aReaderInterruptedBeforeNextGivesTheConnectionBack() throws Exception {
        stream().send(event("ADDED", "a", "1")).stall();
        Watch<GenericObject> watch = client.resources(DEPLOYMENTS).watch("ns1", WatchOptions.from("0"));
        assertThat(watch.next()).isNotNull();
        Future<Boolean> interrupted = reader.submit(() -> {
            Thread.currentThread().interrupt();
            try {
                watch.next();
                return false;
            } catch (InterruptedException expected) {
                return true;
            }
        });
        assertThat(within(interrupted)).isTrue();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> client.pooledConnections() == 0);
        assertThat(watch.next()).isNull();
    }

    @Test
    void aSilentConnectionIsTakenAsDeadAfterTimeoutSecondsPlusMargin() throws Exception {
        stream().send(event("ADDED", "a", "1")).stall(); // the server never says anything again
        Watch<GenericObject> watch = client.resources(DEPLOYMENTS).watch("ns1",
                WatchOptions.from("0").withTimeoutSeconds(1));
        assertThat(watch.next()).isNotNull();
        assertThat(within(reader.submit(watch::next))).isNull(); // read timeout 1 s + 1 s margin
    }

    @Test
    void aRefusedWatchThrowsTheTypedError() {
        server.enqueue(json(403, status(403, "Forbidden", "deployments.apps is forbidden: User \\\"x\\\" cannot watch")));
        assertThatThrownBy(() -> client.resources(DEPLOYMENTS).watch("ns1", WatchOptions.from("0")))
                .isInstanceOf(KubeApiException.ForbiddenException.class)
                .hasMessageContaining("cannot watch");
    }

    @Test
    void aMalformedStreamEndsWithAnErrorEvent() throws Exception {
        stream().send(event("ADDED", "a", "1")).send("[1,2]\n").end();
        Watch<GenericObject> watch = client.resources(DEPLOYMENTS).watch("ns1", WatchOptions.from("0"));
        assertThat(watch.next().type()).isEqualTo(WatchEvent.Type.ADDED);
        WatchEvent<GenericObject> error = watch.next();
        assertThat(error.type()).isEqualTo(WatchEvent.Type.ERROR);
        assertThat(error.status().code()).isEqualTo(500);
        assertThat(error.status().message()).contains("malformed watch event");
        assertThat(watch.next()).isNull();
    }

    /** Ending the watch would replay the event on every re-watch and wedge the watcher: it is skipped. */
    @Test
    void anUndecodableObjectIsSkippedAsABookmarkOfItsRevisionAndTheWatchGoesOn() throws Exception {
        stream().send("{\"type\":\"MODIFIED\",\"object\":{\"metadata\":{\"name\":\"bad\",\"resourceVersion\":\"7\",\"labels\":\"x\"}}}\n")
                .send(event("ADDED", "b", "8")).end();
        Watch<GenericObject> watch = client.resources(DEPLOYMENTS).watch("ns1", WatchOptions.from("0"));
        WatchEvent<GenericObject> skipped = watch.next();
        assertThat(skipped.type()).isEqualTo(WatchEvent.Type.BOOKMARK);
        assertThat(skipped.resourceVersion()).isEqualTo("7");
        assertThat(watch.next().object().metadata().name()).isEqualTo("b");
    }

    /** The revision is noticed even when the model fails before reading it (the rest of the object is read to find it). */
    @Test
    void anUndecodableObjectIsSkippedWithTheRevisionThatFollowsTheBadField() throws Exception {
        stream().send("{\"type\":\"MODIFIED\",\"object\":{\"metadata\":{\"labels\":\"x\",\"name\":\"bad\","
                        + "\"annotations\":{\"resourceVersion\":\"1\"},\"resourceVersion\":\"9\"},\"spec\":{\"resourceVersion\":\"2\"}}}\n")
                .send(event("ADDED", "b", "10")).end();
        Watch<GenericObject> watch = client.resources(DEPLOYMENTS).watch("ns1", WatchOptions.from("0"));
        WatchEvent<GenericObject> skipped = watch.next();
        assertThat(skipped.type()).isEqualTo(WatchEvent.Type.BOOKMARK);
        assertThat(skipped.resourceVersion()).isEqualTo("9");
        assertThat(watch.next().object().metadata().name()).isEqualTo("b");
        assertThat(watch.next()).isNull();
    }

    /** Servers write the type first; an object sent before its type is still decoded, and an ERROR still read. */
    @Test
    void anObjectSentBeforeItsTypeIsDecodedToo() throws Exception {
        stream().send("{\"object\":{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"a\","
                        + "\"resourceVersion\":\"3\"}},\"type\":\"ADDED\"}\n")
                .send("{\"object\":" + status(410, "Expired", "too old") + ",\"type\":\"ERROR\"}\n").end();
        Watch<GenericObject> watch = client.resources(DEPLOYMENTS).watch("ns1", WatchOptions.from("0"));
        WatchEvent<GenericObject> added = watch.next();
        assertThat(added.type()).isEqualTo(WatchEvent.Type.ADDED);
        assertThat(added.object().metadata().name()).isEqualTo("a");
        assertThat(watch.next().status().code()).isEqualTo(410);
        assertThat(watch.next()).isNull();
    }

    /** Unknown fields of an event and events of unknown types are passed over without losing the stream's place. */
    @Test
    void unknownEventFieldsAndTypesAreSkipped() throws Exception {
        stream().send("{\"type\":\"SURPRISE\",\"object\":{\"metadata\":{\"name\":\"x\",\"resourceVersion\":\"4\"}}}\n")
                .send("{\"type\":\"ADDED\",\"extra\":{\"nested\":[1,{\"a\":2}]},\"object\":{\"metadata\":{\"name\":\"y\","
                        + "\"resourceVersion\":\"5\"}},\"more\":[3]}\n")
                .end();
        Watch<GenericObject> watch = client.resources(DEPLOYMENTS).watch("ns1", WatchOptions.from("0"));
        WatchEvent<GenericObject> added = watch.next();
        assertThat(added.object().metadata().name()).isEqualTo("y");
        assertThat(added.resourceVersion()).isEqualTo("5");
        assertThat(watch.next()).isNull();
    }

    /**
     * Watch objects are decoded as list items are, repeated text shared: a cache synced by a
     * streaming list holds one copy of a label value that thousands of objects carry.
     */
    @Test
    void repeatedStringsOfWatchedObjectsAreShared() throws Exception {
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            events.append("{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"p").append(i)
                    .append("\",\"resourceVersion\":\"").append(i + 1)
                    .append("\",\"labels\":{\"app\":\"shared-watch-label-value\"}}}}\n");
        }
        stream().send(events.toString()).end();
        try (Watch<Namespace> watch = client.resources(ResourceTypes.NAMESPACE).watch(null, WatchOptions.from("0"))) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                values.add(watch.next().object().metadata().labels().get("app"));
            }
            assertThat(values).containsOnly("shared-watch-label-value");
            assertThat(values.get(2)).isSameAs(values.get(1)); // cached on its second sighting
        }
    }

    @Test
    void typedObjectsWithoutTypeMetaAreFilledIn() throws Exception {
        stream().send("{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"n1\",\"resourceVersion\":\"4\"}}}\n").end();
        try (Watch<Namespace> watch = client.resources(ResourceTypes.NAMESPACE).watch(null, WatchOptions.from("3"))) {
            Namespace ns = watch.next().object();
            assertThat(ns.metadata().name()).isEqualTo("n1");
            assertThat(ns.kind()).isEqualTo("Namespace");
        }
        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getUrl().encodedPath()).isEqualTo("/api/v1/namespaces");
    }

    @Test
    void watchesAreNotHeldBackByTheRateLimiter() throws Exception {
        client.close();
        client = HttpKubeClient.create(ClientConfig.builder(server.url("/").toString()).rateLimit(0.001, 1).build());
        server.enqueue(ok("{\"kind\":\"DeploymentList\",\"metadata\":{\"resourceVersion\":\"5\"},\"items\":[]}"));
        stream().send(event("ADDED", "a", "6")).end();

        client.resources(DEPLOYMENTS).list("ns1"); // takes the only token for the next ~17 minutes
        Future<WatchEvent<GenericObject>> first = reader.submit(() ->
                client.resources(DEPLOYMENTS).watch("ns1", WatchOptions.from("5")).next());
        assertThat(within(first).type()).isEqualTo(WatchEvent.Type.ADDED);
    }
}
