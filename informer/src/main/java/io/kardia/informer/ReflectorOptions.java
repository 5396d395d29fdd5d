package io.kardia.informer;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Tuning of a {@link Reflector}.
 *
 * @param pageSize        list page size ({@code limit}); 0 lists everything in one response
 * @param minWatchTimeout each watch asks the server to end it after a random time in
 *                        [min, 2*min] so a fleet of clients does not reconnect in lockstep
 *                        (client-go: 5 min)
 * @param backoff         waits after repeated failures
 * @param sleeper         how the reflector waits (tests inject one that does not)
 * @param nanoClock       monotonic time, for backoff resets and short-watch detection
 * @param random          source of jitter
 */
public record ReflectorOptions(long pageSize, Duration minWatchTimeout, BackoffPolicy backoff, Sleeper sleeper,
                               LongSupplier nanoClock, RandomGenerator random) {

    public static final long DEFAULT_PAGE_SIZE = 500;

    public static ReflectorOptions defaults() {
        return new ReflectorOptions(DEFAULT_PAGE_SIZE, Duration.ofMinutes(5), BackoffPolicy.defaults(), Sleeper.SYSTEM,
                System::nanoTime, RandomGenerator.getDefault());
    }

    public ReflectorOptions {
        if (pageSize < 0) {
            throw new IllegalArgumentException("pageSize must be >= 0, got " + pageSize);
        }
        if (minWatchTimeout == null || minWatchTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("minWatchTimeout must be at least 1 s, got " + minWatchTimeout);
        }
        backoff = backoff == null ? BackoffPolicy.defaults() : backoff;
        sleeper = sleeper == null ? Sleeper.SYSTEM : sleeper;
        nanoClock = nanoClock == null ? System::nanoTime : nanoClock;
        random = random == null ? RandomGenerator.getDefault() : random;
    }

    public ReflectorOptions withPageSize(long size) {
        return new ReflectorOptions(size, minWatchTimeout, backoff, sleeper, nanoClock, random);
    }

    public ReflectorOptions withMinWatchTimeout(Duration timeout) {
        return new ReflectorOptions(pageSize, timeout, backoff, sleeper, nanoClock, random);
    }

    public ReflectorOptions withBackoff(BackoffPolicy policy) {
        return new ReflectorOptions(pageSize, minWatchTimeout, policy, sleeper, nanoClock, random);
    }

    public ReflectorOptions withSleeper(Sleeper s) {
        return new ReflectorOptions(pageSize, minWatchTimeout, backoff, s, nanoClock, random);
    }

    public ReflectorOptions withNanoClock(LongSupplier clock) {
        return new ReflectorOptions(pageSize, minWatchTimeout, backoff, sleeper, clock, random);
    }

    public ReflectorOptions withRandom(RandomGenerator r) {
        return new ReflectorOptions(pageSize, minWatchTimeout, backoff, sleeper, nanoClock, r);
    }
}
