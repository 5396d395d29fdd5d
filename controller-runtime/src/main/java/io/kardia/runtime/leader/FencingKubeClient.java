package io.kardia.runtime.leader;

import io.kardia.core.client.ForwardingKubeClient;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ListOptions;
import io.kardia.core.client.ListPages;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.ServerResources;
import io.kardia.core.client.WriteInterceptingResources;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ResourceType;
import java.util.Objects;

/**
 * A client whose writes (create, update, status, patch, delete, binding, namespace finalize) are refused with a
 * {@link FencedWriteException}, without reaching the server, once the {@link LeaseGuard} says the
 * leader's lease deadline has passed. Reads pass. This fences a deposed leader: a reconcile still
 * running when its lease lapsed cannot act on what the next leader already owns.
 */
public final class FencingKubeClient extends ForwardingKubeClient {
    private final KubeClient delegate;
    private final LeaseGuard guard;

    public FencingKubeClient(KubeClient delegate, LeaseGuard guard) {
        super(delegate);
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    @Override
    public <T extends KubeObject> ResourceClient<T> resources(ResourceType<T> type) {
        return new Fenced<>(delegate.resources(type));
    }

    @Override
    public void bindPod(String namespace, String podName, String nodeName) {
        check("bind pod " + namespace + "/" + podName);
        delegate.bindPod(namespace, podName, nodeName);
    }

    @Override
    public Namespace finalizeNamespace(Namespace namespace) {
        check("finalize namespace " + namespace.metadata().name());
        return delegate.finalizeNamespace(namespace);
    }

    private void check(String what) {
        if (!guard.mayWrite()) {
            throw new FencedWriteException("refusing to " + what + ": " + guard.why());
        }
    }

    private final class Fenced<T extends KubeObject> extends WriteInterceptingResources<T> {
        Fenced(ResourceClient<T> delegate) {
            super(delegate);
        }

        @Override
        public ListPages<T> listPages(String namespace, ListOptions options) {
            return delegate().listPages(namespace, options); // reads pass, with the transport's read-ahead
        }

        @Override
        protected <R> R write(String verb, String namespace, String name, java.util.function.Supplier<R> call) {
            check(verb + " " + type().groupResource() + (name == null ? "" : " " + name)
                    + (name == null && namespace != null ? " in " + namespace : ""));
            return call.get();
        }
    }
}
