package io.kardia.informer;

import static io.kardia.informer.TestPods.onNode;
import static io.kardia.informer.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.Pod;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ThreadSafeIndexerTest {
    private final ThreadSafeIndexer<Pod> cache = new ThreadSafeIndexer<>();

    @Test
    void storesByNamespaceSlashNameAndReturnsTheSameInstances() {
        Pod a = pod("ns1", "a", 1);
        cache.put(a);

        assertThat(cache.getByKey("ns1/a")).containsSame(a);
        assertThat(cache.list()).singleElement().isSameAs(a);
        assertThat(cache.listKeys()).containsExactly("ns1/a");
        assertThat(cache.getByKey("ns2/a")).isEmpty();
    }

    @Test
    void putReturnsTheReplacedObjectAndRemoveTheRemovedOne() {
        Pod v1 = pod("ns", "a", 1);
        Pod v2 = pod("ns", "a", 2);

        assertThat(cache.put(v1)).isNull();
        assertThat(cache.put(v2)).isSameAs(v1);
        assertThat(cache.remove("ns/a")).isSameAs(v2);
        assertThat(cache.remove("ns/a")).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void namespaceIndexIsBuiltIn() {
        cache.put(pod("ns1", "a", 1));
        cache.put(pod("ns1", "b", 1));
        cache.put(pod("ns2", "c", 1));

        assertThat(cache.indexNames()).contains(Indexers.NAMESPACE);
        assertThat(cache.indexKeys(Indexers.NAMESPACE, "ns1")).containsExactlyInAnyOrder("ns1/a", "ns1/b");
        assertThat(cache.indexValues(Indexers.NAMESPACE)).containsExactlyInAnyOrder("ns1", "ns2");

        cache.remove("ns2/c");
        assertThat(cache.indexValues(Indexers.NAMESPACE)).containsExactly("ns1");
        assertThat(cache.byIndex(Indexers.NAMESPACE, "ns2")).isEmpty();
    }

    @Test
    void customIndexFollowsUpdatesAndIndexesExistingContents() {
        cache.put(onNode(pod("ns", "a", 1), "n1"));
        cache.put(pod("ns", "unscheduled", 1));
        cache.addIndex("node", Indexers.podsByNodeName());

        assertThat(cache.indexKeys("node", "n1")).containsExactly("ns/a");

        Pod moved = onNode(pod("ns", "a", 2), "n2");
        cache.put(moved);

        assertThat(cache.byIndex("node", "n1")).isEmpty();
        assertThat(cache.byIndex("node", "n2")).singleElement().isSameAs(moved);
        assertThat(cache.indexValues("node")).containsExactly("n2");
    }

    @Test
    void ownerUidIndexHandlesSeveralValuesPerObject() {
        OwnerReference rs1 = new OwnerReference("apps/v1", "ReplicaSet", "rs1", "uid-1", true, true, Map.of());
        OwnerReference other = new OwnerReference("v1", "Thing", "t", "uid-2", false, false, Map.of());
        Pod p = Pod.of(ObjectMeta.builder().namespace("ns").name("p").ownerReference(rs1).ownerReference(other).build(), null);
        cache.addIndex("owner", Indexers.byOwnerUid());
        cache.addIndex("controller", Indexers.byControllerUid());
        cache.put(p);

        assertThat(cache.indexKeys("owner", "uid-1")).containsExactly("ns/p");
        assertThat(cache.indexKeys("owner", "uid-2")).containsExactly("ns/p");
        assertThat(cache.indexKeys("controller", "uid-1")).containsExactly("ns/p");
        assertThat(cache.indexKeys("controller", "uid-2")).isEmpty();
    }

    @Test
    void unknownOrDuplicateIndexIsAClearError() {
        assertThatThrownBy(() -> cache.byIndex("node", "n1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no index named 'node'").hasMessageContaining("namespace");
        assertThatThrownBy(() -> cache.addIndex(Indexers.NAMESPACE, Indexers.byNamespace()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists");
    }

    @Test
    void clusterScopedObjectsAreKeyedByName() {
        Pod noNamespace = Pod.of(ObjectMeta.builder().name("x").build(), null);
        cache.put(noNamespace);

        assertThat(cache.getByKey("x")).containsSame(noNamespace);
        assertThat(cache.indexKeys(Indexers.NAMESPACE, "")).containsExactly("x");
    }

    @Test
    void readersRunConcurrentlyWithAWriterAndSeeWholeObjects() throws Exception {
        cache.addIndex("node", Indexers.podsByNodeName());
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> readerError = new AtomicReference<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                while (done.getCount() > 0) {
                    for (Pod p : cache.byIndex("node", "n1")) {
                        assertThat(p.spec().nodeName()).isEqualTo("n1");
                    }
                    cache.list().forEach(p -> assertThat(p.metadata().name()).isNotNull());
                }
            } catch (Throwable t) {
                readerError.set(t);
            }
        });
        for (int i = 0; i < 20_000; i++) {
            cache.put(onNode(pod("ns", "p" + (i % 500), i), i % 2 == 0 ? "n1" : "n2"));
            if (i % 7 == 0) {
                cache.remove("ns/p" + (i % 500));
            }
        }
        done.countDown();
        reader.join();

        assertThat(readerError.get()).isNull();
        for (Pod p : cache.list()) {
            String node = p.spec().nodeName();
            assertThat(cache.indexKeys("node", node)).contains(p.key());
            assertThat(cache.indexKeys("node", node.equals("n1") ? "n2" : "n1")).doesNotContain(p.key());
        }
        int indexed = cache.indexKeys("node", "n1").size() + cache.indexKeys("node", "n2").size();
        assertThat(indexed).isEqualTo(cache.size());
        assertThat(cache.indexKeys(Indexers.NAMESPACE, "ns")).hasSize(cache.size());
    }

    @Test
    void clearEmptiesItemsAndIndexes() {
        cache.put(pod("ns", "a", 1));
        cache.clear();
        assertThat(cache.list()).isEmpty();
        assertThat(cache.indexValues(Indexers.NAMESPACE)).isEmpty();
        assertThat(List.copyOf(cache.indexNames())).contains(Indexers.NAMESPACE);
    }
}
