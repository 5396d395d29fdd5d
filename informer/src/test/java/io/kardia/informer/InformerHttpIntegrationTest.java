package io.kardia.informer;

import static io.kardia.informer.StorePods.newPod;
import static io.kardia.informer.StorePods.relabeled;
import static io.kardia.informer.StorePods.storeVersions;
import static io.kardia.informer.StorePods.versions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.core.model.Pod;
import io.kardia.store.ReferenceStore;
import io.kardia.store.http.ApiServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The same informer over the HTTP transport, against the reference store's API server on loopback. */
class InformerHttpIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String TOKEN = "informer-http-test-token";
    private final ReferenceStore store = ReferenceStore.inMemory();
    private final ResourceClient<Pod> writer = store.client().resources(Pod.class);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private ApiServer server;
    private HttpKubeClient http;
    private FaultyKubeClient client;
    private SharedInformerFactory factory;

    @BeforeEach
    void startServer() throws Exception {
        server = ApiServer.start(store, "127.0.0.1", 0, TOKEN, null);
        http = HttpKubeClient.create(ClientConfig.builder(server.url()).bearerToken(TOKEN).build());
        client = new FaultyKubeClient(http);
        factory = new SharedInformerFactory(client, InformerOptions.defaults().withRegistry(registry));
    }

    @AfterEach
    void stop() {
        factory.stop();
        client.openDoor();
        http.close();
        server.close();
        store.close();
    }

    @Test
    void listWatchAndHandlersWorkOverHttp() throws Exception {
        Pod a = writer.create(newPod("default", "a", Map.of("app", "web")));
        SharedInformer<Pod> informer = factory.informerFor(Pod.class);
        RecordingHandler<Pod> h = new RecordingHandler<>();
        informer.addEventHandler(h);
        factory.start();
        factory.awaitCacheSync(WAIT);

        Pod b = writer.create(newPod("default", "b", Map.of()));
        Pod a2 = writer.update(relabeled(a, "v", "2"));
        Pod aGone = writer.delete("default", "a");

        await().atMost(WAIT).until(() -> h.calls.size() == 4);
        assertThat(h.snapshot()).containsExactly(
                "add default/a@" + a.metadata().resourceVersion() + " initial",
                "add default/b@" + b.metadata().resourceVersion(),
                "update default/a@" + a.metadata().resourceVersion() + "->" + a2.metadata().resourceVersion(),
                "delete default/a@" + aGone.metadata().resourceVersion());
        assertThat(versions(informer.lister().list())).isEqualTo(storeVersions(writer));
    }

    @Test
    void aCutHttpWatchResumesAndATooOldOneRelistsWithTombstones() throws Exception {
        Pod doomed = writer.create(newPod("default", "doomed", Map.of()));
        SharedInformer<Pod> informer = factory.informerFor(Pod.class);
        RecordingHandler<Pod> h = new RecordingHandler<>();
        informer.addEventHandler(h);
        factory.start();
        factory.awaitCacheSync(WAIT);

        client.cutWatches(true);
        Pod resumed = writer.create(newPod("default", "resumed", Map.of()));
        await().atMost(WAIT).until(() -> h.calls.size() == 2);
        assertThat(h.calls.get(1)).isEqualTo("add default/resumed@" + resumed.metadata().resourceVersion());
        assertThat(registry.get("informer.relists").counter().count()).isZero();

        client.closeDoor();
        client.cutWatches(false);
        writer.delete("default", "doomed");
        store.compact();
        client.openDoor();

        await().atMost(WAIT).until(() -> h.calls.size() == 3);
        assertThat(h.calls.get(2)).isEqualTo("delete default/doomed@" + doomed.metadata().resourceVersion() + " tombstone");
        assertThat(registry.get("informer.relists").counter().count()).isEqualTo(1.0);
        assertThat(versions(informer.lister().list())).isEqualTo(storeVersions(writer));
    }
}
