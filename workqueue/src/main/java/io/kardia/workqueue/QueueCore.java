package io.kardia.workqueue;

import static io.kardia.workqueue.QueueNode.IDLE;
import static io.kardia.workqueue.QueueNode.PROCESSING;
import static io.kardia.workqueue.QueueNode.PROCESSING_DIRTY;
import static io.kardia.workqueue.QueueNode.REMOVED;
import static io.kardia.workqueue.QueueNode.WAITING;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one queue implementation, parameterised by the order of its {@link WaitingLine} (FIFO or
 * priority). Delaying and rate limiting are layered on top by {@link DelayingWorkQueue} and
 * {@link RateLimitedWorkQueue}.
 *
 * <p>Every state change happens under one lock. The exception is the most frequent add in a busy
 * controller, an item that is already queued (waiting, or dirty while processed): the node map is
 * concurrent and a node's state volatile, so such an add returns after one map lookup, without the
 * lock and without allocating. Seeing the node queued at that instant is enough: the item will be
 * handed to a worker after it, which is all an add promises.
 *
 * <p>A node whose item is done stays mapped as idle, in a least-recently-done list bounded by
 * {@code maxIdle}, so that the next add of the same key (the common case: controllers see the same
 * objects again and again) neither allocates nor changes the map's structure. Beyond the bound the
 * oldest idle node is dropped, so keys of deleted objects cannot accumulate.
 */
final class QueueCore<T> implements WorkQueue<T>, QueueMetrics.QueueGauges {
  private final String name;
  private final ConcurrentHashMap<T, QueueNode<T>> nodes = new ConcurrentHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition itemAvailable = lock.newCondition();
  private final Condition nothingProcessing = lock.newCondition();
  private final WaitingLine<T> line;
  private final boolean byPriority;
  private final QueueClock clock;
  private final QueueMetrics metrics;
  /** Metrics on: only then is the clock read. */
  private final boolean timed;
  private final int maxIdle;

  private QueueNode<T> idleOldest;
  private QueueNode<T> idleNewest;
  private int idle;
  private long nextSequence;
  private int processing;
  private int dirtyWhileProcessing;
  private int idleWorkers;
  private volatile boolean shuttingDown;
  private boolean draining;

  QueueCore(String name, WaitingLine<T> line, QueueClock clock, QueueMetrics metrics,
      int maxIdle) {
    if (maxIdle < 0) {
      throw new IllegalArgumentException("maxIdle must not be negative, got " + maxIdle);
    }
    this.maxIdle = maxIdle;
    this.name = Objects.requireNonNull(name, "name");
    this.line = line;
    this.byPriority = line.ordersByPriority();
    this.clock = clock;
    this.metrics = metrics;
    this.timed = metrics.enabled();
  }

  @Override
  public String name() {
    return name;
  }

  QueueMetrics metrics() {
    return metrics;
  }

  @Override
  public void add(T item) {
    add(item, PriorityWorkQueue.DEFAULT_PRIORITY);
  }

  void add(T item, int priority) {
    Objects.requireNonNull(item, "item");
    QueueNode<T> known = nodes.get(item);
    if (known != null && alreadyQueued(known, priority)) {
      return;
    }
    lock.lock();
    try {
      addLocked(item, priority, known);
    } finally {
      lock.unlock();
    }
  }

  private boolean alreadyQueued(QueueNode<T> node, int priority) {
    int state = node.state;
    return (state == WAITING || state == PROCESSING_DIRTY)
        && (!byPriority || node.priority >= priority);
  }

  /** {@code known} is what the lock-free lookup saw; nodes leave the map only under the lock. */
  private void addLocked(T item, int priority, QueueNode<T> known) {
    if (shuttingDown) {
      return;
    }
    QueueNode<T> node = known != null && known.state != REMOVED ? known : nodes.get(item);
    if (node == null) {
      node = new QueueNode<>(item, priority, 0);
      node.state = WAITING;
      nodes.put(item, node);
      if (timed) {
        node.enqueuedAt = clock.nanoTime();
      }
      metrics.added();
      push(node);
      return;
    }
    switch (node.state) {
      case IDLE -> {
        unlinkIdle(node);
        node.priority = priority;
        node.state = WAITING;
        if (timed) {
          node.enqueuedAt = clock.nanoTime();
        }
        metrics.added();
        push(node);
      }
      case WAITING -> line.raise(node, priority);
      case PROCESSING -> {
        node.priority = priority;
        node.state = PROCESSING_DIRTY;
        dirtyWhileProcessing++;
        if (timed) {
          node.enqueuedAt = clock.nanoTime();
        }
        metrics.added();
      }
      case PROCESSING_DIRTY -> node.priority = Math.max(node.priority, priority);
      default -> throw new IllegalStateException("work queue '" + name + "': node in state "
          + node.state + " is still mapped");
    }
  }

  private void linkIdle(QueueNode<T> node) {
    node.previous = idleNewest;
    node.next = null;
    if (idleNewest == null) {
      idleOldest = node;
    } else {
      idleNewest.next = node;
    }
    idleNewest = node;
    idle++;
  }

  private void unlinkIdle(QueueNode<T> node) {
    QueueNode<T> before = node.previous;
    QueueNode<T> after = node.next;
    if (before == null) {
      idleOldest = after;
    } else {
      before.next = after;
    }
    if (after == null) {
      idleNewest = before;
    } else {
      after.previous = before;
    }
    node.previous = null;
    node.next = null;
    idle--;
  }

  private void forget(QueueNode<T> node) {
    unlinkIdle(node);
    node.state = REMOVED;
    nodes.remove(node.item);
  }

