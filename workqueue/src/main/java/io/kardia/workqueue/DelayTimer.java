package io.kardia.workqueue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds items until their due time and then hands them to a sink; one thread and one heap for all
 * items, like client-go's waitingLoop. An item scheduled again keeps the earlier due time and the
 * higher priority.
 */
final class DelayTimer<T> {
  private static final Logger LOG = LoggerFactory.getLogger(DelayTimer.class);

  /** Where due items go: the queue's add. */
  interface Sink<T> {
    void add(T item, int priority);
  }

  private static final class Pending<T> {
    final T item;
    long readyAt;
    int priority;
    int heapIndex;

    Pending(T item, long readyAt, int priority) {
      this.item = item;
      this.readyAt = readyAt;
      this.priority = priority;
    }
  }

  private final String queueName;
  private final QueueClock clock;
  private final Sink<T> sink;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wakeUp = lock.newCondition();
  private final Map<T, Pending<T>> pendingByItem = new HashMap<>();
  private final Thread thread;
  @SuppressWarnings("unchecked")
  private Pending<T>[] heap = (Pending<T>[]) new Pending<?>[16];
  private int size;
  private boolean stopped;

  DelayTimer(String queueName, QueueClock clock, ThreadFactory threads, Sink<T> sink) {
    this.queueName = queueName;
    this.clock = clock;
    this.sink = sink;
    this.thread = threads.newThread(this::run);
  }

  void start() {
    thread.start();
  }

  /** Hands {@code item} to the sink at {@code readyAt} (clock nanos). */
  void schedule(T item, long readyAt, int priority) {
    lock.lock();
    try {
      if (stopped) {
        return;
      }
      Pending<T> pending = pendingByItem.get(item);
      if (pending == null) {
        pending = new Pending<>(item, readyAt, priority);
        pendingByItem.put(item, pending);
        if (size == heap.length) {
          heap = Arrays.copyOf(heap, size * 2);
        }
        siftUp(size++, pending);
      } else {
        pending.priority = Math.max(pending.priority, priority);
        if (readyAt >= pending.readyAt) {
          return;
        }
        pending.readyAt = readyAt;
        siftUp(pending.heapIndex, pending);
      }
      if (pending.heapIndex == 0) {
        wakeUp.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Stops the thread and drops what is pending; does not wait for the thread to end. */
  void stop() {
    lock.lock();
    try {
      stopped = true;
      Arrays.fill(heap, 0, size, null);
      size = 0;
      pendingByItem.clear();
      wakeUp.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Items waiting for their time. */
  int pending() {
    lock.lock();
    try {
      return size;
    } finally {
      lock.unlock();
    }
  }

  Thread thread() {
    return thread;
  }

  private void run() {
    List<Pending<T>> due = new ArrayList<>();
    lock.lock();
    try {
      while (!stopped) {
        long now = clock.nanoTime();
        while (size > 0 && heap[0].readyAt - now <= 0) {
          Pending<T> first = popFirst();
          pendingByItem.remove(first.item);
          due.add(first);
        }
        if (due.isEmpty()) {
          clock.awaitUntil(lock, wakeUp, size == 0 ? QueueClock.NO_DEADLINE : heap[0].readyAt);
          continue;
        }
        // Hand over outside the timer lock: callers scheduling meanwhile need not wait.
        lock.unlock();
        try {
          deliver(due);
        } finally {
          lock.lock();
        }
        due.clear();
      }
    } catch (InterruptedException e) {
      LOG.debug("work queue '{}': delay timer interrupted, stopping", queueName);
    } finally {
      lock.unlock();
    }
    LOG.debug("work queue '{}': delay timer stopped", queueName);
  }

  private void deliver(List<Pending<T>> due) {
    for (Pending<T> pending : due) {
      try {
        sink.add(pending.item, pending.priority);
      } catch (RuntimeException e) {
        LOG.error("work queue '{}': could not add a delayed item", queueName, e);
      }
    }
  }

  private Pending<T> popFirst() {
    Pending<T> first = heap[0];
    Pending<T> last = heap[--size];
    heap[size] = null;
    if (size > 0) {
      siftDown(0, last);
    }
    return first;
  }

  private void siftUp(int index, Pending<T> pending) {
    while (index > 0) {
      int parent = (index - 1) >>> 1;
      Pending<T> p = heap[parent];
      if (p.readyAt - pending.readyAt <= 0) {
        break;
      }
      place(index, p);
      index = parent;
    }
    place(index, pending);
  }

  private void siftDown(int index, Pending<T> pending) {
    int half = size >>> 1;
    while (index < half) {
      int child = 2 * index + 1;
      int right = child + 1;
      if (right < size && heap[right].readyAt - heap[child].readyAt < 0) {
        child = right;
      }
      if (pending.readyAt - heap[child].readyAt <= 0) {
        break;
      }
      place(index, heap[child]);
      index = child;
    }
    place(index, pending);
  }

  private void place(int index, Pending<T> pending) {
    heap[index] = pending;
    pending.heapIndex = index;
  }
}
