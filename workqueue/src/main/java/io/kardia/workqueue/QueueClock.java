package io.kardia.workqueue;

import java.util.concurrent.locks.Condition;

/**
 * Time source of the queues and rate limiters, injectable so that delays can be tested without
 * waiting in real time. Times are nanoseconds on an arbitrary origin, like
 * {@link System#nanoTime()}.
 */
public interface QueueClock {

  /** Deadline meaning "until signalled" for {@link #awaitUntil}. */
  long NO_DEADLINE = Long.MAX_VALUE;

  /** The current time in nanoseconds. */
  long nanoTime();

  /**
   * Parks the calling timer thread, which holds the lock of {@code wakeUp}, until {@code wakeUp}
   * is signalled or this clock reaches {@code deadlineNanos} (or spuriously); the caller re-checks.
   */
  void awaitUntil(Condition wakeUp, long deadlineNanos) throws InterruptedException;

  /**
   * {@link #awaitUntil(Condition, long)} with the lock of {@code wakeUp} at hand, for a clock that
   * wakes the waiter itself at the deadline by signalling (a virtual clock cannot use
   * {@code awaitNanos}, whose deadline is on {@link System#nanoTime()}).
   */
  default void awaitUntil(java.util.concurrent.locks.Lock lock, Condition wakeUp, long deadlineNanos)
      throws InterruptedException {
    awaitUntil(wakeUp, deadlineNanos);
  }

  /** The real clock, {@link System#nanoTime()}. */
  static QueueClock system() {
    return SystemClock.INSTANCE;
  }

  /** The real clock. */
  enum SystemClock implements QueueClock {
    INSTANCE;

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void awaitUntil(Condition wakeUp, long deadlineNanos) throws InterruptedException {
      if (deadlineNanos == NO_DEADLINE) {
        wakeUp.await();
      } else {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining > 0) {
          wakeUp.awaitNanos(remaining);
        }
      }
    }
  }
}
