package io.kardia.workqueue;

import java.util.Arrays;

/**
 * Highest priority first, then lowest sequence (first added) first. A binary heap whose nodes know
 * their slot, so that raising a priority is a sift-up rather than a search.
 *
 * <p>Without starvation: with a wait bound, the line also keeps its nodes in arrival order (an
 * intrusive list through {@link QueueNode#next}/{@link QueueNode#previous}, free while a node
 * waits), and a node that has waited longer than the bound is handed out next whatever its
 * priority (overdue nodes oldest first). So a flood of higher-priority items delays a
 * low-priority one by at most the bound (plus the time until a worker asks), never for ever.
 */
final class PriorityLine<T> implements WaitingLine<T> {
  private QueueNode<T>[] heap;
  private int size;
  private final QueueClock clock;
  /** 0: no bound, strict priorities. */
  private final long maxWaitNanos;
  private QueueNode<T> oldest;
  private QueueNode<T> newest;
  private boolean lastPopAged;

  PriorityLine() {
    this(null, 0);
  }

  /** @param maxWaitNanos the longest a node waits behind higher priorities; 0 for no bound */
  @SuppressWarnings("unchecked")
  PriorityLine(QueueClock clock, long maxWaitNanos) {
    if (maxWaitNanos < 0) {
      throw new IllegalArgumentException("the wait bound must not be negative, got " + maxWaitNanos + " ns");
    }
    if (maxWaitNanos > 0 && clock == null) {
      throw new IllegalArgumentException("a wait bound needs a clock");
    }
    this.clock = clock;
    this.maxWaitNanos = maxWaitNanos;
    heap = (QueueNode<T>[]) new QueueNode<?>[64];
  }

  @Override
  public void push(QueueNode<T> node) {
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    siftUp(size++, node);
    if (maxWaitNanos > 0) {
      node.waitingSince = clock.nanoTime();
      node.previous = newest;
      node.next = null;
      if (newest == null) {
        oldest = node;
      } else {
        newest.next = node;
      }
      newest = node;
    }
  }

  @Override
  public QueueNode<T> pop() {
    lastPopAged = false;
    if (maxWaitNanos > 0 && clock.nanoTime() - oldest.waitingSince >= maxWaitNanos && oldest != heap[0]) {
      QueueNode<T> overdue = oldest;
      removeAt(overdue.heapIndex);
      unlinkArrival(overdue);
      lastPopAged = true;
      return overdue;
    }
    QueueNode<T> top = heap[0];
    removeAt(0);
    if (maxWaitNanos > 0) {
      unlinkArrival(top);
    }
    return top;
  }

  @Override
  public boolean lastPopAged() {
    return lastPopAged;
  }

  private void removeAt(int index) {
    QueueNode<T> removed = heap[index];
    QueueNode<T> last = heap[--size];
    heap[size] = null;
    if (index < size) {
      siftDown(index, last);
      if (heap[index] == last) {
        siftUp(index, last);
      }
    }
    removed.heapIndex = -1;
  }

  private void unlinkArrival(QueueNode<T> node) {
    if (node.previous == null) {
      oldest = node.next;
    } else {
      node.previous.next = node.next;
    }
    if (node.next == null) {
      newest = node.previous;
    } else {
      node.next.previous = node.previous;
    }
    node.next = null;
    node.previous = null;
  }

  @Override
  public void raise(QueueNode<T> node, int priority) {
    if (priority > node.priority) {
      node.priority = priority;
      siftUp(node.heapIndex, node);
    }
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean ordersByPriority() {
    return true;
  }

  private static boolean before(QueueNode<?> a, QueueNode<?> b) {
    return a.priority != b.priority ? a.priority > b.priority : a.sequence < b.sequence;
  }

  private void siftUp(int index, QueueNode<T> node) {
    while (index > 0) {
      int parent = (index - 1) >>> 1;
      QueueNode<T> p = heap[parent];
      if (!before(node, p)) {
        break;
      }
      place(index, p);
      index = parent;
    }
    place(index, node);
  }

  private void siftDown(int index, QueueNode<T> node) {
    int half = size >>> 1;
    while (index < half) {
      int child = 2 * index + 1;
      int right = child + 1;
      if (right < size && before(heap[right], heap[child])) {
        child = right;
      }
      if (!before(heap[child], node)) {
        break;
      }
      place(index, heap[child]);
      index = child;
    }
    place(index, node);
  }

  private void place(int index, QueueNode<T> node) {
    heap[index] = node;
    node.heapIndex = index;
  }
}
