package io.kardia.runtime;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.ServerResources;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.core.model.Status;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/** A client whose list and watch of one kind are forbidden, as for a missing RBAC rule. */
final class FailingListClient {
    private FailingListClient() {
    }

    static KubeClient wrap(KubeClient real, Class<? extends KubeObject> forbiddenKind) {
        ResourceType<?> forbidden = ResourceTypes.of(forbiddenKind);
        return new KubeClient() {
            @Override
            @SuppressWarnings("unchecked")
            public <T extends KubeObject> ResourceClient<T> resources(ResourceType<T> type) {
                ResourceClient<T> delegate = real.resources(type);
                if (!type.equals(forbidden)) {
                    return delegate;
                }
                InvocationHandler h = (proxy, method, args) -> {
                    // listPages is a paged list: forbidden with list, as a server forbids every page
                    if (method.getName().startsWith("list") || method.getName().equals("watch")) {
                        throw KubeApiException.of(Status.forbidden(type.named(""), "list and watch are forbidden here"));
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                };
                return (ResourceClient<T>) Proxy.newProxyInstance(ResourceClient.class.getClassLoader(),
                        new Class<?>[] {ResourceClient.class}, h);
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
            }
        };
    }
}
