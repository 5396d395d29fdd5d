package io.kardia.runtime.simulation;

import io.kardia.core.client.WriteInterceptingResources;
import io.kardia.core.client.ForwardingKubeClient;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ResourceType;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@link Simulation#client()}: the test's client, which refuses writes from a manager's threads.
 * Such a write would bypass the manager's link (and so survive its crash); it fails with a
 * {@link WriteBypassesManagerException}, which is also reported to the simulation, so that the run
 * fails even if the reconciler catches it. Reads are allowed from anywhere (an observing test
 * wrapper may look at the store).
 */
final class TestClient extends ForwardingKubeClient {
    private final ManagerThreads threads;
    private final Consumer<WriteBypassesManagerException> report;

    TestClient(KubeClient delegate, ManagerThreads threads, Consumer<WriteBypassesManagerException> report) {
        super(delegate);
        this.threads = threads;
        this.report = report;
    }

    /** Fails if the current thread is a manager's. */
    private void checkWriter(String write) {
        String manager = threads.current();
        if (manager != null) {
            WriteBypassesManagerException e = new WriteBypassesManagerException(manager, write);
            report.accept(e);
            throw e;
        }
    }

    @Override
    public <T extends KubeObject> ResourceClient<T> resources(ResourceType<T> type) {
        return new WriteInterceptingResources<>(super.resources(type)) {
            @Override
            protected <R> R write(String verb, String namespace, String name, Supplier<R> call) {
                checkWriter(verb + " " + type().plural() + " " + (namespace == null ? "" : namespace + "/") + name);
                return call.get();
            }
        };
    }

    @Override
    public void bindPod(String namespace, String podName, String nodeName) {
        checkWriter("bind pod " + namespace + "/" + podName);
        super.bindPod(namespace, podName, nodeName);
    }

    @Override
    public Namespace finalizeNamespace(Namespace namespace) {
        checkWriter("finalize namespace " + namespace.metadata().name());
        return super.finalizeNamespace(namespace);
    }
}
