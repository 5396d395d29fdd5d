package io.kardia.runtime;

import io.kardia.runtime.leader.LeaderClock;
import io.kardia.workqueue.QueueClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.locks.Condition;

/**
 * The one time source of a {@link Manager} and of what it builds: its work queues and rate
 * limiters, informers (back-off, watch timing), read-your-writes fences, event recorder, leader
 * election and the controllers that ask for {@link Manager#clock()}. The default is the system's;
 * the simulation test kit ({@code io.kardia.runtime.simulation}) hands in a virtual one.
 */
public interface ManagerClock extends QueueClock, LeaderClock {

    /** Wall time, for timestamps written into objects. */
    Clock wallClock();

    @Override
    default Instant now() {
        return wallClock().instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** The real clocks: {@link System#nanoTime()}, {@link Clock#systemUTC()}. */
    static ManagerClock system() {
        return SystemManagerClock.INSTANCE;
    }

    /** The system clock; a distinct type so that the manager can tell it keeps production defaults. */
    enum SystemManagerClock implements ManagerClock {
        INSTANCE;

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void awaitUntil(Condition wakeUp, long deadlineNanos) throws InterruptedException {
            QueueClock.system().awaitUntil(wakeUp, deadlineNanos);
        }

        @Override
        public void awaitUntil(java.util.concurrent.locks.Lock lock, Condition wakeUp, long deadlineNanos)
                throws InterruptedException {
            QueueClock.system().awaitUntil(lock, wakeUp, deadlineNanos);
        }

        @Override
        public Clock wallClock() {
            return Clock.systemUTC();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            Thread.sleep(duration);
        }
    }
}
