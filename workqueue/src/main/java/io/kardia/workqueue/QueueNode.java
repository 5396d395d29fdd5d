package io.kardia.workqueue;

/**
 * Book-keeping of one item known to a {@link QueueCore}: waiting, being processed (possibly
 * dirty), or idle (done, kept for reuse). Mutated only under the core's lock; {@link #state} is
 * volatile so that an add can recognise an item that is already queued without taking the lock.
 */
final class QueueNode<T> {
  static final int WAITING = 1;
  static final int PROCESSING = 2;
  /** Being processed and added again meanwhile: queued again on done. */
  static final int PROCESSING_DIRTY = 3;
  /** Forgotten by the queue; a lock-free reader holding a stale reference must look again. */
  static final int REMOVED = 4;
  /** Done and not queued, kept mapped for reuse by the next add of the same item. */
  static final int IDLE = 5;

  final T item;
  volatile int state;
  /** Higher first; read without the lock only as a hint. */
  int priority;
  /** Order of the first add among waiting items, for FIFO within a priority. */
  long sequence;
  /** Next in a {@link FifoLine}, in a bounded {@link PriorityLine}'s arrival order, or in the core's list of idle nodes. */
  QueueNode<T> next;
  /** Previous in a bounded {@link PriorityLine}'s arrival order, or in the core's list of idle nodes. */
  QueueNode<T> previous;
  /** Slot in a {@link PriorityLine}'s heap, -1 when not in it. */
  int heapIndex = -1;
  /** When it joined a {@link PriorityLine} with a wait bound. */
  long waitingSince;
  /** Time of the add that made it waiting, read only when metrics are on. */
  long enqueuedAt;
  /** Time it was handed to a worker, read only when metrics are on. */
  long startedAt;

  QueueNode(T item, int priority, long sequence) {
    this.item = item;
    this.priority = priority;
    this.sequence = sequence;
  }
}
