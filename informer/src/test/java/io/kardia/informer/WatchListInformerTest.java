package io.kardia.informer;

import static io.kardia.informer.StorePods.newPod;
import static io.kardia.informer.StorePods.storeVersions;
import static io.kardia.informer.StorePods.versions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import io.kardia.store.WatchListSupport;
import io.kardia.store.http.ApiServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Informers sync by streaming list (WatchList) where the server serves it, and fall back to LIST
 * and WATCH, remembered for the client, where it refuses or ignores it; the cache is the store's
 * state in every mode.
 */
class WatchListInformerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TOKEN = "watch-list-test-token";
    private ReferenceStore store;
    private ApiServer server;
    private HttpKubeClient http;
    private SharedInformerFactory factory;
    private RecordingKubeClient client;

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

    private ResourceClient<Pod> storeWith(WatchListSupport mode, int pods) {
        store = ReferenceStore.inMemory(StoreOptions.defaults().withWatchList(mode));
        ResourceClient<Pod> writer = store.client().resources(Pod.class);
        for (int i = 0; i < pods; i++) {
            writer.create(newPod(i % 2 == 0 ? "default" : "kube-system", "p-" + i, Map.of("i", Integer.toString(i))));
        }
        return writer;
    }

    private KubeClient overHttp() throws Exception {
        server = ApiServer.start(store, "127.0.0.1", 0, TOKEN, null);
        http = HttpKubeClient.create(ClientConfig.builder(server.url()).bearerToken(TOKEN).build());
        return http;
    }

    private SharedInformerFactory factory(KubeClient transport) {
        client = new RecordingKubeClient(transport);
        factory = new SharedInformerFactory(client, InformerOptions.defaults()
                .withReflector(ReflectorOptions.defaults().withInitialEventsIdle(Duration.ofMillis(500))));
        return factory;
    }

    private void assertCacheFollowsTheStore(SharedInformer<Pod> informer, ResourceClient<Pod> writer) {
        assertThat(versions(informer.indexer().list())).isEqualTo(storeVersions(writer));
        Pod late = writer.create(newPod("default", "late", Map.of()));
        await().atMost(WAIT).until(() -> informer.indexer().getByKey(late.key()).isPresent());
        writer.delete("default", "p-0");
        await().atMost(WAIT).until(() -> informer.indexer().getByKey("default/p-0").isEmpty());
        assertThat(versions(informer.indexer().list())).isEqualTo(storeVersions(writer));
    }

    @Test
    void inProcessTheInformerSyncsByStreamingListWithoutAnyList() throws Exception {
        ResourceClient<Pod> writer = storeWith(WatchListSupport.SERVED, 50);
        SharedInformer<Pod> pods = factory(store.client()).informerFor(Pod.class);
        factory.start();
        factory.awaitCacheSync(WAIT);

        assertThat(factory.watchListSupport().served()).as("%s %s", factory.watchListSupport().reason(), client.calls).isTrue();
        assertThat(client.count("pods list")).isZero();
        assertThat(client.calls).first().isEqualTo("pods watch streaming");
        assertCacheFollowsTheStore(pods, writer);
    }

    @Test
    void overHttpTheInformerSyncsByStreamingListWithoutAnyList() throws Exception {
        ResourceClient<Pod> writer = storeWith(WatchListSupport.SERVED, 50);
        SharedInformer<Pod> pods = factory(overHttp()).informerFor(Pod.class);
        factory.start();
        factory.awaitCacheSync(WAIT);

        assertThat(factory.watchListSupport().served()).as("%s %s", factory.watchListSupport().reason(), client.calls).isTrue();
        assertThat(client.count("pods list")).isZero();
        assertCacheFollowsTheStore(pods, writer);
    }

    @Test
    void aServerThatRefusesWatchListIsListedAndRememberedForEveryInformerOfTheClient() throws Exception {
        ResourceClient<Pod> writer = storeWith(WatchListSupport.REFUSED, 30);
        store.client().resources(ConfigMap.class).create(ConfigMap.of(
                ObjectMeta.builder().namespace("default").name("cm").build(), Map.of("k", "v")));
        SharedInformer<Pod> pods = factory(overHttp()).informerFor(Pod.class);
        factory.start();
        factory.awaitCacheSync(WAIT);
        SharedInformer<ConfigMap> configMaps = factory.informerFor(ConfigMap.class);
        configMaps.awaitCacheSync(WAIT);

        assertThat(factory.watchListSupport().mayTry()).isFalse();
        assertThat(factory.watchListSupport().reason()).contains("422").contains("WatchList feature gate");
        assertThat(client.count("pods watch streaming")).isEqualTo(1);
        assertThat(client.count("configmaps watch streaming")).as("remembered for the client").isZero();
        assertThat(client.count("configmaps list")).isEqualTo(1);
        assertThat(configMaps.indexer().getByKey("default/cm")).isPresent();
        assertCacheFollowsTheStore(pods, writer);
    }

    @Test
    void aServerThatIgnoresWatchListIsDetectedByTheMissingEndBookmarkAndListed() throws Exception {
        ResourceClient<Pod> writer = storeWith(WatchListSupport.IGNORED, 30);
        RecordingHandler<Pod> handler = new RecordingHandler<>();
        SharedInformer<Pod> pods = factory(store.client()).informerFor(Pod.class);
        pods.addEventHandler(handler);
        factory.start();
        factory.awaitCacheSync(WAIT);

        assertThat(factory.watchListSupport().mayTry()).isFalse();
        assertThat(factory.watchListSupport().reason()).contains("ignores sendInitialEvents");
        assertThat(client.count("pods list")).isEqualTo(1);
        await().atMost(WAIT).until(() -> handler.calls.size() == 30);
        assertThat(handler.calls).as("the ignored stream's adds never reached handlers: one add per pod")
                .allMatch(c -> c.startsWith("add ")).doesNotHaveDuplicates();
        assertCacheFollowsTheStore(pods, writer);
    }
}
