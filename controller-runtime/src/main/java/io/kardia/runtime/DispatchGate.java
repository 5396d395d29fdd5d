package io.kardia.runtime;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Whether a manager's controllers may start new reconciles. The manager closes it the moment a
 * lease renewal fails or leadership is lost, and opens it while it leads with a fresh lease; a
 * closed gate holds workers before they take the next request (in-flight reconciles go on, or
 * are cancelled by the manager).
 */
final class DispatchGate {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition opened = lock.newCondition();
    private volatile boolean open;

    DispatchGate(boolean open) {
        this.open = open;
    }

    boolean isOpen() {
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
        if (open) {
            return;
        }
        lock.lockInterruptibly();
        try {
            while (!open) {
                opened.await();
            }
        } finally {
            lock.unlock();
        }
    }
}
