package io.kardia.runtime.leader;

import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.ForwardingResourceClient;
import io.kardia.core.client.ForwardingKubeClient;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ListOptions;
import io.kardia.core.client.ListPages;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.ServerResources;
import io.kardia.core.client.WriteOptions;
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

    private final class Fenced<T extends KubeObject> extends ForwardingResourceClient<T> {
        Fenced(ResourceClient<T> delegate) {
            super(delegate);
        }

        @Override
        public ListPages<T> listPages(String namespace, ListOptions options) {
            return delegate().listPages(namespace, options); // reads pass, with the transport's read-ahead
        }

        @Override
        public T create(T object, WriteOptions options) {
            check("create " + type().groupResource() + " " + object.metadata().name());
            return super.create(object, options);
        }

        @Override
        public T update(T object, WriteOptions options) {
            check("update " + type().groupResource() + " " + object.metadata().name());
            return super.update(object, options);
        }

        @Override
        public T updateStatus(T object, WriteOptions options) {
            check("update the status of " + type().groupResource() + " " + object.metadata().name());
            return super.updateStatus(object, options);
        }

        @Override
        public T patch(String namespace, String name, PatchType type, String patch, WriteOptions options) {
            check("patch " + type().groupResource() + " " + name);
            return super.patch(namespace, name, type, patch, options);
        }

        @Override
        public T patchStatus(String namespace, String name, PatchType type, String patch, WriteOptions options) {
            check("patch " + type().groupResource() + "/status " + name);
            return super.patchStatus(namespace, name, type, patch, options);
        }

        @Override
        public T delete(String namespace, String name, DeleteOptions options) {
            check("delete " + type().groupResource() + " " + name);
            return super.delete(namespace, name, options);
        }

        @Override
        public void deleteCollection(String namespace, ListOptions selection, DeleteOptions options) {
            check("deletecollection " + type().groupResource() + (namespace == null ? "" : " in " + namespace));
            super.deleteCollection(namespace, selection, options);
        }
    }
}
