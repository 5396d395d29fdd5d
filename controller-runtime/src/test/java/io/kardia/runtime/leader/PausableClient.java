package io.kardia.runtime.leader;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.ServerResources;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ResourceType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;

/**
 * A client that can be "paused" like a frozen process: while paused every call hangs until
 * resumed (or fails at once in {@link Mode#FAIL}), as a stopped VM or a network partition would.
 */
final class PausableClient implements KubeClient {
    enum Mode { HANG, FAIL }

    private final KubeClient real;
    private volatile CountDownLatch gate;
    private volatile Mode mode = Mode.HANG;

    PausableClient(KubeClient real) {
        this.real = real;
    }

    void pause(Mode how) {
        mode = how;
        gate = new CountDownLatch(1);
    }

    void resume() {
        CountDownLatch g = gate;
        gate = null;
        if (g != null) {
            g.countDown();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends KubeObject> ResourceClient<T> resources(ResourceType<T> type) {
        ResourceClient<T> delegate = real.resources(type);
        return (ResourceClient<T>) Proxy.newProxyInstance(ResourceClient.class.getClassLoader(),
                new Class<?>[] {ResourceClient.class}, (proxy, method, args) -> {
                    if (method.isDefault()) {
                        // e.g. find(): runs through the proxy's get(), which is gated
                        return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    CountDownLatch g = gate;
                    if (g != null) {
                        if (mode == Mode.FAIL) {
                            throw new io.kardia.core.client.KubeClientException("connection refused (paused)", null);
                        }
                        g.await();
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public ServerResources discoverResources() {
        return real.discoverResources();
    }

    @Override
    public Namespace finalizeNamespace(Namespace namespace) {
        return real.finalizeNamespace(namespace);
    }

    @Override
    public void bindPod(String namespace, String podName, String nodeName) {
        real.bindPod(namespace, podName, nodeName);
    }

    @Override
    public void close() {
        resume();
    }
}
