package io.kardia.workqueue;

import java.time.Duration;
import java.util.Optional;

/**
 * A work queue of keys with the semantics of client-go's {@code workqueue.Interface}.
 *
 * <ul>
 *   <li>An item added while it is waiting is stored once (dedup).</li>
 *   <li>An item is handed to at most one worker at a time: adding it while it is being processed
 *       marks it dirty, and it is queued again only when the worker calls {@link #done}.</li>
 *   <li>Waiting items are handed out in FIFO order (or by priority, see
 *       {@link PriorityWorkQueue}).</li>
 *   <li>After {@link #shutDown()} adds are ignored; {@link #get()} keeps handing out the items that
 *       are still waiting and signals shut-down once none is left.</li>
 * </ul>
 *
 * <p>Items are compared with {@code equals}/{@code hashCode} and must not be null. All methods are
 * thread-safe.
 *
 * @param <T> the item type, typically an immutable key
 */
public interface WorkQueue<T> {

  /** The name the queue was built with; used as the {@code name} tag of its metrics. */
  String name();

  /** Queues {@code item} unless it is already waiting; ignored once the queue is shutting down. */
  void add(T item);

  /**
   * Blocks until an item is available and hands it to the caller, who must call {@link #done}
   * when finished with it.
   *
   * @return the item, or empty when the queue is shutting down and no item is left waiting
   * @throws InterruptedException if the calling thread is interrupted while waiting
   */
  Optional<T> get() throws InterruptedException;

  /**
   * Like {@link #get()} but waits at most {@code timeout}.
   *
   * @return the item, or empty when the timeout elapsed or the queue is shut down and empty
   *     (tell the two apart with {@link #isShuttingDown()})
   */
  Optional<T> poll(Duration timeout) throws InterruptedException;

  /**
   * Marks {@code item} as no longer being processed; if it was added again meanwhile it is queued.
   *
   * @throws IllegalStateException if {@code item} is not being processed (done called twice, or
   *     for an item never handed out by {@link #get()})
   */
  void done(T item);

  /** Number of items waiting to be handed out (not counting the ones being processed). */
  int len();

  /** Stops accepting items and wakes every waiting worker; waiting items are still handed out. */
  void shutDown();

  /**
   * Like {@link #shutDown()} and then waits until no item is being processed (every item handed
   * out has been {@linkplain #done done}). As in client-go, items still waiting may be handed out
   * afterwards; a later {@link #shutDown()} stops the wait.
   */
  void shutDownWithDrain() throws InterruptedException;

  /**
   * Like {@link #shutDownWithDrain()} but waits at most {@code timeout}.
   *
   * @return true if drained, false if the timeout elapsed first (or {@link #shutDown()} cut it
   *     short)
   */
  boolean shutDownWithDrain(Duration timeout) throws InterruptedException;

  /** Whether {@link #shutDown()} or {@link #shutDownWithDrain()} has been called. */
  boolean isShuttingDown();
}
