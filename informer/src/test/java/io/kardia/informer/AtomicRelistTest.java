package io.kardia.informer;

import static io.kardia.informer.TestPods.pod;
import static io.kardia.informer.StorePods.versions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.core.model.Pod;
import io.kardia.core.selector.Selector;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A relist replaces the cache in one step before any handler hears of it: whatever relist
 * notification a handler gets first, the cache it reads then is already the whole new list.
 */
class AtomicRelistTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int PODS = 20_000;
    private final FakeResourceClient<Pod> client = new FakeResourceClient<>(TestPods.TYPE);
    private final SharedInformer<Pod> informer = new SharedInformer<>(client, null, Selector.EVERYTHING,
            InformerOptions.defaults().withReflector(ReflectorOptions.defaults().withWatchList(false).withSleeper(d -> { })));

    @AfterEach
    void stop() {
        informer.stop();
    }

    @Test
    void theFirstRelistNotificationAlreadySeesTheWholeRelistedCache() throws Exception {
        for (int i = 0; i < PODS; i++) {
            client.put(pod("ns", "p-" + i, 1));
        }
        AtomicReference<Map<String, String>> seenAtFirstRelistEvent = new AtomicReference<>();
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onUpdate(Pod oldObj, Pod newObj) {
                seenAtFirstRelistEvent.compareAndSet(null, versions(informer.indexer().list()));
            }

            @Override
            public void onDelete(Pod obj, boolean finalStateUnknown) {
                seenAtFirstRelistEvent.compareAndSet(null, versions(informer.indexer().list()));
            }
        });
        informer.start();
        informer.awaitCacheSync(WAIT);
        FakeWatch<Pod> watch = client.nextWatch();

        // the server moved on: every pod changed, half of them are gone, others are new
        Map<String, String> relisted = new HashMap<>();
        synchronized (client) {
            client.objects.clear();
            for (int i = 0; i < PODS; i++) {
                Pod p = i % 2 == 0 ? pod("ns", "p-" + i, 3) : pod("ns", "new-" + i, 3);
                client.put(p);
                relisted.put(p.key(), "3");
            }
            client.revision = 3;
        }
        watch.send(TestPods.gone());

        await().atMost(WAIT).until(() -> seenAtFirstRelistEvent.get() != null);
        assertThat(seenAtFirstRelistEvent.get()).as("the cache at the first relist notification").isEqualTo(relisted);
        assertThat(versions(informer.indexer().list())).isEqualTo(relisted);
        assertThat(informer.indexer().byIndex(Indexers.NAMESPACE, "ns")).hasSize(PODS);
    }
}
