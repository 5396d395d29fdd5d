package io.kardia.core.client;

import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectList;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The pages of a paged list, in order, following continue tokens to the last page (see
 * {@link ResourceClient#listPages}). A transport may fetch ahead while earlier pages are
 * consumed; close it to stop that when not reading to the end.
 */
public interface ListPages<T extends KubeObject> extends Iterator<ObjectList<T>>, AutoCloseable {

    /** Stops fetching; pages not yet returned are dropped. Idempotent. */
    @Override
    void close();

    /** One page after another on the caller's thread: what a transport without read-ahead does. */
    static <T extends KubeObject> ListPages<T> sequential(ResourceClient<T> client, String namespace,
                                                         ListOptions options) {
        return new ListPages<>() {
            private ListOptions next = options;

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public ObjectList<T> next() {
                if (next == null) {
                    throw new NoSuchElementException("the list has no more pages");
                }
                ObjectList<T> page = client.list(namespace, next);
                next = page.hasMore() ? next.withContinue(page.continueToken()) : null;
                return page;
            }

            @Override
            public void close() {
                next = null;
            }
        };
    }
}
