package io.kardia.workqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final FakeClock clock = new FakeClock();

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  @Test
  void exponentialDoublesPerFailureUpToTheCap() {
    var limiter = new ItemExponentialFailureRateLimiter<String>(ms(1), Duration.ofSeconds(1));

    assertThat(limiter.when("a")).isEqualTo(ms(1));
    assertThat(limiter.when("a")).isEqualTo(ms(2));
    assertThat(limiter.when("a")).isEqualTo(ms(4));
    assertThat(limiter.when("b")).as("per item").isEqualTo(ms(1));
    for (int i = 3; i < 10; i++) {
      assertThat(limiter.when("a")).isEqualTo(ms(1L << i));
    }
    assertThat(limiter.when("a")).as("2^10 ms > 1 s").isEqualTo(Duration.ofSeconds(1));
    for (int i = 0; i < 100; i++) {
      assertThat(limiter.when("a")).as("no overflow").isEqualTo(Duration.ofSeconds(1));
    }
    assertThat(limiter.numRequeues("a")).isEqualTo(111);
    assertThat(limiter.numRequeues("b")).isEqualTo(1);

    limiter.forget("a");
    assertThat(limiter.numRequeues("a")).isZero();
    assertThat(limiter.when("a")).isEqualTo(ms(1));
  }

  @Test
  void exponentialDefaultsAreFiveMillisecondsAndAThousandSeconds() {
    var limiter = new ItemExponentialFailureRateLimiter<String>();
    assertThat(limiter.when("a")).isEqualTo(ms(5));
    assertThat(limiter.when("a")).isEqualTo(ms(10));
    for (int i = 0; i < 30; i++) {
      limiter.when("a");
    }
    assertThat(limiter.when("a")).isEqualTo(Duration.ofSeconds(1000));
  }

  @Test
  void perItemFailuresAreDroppedWhenNotSeenForTheRetention() {
    var limiter = new ItemExponentialFailureRateLimiter<String>(ms(5), Duration.ofSeconds(10),
        Duration.ofMinutes(1), clock);
    for (int i = 0; i < 1_000; i++) {
      limiter.when("never-forgotten-" + i);
    }
    limiter.when("still-failing");
    assertThat(limiter.trackedItems()).isEqualTo(1_001);

    clock.advance(Duration.ofSeconds(50));
    limiter.when("still-failing");
    clock.advance(Duration.ofSeconds(50));

    assertThat(limiter.trackedItems()).as("only the item that kept failing").isEqualTo(1);
    assertThat(limiter.numRequeues("still-failing")).isEqualTo(2);
    assertThat(limiter.numRequeues("never-forgotten-0")).isZero();
  }

  @Test
  void defaultRetentionIsTwiceTheCapButAtLeastAMinute() {
    assertThat(FailureCounts.defaultForgetAfter(Duration.ofSeconds(1000)))
        .isEqualTo(Duration.ofSeconds(2000));
    assertThat(FailureCounts.defaultForgetAfter(ms(10))).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void fastSlowIsFastForTheFirstAttemptsThenSlow() {
    var limiter = new ItemFastSlowRateLimiter<String>(ms(5), Duration.ofSeconds(10), 3);
    assertThat(limiter.when("a")).isEqualTo(ms(5));
    assertThat(limiter.when("a")).isEqualTo(ms(5));
    assertThat(limiter.when("a")).isEqualTo(ms(5));
    assertThat(limiter.when("a")).isEqualTo(Duration.ofSeconds(10));
    assertThat(limiter.when("b")).isEqualTo(ms(5));
    assertThat(limiter.numRequeues("a")).isEqualTo(4);

    limiter.forget("a");
    assertThat(limiter.when("a")).isEqualTo(ms(5));
  }

  @Test
  void fastSlowCountsExpireToo() {
    var limiter = new ItemFastSlowRateLimiter<String>(ms(5), Duration.ofSeconds(10), 3,
        Duration.ofMinutes(1), clock);
    limiter.when("a");
    clock.advance(Duration.ofMinutes(2));
    assertThat(limiter.trackedItems()).isZero();
  }

  @Test
  void bucketAllowsTheBurstThenPacesAtTheRate() {
    var limiter = new BucketRateLimiter<String>(10, 100, clock);
    for (int i = 0; i < 100; i++) {
      assertThat(limiter.when("item-" + i)).as("burst %d", i).isZero();
    }
    assertThat(limiter.when("x")).isEqualTo(ms(100));
    assertThat(limiter.when("y")).isEqualTo(ms(200));

    clock.advance(Duration.ofSeconds(1));
    // 10 tokens refilled, 2 of them already reserved.
    for (int i = 0; i < 8; i++) {
      assertThat(limiter.when("again-" + i)).isZero();
    }
    assertThat(limiter.when("over")).isEqualTo(ms(100));
    assertThat(limiter.numRequeues("x")).isZero();
  }

  @Test
  void bucketRefillsOnlyUpToTheBurst() {
    var limiter = new BucketRateLimiter<String>(10, 5, clock);
    clock.advance(Duration.ofHours(1));
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.when("a")).isZero();
    }
    assertThat(limiter.when("a")).isEqualTo(ms(100));
  }

  @Test
  void bucketDefaultsAreTenQpsAndBurstOfAHundred() {
    assertThat(new BucketRateLimiter<String>())
        .hasToString("BucketRateLimiter[qps=10.0, burst=100]");
    assertThat(BucketRateLimiter.DEFAULT_QPS).isEqualTo(10);
    assertThat(BucketRateLimiter.DEFAULT_BURST).isEqualTo(100);
  }

  @Test
  void maxOfTakesTheLongestDelayAndTellsEveryLimiter() {
    var exponential = new ItemExponentialFailureRateLimiter<String>(ms(1), Duration.ofSeconds(1));
    var fastSlow = new ItemFastSlowRateLimiter<String>(ms(3), ms(500), 2);
    var limiter = new MaxOfRateLimiter<String>(exponential, fastSlow);

    assertThat(limiter.when("a")).isEqualTo(ms(3));
    assertThat(limiter.when("a")).isEqualTo(ms(3));
    assertThat(limiter.when("a")).isEqualTo(ms(500));
    assertThat(exponential.numRequeues("a")).isEqualTo(3);
    assertThat(limiter.numRequeues("a")).isEqualTo(3);

    limiter.forget("a");
    assertThat(exponential.numRequeues("a")).isZero();
    assertThat(fastSlow.numRequeues("a")).isZero();
  }

  @Test
  void defaultControllerLimiterIsExponentialAndBucket() {
    RateLimiter<String> limiter = RateLimiters.defaultControllerRateLimiter(clock);
    assertThat(limiter.when("a")).isEqualTo(ms(5));
    assertThat(limiter.when("a")).isEqualTo(ms(10));
    for (int i = 0; i < 98; i++) {
      assertThat(limiter.when("item-" + i)).isEqualTo(ms(5));
    }
    assertThat(limiter.when("one-over-the-burst")).isEqualTo(ms(100));
    assertThat(limiter.numRequeues("a")).isEqualTo(2);
  }

  @Test
  void rejectsBadSettingsWithTheirNames() {
    assertThatThrownBy(() -> new ItemExponentialFailureRateLimiter<String>(ms(0), ms(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baseDelay");
    assertThatThrownBy(() -> new ItemExponentialFailureRateLimiter<String>(ms(10), ms(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDelay");
    assertThatThrownBy(() -> new ItemFastSlowRateLimiter<String>(ms(1), ms(2), -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFastAttempts");
    assertThatThrownBy(() -> new BucketRateLimiter<String>(0, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("qps");
    assertThatThrownBy(() -> new BucketRateLimiter<String>(Double.NaN, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("qps");
    assertThatThrownBy(() -> new BucketRateLimiter<String>(10, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("burst");
    assertThatThrownBy(() -> new MaxOfRateLimiter<String>())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
    assertThatThrownBy(() -> WorkQueues.builder(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
  }
}
