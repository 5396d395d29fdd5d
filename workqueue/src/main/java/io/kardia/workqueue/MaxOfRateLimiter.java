package io.kardia.workqueue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The longest delay of several limiters, each of which records every failure. */
public final class MaxOfRateLimiter<T> implements RateLimiter<T> {
  private final List<RateLimiter<? super T>> limiters;

  @SafeVarargs
  public MaxOfRateLimiter(RateLimiter<? super T>... limiters) {
    this(copy(limiters));
  }

  @SafeVarargs
  private static <T> List<RateLimiter<? super T>> copy(RateLimiter<? super T>... limiters) {
    List<RateLimiter<? super T>> copy = new ArrayList<>(limiters.length);
    for (RateLimiter<? super T> limiter : limiters) {
      copy.add(Objects.requireNonNull(limiter, "limiter"));
    }
    return copy;
  }

  public MaxOfRateLimiter(List<? extends RateLimiter<? super T>> limiters) {
    Objects.requireNonNull(limiters, "limiters");
    if (limiters.isEmpty()) {
      throw new IllegalArgumentException("MaxOfRateLimiter needs at least one limiter");
    }
    this.limiters = List.copyOf(limiters);
  }

  @Override
  public Duration when(T item) {
    Duration longest = Duration.ZERO;
    for (RateLimiter<? super T> limiter : limiters) {
      Duration delay = limiter.when(item);
      if (delay.compareTo(longest) > 0) {
        longest = delay;
      }
    }
    return longest;
  }

  @Override
  public void forget(T item) {
    for (RateLimiter<? super T> limiter : limiters) {
      limiter.forget(item);
    }
  }

  @Override
  public int numRequeues(T item) {
    int most = 0;
    for (RateLimiter<? super T> limiter : limiters) {
      most = Math.max(most, limiter.numRequeues(item));
    }
    return most;
  }

  @Override
  public String toString() {
    return "MaxOfRateLimiter" + limiters;
  }
}
