package io.kardia.informer;

import static io.kardia.informer.StorePods.newPod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.PartialObjectMetadata;
import io.kardia.core.model.Pod;
import io.kardia.core.model.ResourceTypes;
import io.kardia.core.selector.Selector;
import io.kardia.store.ReferenceStore;
import io.kardia.store.http.ApiServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Metadata-only informers: a cache of PartialObjectMetadata that follows the store, over both transports. */
class MetadataInformerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TOKEN = "metadata-informer-token";
    private final ReferenceStore store = ReferenceStore.inMemory();
    private final ResourceClient<Pod> writer = store.client().resources(Pod.class);
    private ApiServer server;
    private HttpKubeClient http;
    private SharedInformerFactory factory;

    @AfterEach
    void close() {
        if (factory != null) {
            factory.stop();
        }
        if (http != null) {
            http.close();
        }
        if (server != null) {
            server.close();
        }
        store.close();
    }

    private void followsTheStore(KubeClient client) throws Exception {
        writer.create(newPod("default", "a", Map.of("app", "web")));
        factory = new SharedInformerFactory(client);
        SharedInformer<PartialObjectMetadata> pods = factory.metadataInformer(Pod.class);
        SharedInformer<Pod> full = factory.informerFor(Pod.class);
        assertThat(factory.metadataInformer(Pod.class)).isSameAs(pods);
        assertThat(pods).isNotSameAs(full);
        factory.start();
        factory.awaitCacheSync(WAIT);

        PartialObjectMetadata a = pods.indexer().getByKey("default/a").orElseThrow();
        assertThat(a.kind()).isEqualTo("PartialObjectMetadata");
        assertThat(a.apiVersion()).isEqualTo("meta.k8s.io/v1");
        assertThat(a.metadata().labels()).containsEntry("app", "web");
        assertThat(a.metadata().uid()).isNotEmpty();
        assertThat(a.metadata().extra()).doesNotContainKey("managedFields");
        assertThat(a.metadata().resourceVersion()).isEqualTo(writer.get("default", "a").metadata().resourceVersion());

        writer.create(newPod("default", "b", Map.of()));
        writer.delete("default", "a");
        await().atMost(WAIT).until(() -> pods.indexer().listKeys().equals(java.util.List.of("default/b")));
        assertThat(pods.indexer().getByKey("default/b").orElseThrow().isPartial()).isTrue();
    }

    @Test
    void inProcess() throws Exception {
        followsTheStore(store.client());
    }

    @Test
    void overHttp() throws Exception {
        server = ApiServer.start(store, "127.0.0.1", 0, TOKEN, null);
        http = HttpKubeClient.create(ClientConfig.builder(server.url()).bearerToken(TOKEN).build());
        followsTheStore(http);
    }

    @Test
    void aListOfFullObjectsWhereMetadataWasAskedForNeverReachesTheCache() throws Exception {
        FakeResourceClient<PartialObjectMetadata> fake = new FakeResourceClient<>(ResourceTypes.metadataOf(TestPods.TYPE));
        fake.put(new PartialObjectMetadata("v1", "Pod", ObjectMeta.builder().namespace("ns").name("full")
                .resourceVersion("3").build()));
        fake.revision = 3;
        java.util.concurrent.CountDownLatch serverFixed = new java.util.concurrent.CountDownLatch(1);
        SharedInformer<PartialObjectMetadata> informer = new SharedInformer<>(fake, null, Selector.EVERYTHING,
                InformerOptions.defaults().withReflector(ReflectorOptions.defaults().withWatchList(false)
                        .withSleeper(d -> serverFixed.await())));
        try {
            informer.start();
            await().atMost(WAIT).until(() -> fake.listCalls.size() >= 2);
            assertThat(informer.hasSynced()).isFalse();
            assertThat(informer.indexer().size()).isZero();

            fake.put(PartialObjectMetadata.of(ObjectMeta.builder().namespace("ns").name("full").resourceVersion("4").build()));
            fake.revision = 4;
            serverFixed.countDown();
            informer.awaitCacheSync(WAIT);
            assertThat(informer.indexer().listKeys()).containsExactly("ns/full");
            assertThat(informer.indexer().getByKey("ns/full").orElseThrow().isPartial()).isTrue();
        } finally {
            informer.stop();
        }
    }
}
