package io.kardia.core.client.http;

import static io.kardia.core.client.http.MockApi.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.config.ClientConfig;
import io.kardia.core.json.Json;
import io.kardia.core.model.Deployment;
import io.kardia.core.model.ObjectList;
import io.kardia.core.model.Pod;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The built-in typed kinds over HTTP: decoding, paths, and unknown fields surviving a round trip. */
class TypedKindsTest {
    static final String POD_ITEM = """
            {"metadata":{"name":"p1","namespace":"ns1","resourceVersion":"7"},
             "spec":{"nodeName":"node-1","containers":[{"name":"c","image":"nginx"}],"futureSpecField":{"x":1}},
             "status":{"phase":"Running"}}""";

    MockWebServer server;
    HttpKubeClient client;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        client = HttpKubeClient.create(ClientConfig.builder(server.url("/").toString()).noRateLimit().build());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    RecordedRequest take() throws InterruptedException {
        return server.takeRequest(5, TimeUnit.SECONDS);
    }

    @Test
    void podsDecodeFromListsAndKeepUnknownFieldsOnTheWayBack() throws Exception {
        server.enqueue(ok("{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"9\"},\"items\":["
                + POD_ITEM + "]}"));
        server.enqueue(ok("{\"apiVersion\":\"v1\",\"kind\":\"Pod\"," + POD_ITEM.substring(1)));

        ObjectList<Pod> pods = client.resources(Pod.class).list(null);
        Pod pod = pods.items().getFirst();
        assertThat(pod.kind()).isEqualTo("Pod");
        assertThat(pod.apiVersion()).isEqualTo("v1");
        assertThat(pod.spec().nodeName()).isEqualTo("node-1");
        assertThat(pod.status().phase()).isEqualTo("Running");
        assertThat(take().getUrl().encodedPath()).isEqualTo("/api/v1/pods");

        client.resources(Pod.class).update(pod);
        RecordedRequest put = take();
        assertThat(put.getUrl().encodedPath()).isEqualTo("/api/v1/namespaces/ns1/pods/p1");
        JsonNode sent = Json.tree(put.getBody().toByteArray());
        assertThat(sent.path("spec").path("futureSpecField").path("x").asInt()).isEqualTo(1);
        assertThat(sent.path("spec").path("nodeName").asText()).isEqualTo("node-1");
    }

    @Test
    void deploymentsUseTheAppsGroupPathsAndTheStatusSubresource() throws Exception {
        String deployment = """
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"ns1"},
                 "spec":{"replicas":3},"status":{"replicas":3,"readyReplicas":2}}""";
        server.enqueue(ok(deployment));
        server.enqueue(ok(deployment));

        Deployment d = client.resources(Deployment.class).get("ns1", "web");
        assertThat(d.spec().replicas()).isEqualTo(3);
        client.resources(Deployment.class).updateStatus(d);

        assertThat(take().getUrl().encodedPath()).isEqualTo("/apis/apps/v1/namespaces/ns1/deployments/web");
        assertThat(take().getUrl().encodedPath()).isEqualTo("/apis/apps/v1/namespaces/ns1/deployments/web/status");
    }

    @Test
    void typedWatchEvents() throws Exception {
        StreamingBody body = new StreamingBody();
        server.enqueue(body.response());
        body.send("{\"type\":\"ADDED\",\"object\":" + POD_ITEM.replace("\n", "") + "}\n").end();
        try (Watch<Pod> watch = client.resources(Pod.class).watch("ns1", WatchOptions.from("6"))) {
            WatchEvent<Pod> e = watch.next();
            assertThat(e.type()).isEqualTo(WatchEvent.Type.ADDED);
            assertThat(e.object().spec().nodeName()).isEqualTo("node-1");
            assertThat(e.resourceVersion()).isEqualTo("7");
            assertThat(watch.next()).isNull();
        }
        assertThat(take().getUrl().encodedPath()).isEqualTo("/api/v1/namespaces/ns1/pods");
    }
}
