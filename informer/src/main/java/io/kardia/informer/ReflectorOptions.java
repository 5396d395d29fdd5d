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
 * @param watchList       list by a streaming list (a watch with {@code sendInitialEvents=true}) when the
 *                        server serves it, else by a paged LIST (client-go's default since 1.35)
 * @param initialEventsIdle a streaming list whose initial events pause this long without its end
 *                        bookmark is taken as a server that ignores {@code sendInitialEvents}
 */
public record ReflectorOptions(long pageSize, Duration minWatchTimeout, BackoffPolicy backoff, Sleeper sleeper,
                               LongSupplier nanoClock, RandomGenerator random, boolean watchList,
                               Duration initialEventsIdle) {

    public static final Duration DEFAULT_INITIAL_EVENTS_IDLE = Duration.ofSeconds(10);

    public ReflectorOptions(long pageSize, Duration minWatchTimeout, BackoffPolicy backoff, Sleeper sleeper,
                            LongSupplier nanoClock, RandomGenerator random) {
        this(pageSize, minWatchTimeout, backoff, sleeper, nanoClock, random, true, DEFAULT_INITIAL_EVENTS_IDLE);
    }

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
        initialEventsIdle = initialEventsIdle == null ? DEFAULT_INITIAL_EVENTS_IDLE : initialEventsIdle;
        if (initialEventsIdle.isNegative() || initialEventsIdle.isZero()) {
            throw new IllegalArgumentException("initialEventsIdle must be positive, got " + initialEventsIdle);
        }
    }

    /** With {@code false}, always a paged LIST then a WATCH, never a streaming list. */
    public ReflectorOptions withWatchList(boolean on) {
        return new ReflectorOptions(pageSize, minWatchTimeout, backoff, sleeper, nanoClock, random, on, initialEventsIdle);
    }

    public ReflectorOptions withInitialEventsIdle(Duration idle) {
        return new ReflectorOptions(pageSize, minWatchTimeout, backoff, sleeper, nanoClock, random, watchList, idle);
    }

    public ReflectorOptions withPageSize(long size) {
        return new ReflectorOptions(size, minWatchTimeout, backoff, sleeper, nanoClock, random, watchList, initialEventsIdle);
    }

    public ReflectorOptions withMinWatchTimeout(Duration timeout) {
        return new ReflectorOptions(pageSize, timeout, backoff, sleeper, nanoClock, random, watchList, initialEventsIdle);
    }

    public ReflectorOptions withBackoff(BackoffPolicy policy) {
        return new ReflectorOptions(pageSize, minWatchTimeout, policy, sleeper, nanoClock, random, watchList, initialEventsIdle);
    }

    public ReflectorOptions withSleeper(Sleeper s) {
        return new ReflectorOptions(pageSize, minWatchTimeout, backoff, s, nanoClock, random, watchList, initialEventsIdle);
    }

    public ReflectorOptions withNanoClock(LongSupplier clock) {
        return new ReflectorOptions(pageSize, minWatchTimeout, backoff, sleeper, clock, random, watchList, initialEventsIdle);
    }

    public ReflectorOptions withRandom(RandomGenerator r) {
        return new ReflectorOptions(pageSize, minWatchTimeout, backoff, sleeper, nanoClock, r, watchList, initialEventsIdle);
    }
}
