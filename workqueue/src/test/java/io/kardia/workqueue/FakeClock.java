package io.kardia.workqueue;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;

/**
 * A clock that moves only when told. The timer thread parked on it re-checks every millisecond of
 * real time (its condition is not reachable from here to signal); {@link #awaitTimerCaughtUp}
 * lets a test wait until the timer has seen the current fake time with nothing more due.
 */
final class FakeClock implements QueueClock {
  private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
  private volatile long timerIdleAt = Long.MIN_VALUE;

  @Override
  public long nanoTime() {
    return now.get();
  }

  void advance(Duration duration) {
    now.addAndGet(duration.toNanos());
  }

  @Override
  public void awaitUntil(Condition wakeUp, long deadlineNanos) throws InterruptedException {
    long current = now.get();
    if (deadlineNanos != NO_DEADLINE && deadlineNanos - current <= 0) {
      return;
    }
    // The timer read the time, moved everything due by then and found the next deadline later.
    timerIdleAt = current;
    wakeUp.await(1, TimeUnit.MILLISECONDS);
  }

  /** Waits until the timer thread has handed out everything due at the current fake time. */
  void awaitTimerCaughtUp() {
    await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
        .atMost(Duration.ofSeconds(10)).until(() -> timerIdleAt == now.get());
  }
}