  /** Nodes kept mapped: waiting, processing and idle. */
  int mappedItems() {
    lock.lock();
    try {
      return nodes.size();
    } finally {
      lock.unlock();
    }
  }

  private void push(QueueNode<T> node) {
    node.sequence = nextSequence++;
    line.push(node);
    if (idleWorkers > 0) {
      itemAvailable.signal();
    }
  }

  @Override
  public Optional<T> get() throws InterruptedException {
    lock.lock();
    try {
      while (line.size() == 0) {
        if (shuttingDown) {
          return Optional.empty();
        }
        idleWorkers++;
        try {
          itemAvailable.await();
        } finally {
          idleWorkers--;
        }
      }
      return Optional.of(takeLocked());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<T> poll(Duration timeout) throws InterruptedException {
    long nanos = saturatedNanos(timeout);
    lock.lock();
    try {
      while (line.size() == 0) {
        if (shuttingDown || nanos <= 0) {
          return Optional.empty();
        }
        idleWorkers++;
        try {
          nanos = itemAvailable.awaitNanos(nanos);
        } finally {
          idleWorkers--;
        }
      }
      return Optional.of(takeLocked());
    } finally {
      lock.unlock();
    }
  }

  private T takeLocked() {
    QueueNode<T> node = line.pop();
    node.state = PROCESSING;
    processing++;
    if (timed) {
      long now = clock.nanoTime();
      metrics.taken(now - node.enqueuedAt);
      if (byPriority) {
        metrics.takenWithPriority(node.priority, now - node.enqueuedAt, line.lastPopAged());
      }
      node.startedAt = now;
    }
    return node.item;
  }

  @Override
  public void done(T item) {
    Objects.requireNonNull(item, "item");
    // Looked up before locking: a node being processed stays mapped until its done.
    QueueNode<T> node = nodes.get(item);
    lock.lock();
    try {
      int state = node == null ? REMOVED : node.state;
      if (state != PROCESSING && state != PROCESSING_DIRTY) {
        throw new IllegalStateException("done(" + item + ") on work queue '" + name
            + "': the item is not being processed (done called twice, or for an item that get did"
            + " not hand out)");
      }
      processing--;
      if (timed) {
        metrics.finished(clock.nanoTime() - node.startedAt);
      }
      if (state == PROCESSING_DIRTY) {
        dirtyWhileProcessing--;
        node.state = WAITING;
        push(node);
      } else if (maxIdle > 0) {
        node.state = IDLE;
        linkIdle(node);
        if (idle > maxIdle) {
          forget(idleOldest);
        }
      } else {
        node.state = REMOVED;
        nodes.remove(item);
      }
      if (processing == 0 && draining) {
        nothingProcessing.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int len() {
    lock.lock();
    try {
      return line.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void shutDown() {
    lock.lock();
    try {
      shuttingDown = true;
      draining = false;
      itemAvailable.signalAll();
      nothingProcessing.signalAll();
    } finally {
      lock.unlock();
    }
    metrics.unbindGauges();
  }

  @Override
  public void shutDownWithDrain() throws InterruptedException {
    shutDownWithDrain(null);
  }

  @Override
  public boolean shutDownWithDrain(Duration timeout) throws InterruptedException {
    // The deadline is on the queue's clock: a simulation's drain ends in virtual time.
    long deadline = QueueClock.NO_DEADLINE;
    if (timeout != null) {
      long now = clock.nanoTime();
      long nanos = saturatedNanos(timeout);
      deadline = nanos >= QueueClock.NO_DEADLINE - now ? QueueClock.NO_DEADLINE - 1 : now + nanos;
    }
    lock.lock();
    try {
      shuttingDown = true;
      draining = true;
      itemAvailable.signalAll();
      while (processing > 0 && draining) {
        if (timeout == null) {
          nothingProcessing.await();
        } else {
          if (deadline - clock.nanoTime() <= 0) {
            return false;
          }
          clock.awaitUntil(lock, nothingProcessing, deadline);
        }
      }
      return processing == 0;
    } finally {
      lock.unlock();
      metrics.unbindGauges();
    }
  }

  /** Threads blocked in get or poll. */
  int idleWorkers() {
    lock.lock();
    try {
      return idleWorkers;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean isShuttingDown() {
    return shuttingDown;
  }

  @Override
  public double depth() {
    lock.lock();
    try {
      return line.size() + dirtyWhileProcessing;
    } finally {
      lock.unlock();
    }
  }

  // The two gauges below walk the node map: O(items) per scrape, nothing on the hot path.
  @Override
  public double unfinishedWorkSeconds() {
    lock.lock();
    try {
      long now = clock.nanoTime();
      long total = 0;
      for (QueueNode<T> node : nodes.values()) {
        if (node.state == PROCESSING || node.state == PROCESSING_DIRTY) {
          total += now - node.startedAt;
        }
      }
      return total / 1e9;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public double longestRunningProcessorSeconds() {
    lock.lock();
    try {
      long now = clock.nanoTime();
      long longest = 0;
      for (QueueNode<T> node : nodes.values()) {
        if (node.state == PROCESSING || node.state == PROCESSING_DIRTY) {
          longest = Math.max(longest, now - node.startedAt);
        }
      }
      return longest / 1e9;
    } finally {
      lock.unlock();
    }
  }

  static long saturatedNanos(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    try {
      return duration.toNanos();
    } catch (ArithmeticException overflow) {
      return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  @Override
  public String toString() {
    return "WorkQueue[" + name + "]";
  }
}
