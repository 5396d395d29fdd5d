package io.kardia.benchmarks.informer;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ListOptions;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.Pod;
import io.kardia.core.model.ResourceTypes;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreList;
import io.kardia.store.StoreOptions;
import io.kardia.store.StoredObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A reference store loaded with {@code n} realistic pods, and the JSON of their list. */
final class BenchStore implements AutoCloseable {
    final ReferenceStore store;
    final KubeClient client;
    final List<String[]> podNames = new ArrayList<>();
    final int pods;

    BenchStore(int pods) {
        this.pods = pods;
        // Large watch buffers: the latency run must not cut informers off as slow watchers.
        // No bookmark timer: in the store as of this writing, a write that becomes durable while
        // the timer (or a watch registration) holds the visibility lock is never published, and
        // the single writer here would wait forever (reported to the store's owner).
        store = ReferenceStore.inMemory(StoreOptions.defaults().withWatchBufferSize(1_000_000)
                .withBookmarkInterval(Duration.ZERO));
        client = store.client();
        for (int i = 0; i < RealisticPods.NAMESPACES; i++) {
            client.resources(Namespace.class).create(Namespace.named(RealisticPods.namespace(i)));
        }
        ResourceClient<Pod> podClient = client.resources(Pod.class);
        for (int i = 0; i < pods; i++) {
            Pod p = podClient.create(RealisticPods.pod(i));
            podNames.add(new String[] {p.metadata().namespace(), p.metadata().name()});
        }
    }

    /** The body kube-apiserver would send for an unpaged list of every pod. */
    byte[] listBytes() {
        StoreList list = store.list(ResourceTypes.of(Pod.class), null, ListOptions.all());
        ByteArrayOutputStream out = new ByteArrayOutputStream(pods * 3200);
        try {
            out.write(("{\"apiVersion\":\"v1\",\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\""
                    + list.resourceVersion() + "\"},\"items\":[").getBytes(StandardCharsets.UTF_8));
            boolean first = true;
            for (StoredObject o : list.items()) {
                if (!first) {
                    out.write(',');
                }
                first = false;
                o.writeTo(out);
            }
            out.write("]}".getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        client.close();
        store.close();
    }
}
