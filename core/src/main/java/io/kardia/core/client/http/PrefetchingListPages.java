package io.kardia.core.client.http;

import io.kardia.core.client.KubeClientException;
import io.kardia.core.client.ListOptions;
import io.kardia.core.client.ListPages;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectList;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * A paged list read ahead: a fetcher thread requests page after page (it needs only each page's
 * continue token, found at the top of the body), and every page is decoded on a thread of its
 * own, so the server producing the next page, the transfer and the decoding of earlier pages
 * overlap instead of taking turns. An informer's initial list of tens of thousands of objects is
 * what this is for. At most {@link #AHEAD} pages wait beyond the one being read, which bounds
 * the memory read-ahead takes.
 */
final class PrefetchingListPages<T extends KubeObject> implements ListPages<T> {
    static final int AHEAD = 2;
    private static final ExecutorService DECODERS =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("kardia-list-decode-", 0).factory());
    private static final Future<?> END = CompletableFuture.completedFuture(null);

    /** Fetches one page's body. */
    interface Fetch {
        byte[] fetch(ListOptions options);
    }

    private final BlockingQueue<Future<?>> ready = new ArrayBlockingQueue<>(AHEAD);
    private final Thread fetcher;
    private volatile boolean closed;
    private Future<?> head;
    private boolean ended;

    PrefetchingListPages(String name, ListOptions first, Fetch fetch, Function<byte[], String> continueToken,
                         Function<byte[], ObjectList<T>> decode) {
        fetcher = Thread.ofVirtual().name("kardia-list-" + name).start(() -> fetchAll(first, fetch, continueToken, decode));
    }

    private void fetchAll(ListOptions first, Fetch fetch, Function<byte[], String> continueToken,
                          Function<byte[], ObjectList<T>> decode) {
        ListOptions options = first;
        try {
            while (!closed) {
                byte[] body = fetch.fetch(options);
                String next = continueToken.apply(body);
                ready.put(DECODERS.submit(() -> decode.apply(body)));
                if (next == null) {
                    ready.put(END);
                    return;
                }
                options = options.withContinue(next);
            }
        } catch (InterruptedException e) {
            // closed while waiting for room: nobody reads on
        } catch (RuntimeException e) {
            try {
                ready.put(CompletableFuture.failedFuture(e)); // the reader gets it after the pages before it
            } catch (InterruptedException closedMeanwhile) {
                // nobody reads on
            }
        }
    }

    @Override
    public boolean hasNext() {
        if (head == null && !ended) {
            if (closed) {
                throw new IllegalStateException("the list pages were closed");
            }
            try {
                head = ready.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new KubeClientException("interrupted while waiting for the next page of a list");
            }
            if (head == END) {
                ended = true;
                head = null;
            }
        }
        return head != null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public ObjectList<T> next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the list has no more pages");
        }
        Future<?> page = head;
        head = null;
        try {
            return (ObjectList<T>) page.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new KubeClientException("interrupted while a page of a list was decoded");
        } catch (ExecutionException e) {
            close();
            // the fetcher's or decoder's own exception, typed as the caller would get it from list()
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new KubeClientException("decoding a page of a list failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        fetcher.interrupt();
        ended = true;
        head = null;
        for (Future<?> f; (f = ready.poll()) != null; ) {
            f.cancel(true);
        }
    }
}
