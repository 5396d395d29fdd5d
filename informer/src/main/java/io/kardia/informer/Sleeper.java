package io.kardia.informer;

import java.time.Duration;

/** Waits between retries; injectable so tests never really wait. Must honour interruption. */
@FunctionalInterface
public interface Sleeper {
    Sleeper SYSTEM = Thread::sleep;

    void sleep(Duration duration) throws InterruptedException;
}
