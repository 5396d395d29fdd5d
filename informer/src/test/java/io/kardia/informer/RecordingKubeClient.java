package io.kardia.informer;

import io.kardia.core.client.ForwardingKubeClient;
import io.kardia.core.client.ForwardingResourceClient;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ListOptions;
import io.kardia.core.client.ListPages;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ResourceType;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real client that records which lists and watches its informers asked for, per kind. */
final class RecordingKubeClient extends ForwardingKubeClient {
    /** "pods list", "pods watch streaming", "pods watch from 12". */
    final List<String> calls = new CopyOnWriteArrayList<>();

    RecordingKubeClient(KubeClient delegate) {
        super(delegate);
    }

    long count(String prefix) {
        return calls.stream().filter(c -> c.startsWith(prefix)).count();
    }

    @Override
    public <T extends KubeObject> ResourceClient<T> resources(ResourceType<T> type) {
        ResourceClient<T> real = delegate().resources(type);
        return new ForwardingResourceClient<>(real) {
            @Override
            public ListPages<T> listPages(String namespace, ListOptions options) {
                calls.add(type.plural() + " list");
                return real.listPages(namespace, options);
            }

            @Override
            public Watch<T> watch(String namespace, WatchOptions options) {
                calls.add(type.plural() + " watch " + (options.isStreamingList() ? "streaming" : "from " + options.resourceVersion()));
                return real.watch(namespace, options);
            }
        };
    }
}
