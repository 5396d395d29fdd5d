package io.kardia.runtime;

import io.kardia.runtime.leader.LeaseGuard;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Whether a manager's controllers may start new reconciles. The manager closes it the moment a
 * lease renewal fails or leadership is lost, and opens it while it leads with a fresh lease; a
 * closed gate holds workers before they take the next request (in-flight reconciles go on, or
 * are cancelled by the manager).
 *
 * <p>The gate also asks the lease guard each time: a process that was paused (SIGSTOP, a long GC)
 * wakes with its gate open but its lease lapsed, and its workers run before its elector notices.
 * The gate then closes itself; the elector opens it again when it renews or leads again.
 */
final class DispatchGate {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition opened = lock.newCondition();
    private final LeaseGuard guard;
    private volatile boolean open;

    DispatchGate(boolean open) {
        this(open, LeaseGuard.ALWAYS);
    }

    DispatchGate(boolean open, LeaseGuard guard) {
        this.open = open;
        this.guard = guard;
    }

    boolean isOpen() {
        if (open && !guard.mayDispatch()) {
            open = false; // the lease lapsed without the elector noticing yet
        }
        return open;
    }

    void open() {
        lock.lock();
        try {
            open = true;
            opened.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void close() {
        open = false;
    }

    /** Blocks while closed. */
    void awaitOpen() throws InterruptedException {
        if (isOpen()) {
            return;
        }
        lock.lockInterruptibly();
        try {
            while (!isOpen()) {
                opened.await();
            }
        } finally {
            lock.unlock();
        }
    }
}
