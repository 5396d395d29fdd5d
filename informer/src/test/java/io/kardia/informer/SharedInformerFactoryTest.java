package io.kardia.informer;

import io.kardia.core.client.ServerResources;
import static io.kardia.informer.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.KubeClientException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.Pod;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.core.selector.Selector;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SharedInformerFactoryTest {
    private final FakeKubeClient client = new FakeKubeClient();
    private final SharedInformerFactory factory = new SharedInformerFactory(client,
            InformerOptions.defaults().withReflector(ReflectorOptions.defaults().withWatchList(false).withSleeper(d -> { })));

    @AfterEach
    void stop() {
        factory.stop();
    }

    @Test
    void sameKindAndScopeGiveTheSameInformer() {
        SharedInformer<Pod> a = factory.informerFor(Pod.class);
        SharedInformer<Pod> b = factory.informerFor(TestPods.TYPE, null, Selector.EVERYTHING);
        SharedInformer<Pod> c = factory.informerFor(TestPods.TYPE, "", null);

        assertThat(a).isSameAs(b).isSameAs(c);
        assertThat(factory.informerFor(TestPods.TYPE, "ns1", Selector.EVERYTHING)).isNotSameAs(a);
        assertThat(factory.informerFor(TestPods.TYPE, null, Selector.parse("app=web")))
                .isSameAs(factory.informerFor(TestPods.TYPE, null, Selector.parse("app = web")))
                .isNotSameAs(a);
        assertThat(factory.informers()).hasSize(3);
    }

    @Test
    void aClusterScopedKindCannotBeLimitedToANamespace() {
        ResourceType<Namespace> namespaces = ResourceTypes.of(Namespace.class);
        assertThatThrownBy(() -> factory.informerFor(namespaces, "ns1", Selector.EVERYTHING))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cluster-scoped");
    }

    @Test
    void startSyncsEveryInformerAndStartsLaterOnesAtOnce() throws Exception {
        client.pods.put(pod("ns", "a", 1));
        SharedInformer<Pod> pods = factory.informerFor(Pod.class);
        factory.start();
        factory.awaitCacheSync(Duration.ofSeconds(5));
        assertThat(pods.indexer().listKeys()).containsExactly("ns/a");

        SharedInformer<Pod> later = factory.informerFor(TestPods.TYPE, "ns", Selector.EVERYTHING);
        assertThat(later.isStarted()).isTrue();
        assertThat(factory.waitForCacheSync(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void awaitCacheSyncNamesTheInformersThatDidNotSync() throws Exception {
        client.pods.permanentListFailure = new KubeClientException("no route to host");
        // the real backoff: the reflector waits rather than spinning while the test waits
        SharedInformerFactory factory = new SharedInformerFactory(client);
        SharedInformer<Pod> informer = factory.informerFor(Pod.class);
        factory.start();
        // a busy machine may not have run the first list yet: the message names the error once there is one
        await().atMost(Duration.ofSeconds(15)).until(() -> informer.timeoutMessage(Duration.ZERO).contains("no route to host"));

        assertThatThrownBy(() -> factory.awaitCacheSync(Duration.ofMillis(100)))
                .isInstanceOf(CacheSyncTimeoutException.class)
                .hasMessageContaining("Pod (pods) informer did not sync")
                .hasMessageContaining("no route to host");
        factory.stop();
    }

    @Test
    void aStoppedFactoryRefusesNewInformers() {
        factory.stop();
        assertThatThrownBy(() -> factory.informerFor(Pod.class)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stopped");
    }

    /** Serves pods from one fake; other kinds get fakes of their own. */
    static final class FakeKubeClient implements KubeClient {
        final FakeResourceClient<Pod> pods = new FakeResourceClient<>(TestPods.TYPE);
        private final Map<ResourceType<?>, FakeResourceClient<?>> others = new ConcurrentHashMap<>();

        @Override
        @SuppressWarnings("unchecked")
        public <T extends KubeObject> ResourceClient<T> resources(ResourceType<T> type) {
            if (type.equals(TestPods.TYPE)) {
                return (ResourceClient<T>) pods;
            }
            return (ResourceClient<T>) others.computeIfAbsent(type, FakeResourceClient::new);
        }

        @Override
        public ServerResources discoverResources() {
            throw new UnsupportedOperationException("the informer tests use no discovery");
        }

        @Override
        public Namespace finalizeNamespace(Namespace namespace) {
            throw new UnsupportedOperationException("the informer tests finalize no namespaces");
        }

        @Override
        public void bindPod(String namespace, String podName, String nodeName) {
            throw new UnsupportedOperationException("the informer tests bind no pods");
        }

        @Override
        public void close() {
        }
    }
}
