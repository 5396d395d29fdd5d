package io.kardia.workqueue;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** A {@link QueueCore} plus a {@link DelayTimer} that adds items to it when they are due. */
class DelayingWorkQueue<T> implements DelayingQueue<T> {
  /** Longest delay honoured (about 73 years), so that due times never overflow. */
  private static final long MAX_DELAY_NANOS = Long.MAX_VALUE / 4;

  final QueueCore<T> core;
  final DelayTimer<T> timer;
  private final QueueClock clock;

  DelayingWorkQueue(QueueCore<T> core, DelayTimer<T> timer, QueueClock clock) {
    this.core = core;
    this.timer = timer;
    this.clock = clock;
  }

  @Override
  public String name() {
    return core.name();
  }

  @Override
  public void add(T item) {
    core.add(item);
  }

  @Override
  public void addAfter(T item, Duration delay) {
    addAfter(item, delay, PriorityWorkQueue.DEFAULT_PRIORITY);
  }

  /** client-go counts every delayed add as a retry; so do we. */
  public void addAfter(T item, Duration delay, int priority) {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(delay, "delay");
    if (core.isShuttingDown()) {
      return;
    }
    core.metrics().retried();
    long nanos = QueueCore.saturatedNanos(delay);
    if (nanos <= 0) {
      core.add(item, priority);
      return;
    }
    timer.schedule(item, clock.nanoTime() + Math.min(nanos, MAX_DELAY_NANOS), priority);
  }

  @Override
  public Optional<T> get() throws InterruptedException {
    return core.get();
  }

  @Override
  public Optional<T> poll(Duration timeout) throws InterruptedException {
    return core.poll(timeout);
  }

  @Override
  public void done(T item) {
    core.done(item);
  }

  @Override
  public int len() {
    return core.len();
  }

  @Override
  public void shutDown() {
    timer.stop();
    core.shutDown();
  }

  @Override
  public void shutDownWithDrain() throws InterruptedException {
    timer.stop();
    core.shutDownWithDrain();
  }

  @Override
  public boolean shutDownWithDrain(Duration timeout) throws InterruptedException {
    timer.stop();
    return core.shutDownWithDrain(timeout);
  }

  @Override
  public boolean isShuttingDown() {
    return core.isShuttingDown();
  }

  @Override
  public String toString() {
    return core.toString();
  }
}
