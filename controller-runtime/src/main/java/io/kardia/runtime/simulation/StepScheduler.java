package io.kardia.runtime.simulation;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The scheduler of every virtual thread of a simulation, and its clock. The JDK mounts a virtual
 * thread by handing its continuation to the thread's scheduler; this one keeps the continuations
 * that are ready and runs one of them per {@link #step()}, on the caller's (platform) thread,
 * chosen by a seeded random among the ready ones ordered by when each thread was first seen. A
 * virtual thread started from a simulated one inherits this scheduler, so the real informers,
 * queues and controllers run here unchanged. Timed waits ({@code Thread.sleep},
 * {@code parkNanos}, {@code awaitNanos}...) reach {@link #schedule}, which JDK 25 calls on a
 * {@link ForkJoinPool} scheduler: they wait in virtual time, which moves only when no thread is
 * ready, straight to the next deadline.
 */
final class StepScheduler extends ForkJoinPool {
    /** Virtual nanoTime of the start: far from zero and from overflow, as System.nanoTime is. */
    static final long ORIGIN_NANOS = 1_000_000_000_000L;

    private static final Constructor<?> BUILDER;
    /** VarHandles, not Fields: every step reads the states of the threads it settles (see {@link #unsettled()}). */
    private static final VarHandle STATE;
    private static final VarHandle ON_WAITING_LIST;
    private static final VarHandle BLOCK_PERMIT;
    private static final int PARKED, TIMED_PARKED, BLOCKED, WAIT, TIMED_WAIT, TERMINATED, NEW, UNPARKED;
    private static final Throwable UNAVAILABLE;

    static {
        Constructor<?> builder = null;
        VarHandle state = null, onWaitingList = null, blockPermit = null;
        int[] s = new int[8];
        Throwable unavailable = null;
        try {
            Class<?> vt = Class.forName("java.lang.VirtualThread");
            builder = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder").getDeclaredConstructor(Executor.class);
            builder.setAccessible(true);
            MethodHandles.Lookup vtLookup = MethodHandles.privateLookupIn(vt, MethodHandles.lookup());
            state = vtLookup.findVarHandle(vt, "state", int.class);
            onWaitingList = vtLookup.findVarHandle(vt, "onWaitingList", boolean.class);
            blockPermit = vtLookup.findVarHandle(vt, "blockPermit", boolean.class);
            String[] names = {"PARKED", "TIMED_PARKED", "BLOCKED", "WAIT", "TIMED_WAIT", "TERMINATED", "NEW", "UNPARKED"};
            for (int i = 0; i < names.length; i++) {
                s[i] = accessible(vt.getDeclaredField(names[i])).getInt(null);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            unavailable = e;
        }
        BUILDER = builder;
        STATE = state;
        ON_WAITING_LIST = onWaitingList;
        BLOCK_PERMIT = blockPermit;
        PARKED = s[0];
        TIMED_PARKED = s[1];
        BLOCKED = s[2];
        WAIT = s[3];
        TIMED_WAIT = s[4];
        TERMINATED = s[5];
        NEW = s[6];
        UNPARKED = s[7];
        UNAVAILABLE = unavailable;
    }

    private static Field accessible(Field f) {
        f.setAccessible(true);
        return f;
    }

    /** A virtual thread as the simulation knows it; {@code id} is the order in which it was first seen. */
    static final class SimThread {
        final int id;
        final Runnable continuation;
        final Thread thread;
        /** The timer that woke this thread, until its next step ends. */
        Timer wokenBy;
        /** Whether it is in the ready list (guarded by the scheduler's lock). */
        boolean queued;
        /** Whether it is in the list {@link #settle()} looks at (guarded by the scheduler's lock). */
        boolean watched;

        SimThread(int id, Runnable continuation, Thread thread) {
            this.id = id;
            this.continuation = continuation;
            this.thread = thread;
        }

        String label() {
            return label(name(), id);
        }

        String name() {
            return thread == null ? "" : thread.getName();
        }

        static String label(String name, int id) {
            return name.isEmpty() ? "vthread#" + id : name + "#" + id;
        }
    }

    /** A timed wait's wake-up (or any delayed task) in virtual time; ordered by deadline, then creation. */
    private final class Timer extends VirtualFuture {
        final long deadline;
        final long seq;
        final Runnable command;
        /** The thread whose timed wait this ends (null for the simulation's own timers), the wait and when (real time) it began. */
        final SimThread owner;
        final long delay;

        Timer(long deadline, long seq, Runnable command, SimThread owner, long delay) {
            super(StepScheduler.this::now);
            this.deadline = deadline;
            this.seq = seq;
            this.command = command;
            this.owner = owner;
            this.delay = delay;
        }

        @Override
        long deadline() {
            return deadline;
        }

        @Override
        public int compareTo(Delayed o) {
            if (o instanceof Timer t) {
                int c = Long.compare(deadline, t.deadline);
                return c != 0 ? c : Long.compare(seq, t.seq);
            }
            return super.compareTo(o);
        }
    }

    private final Object lock = new Object();
    /**
     * Set when the simulation closes: threads it leaves behind (a logger mid-write, say) then run on
     * real carriers, so a JVM-wide lock they hold (System.out's) is released instead of held forever.
     */
    private volatile boolean released;
    private final SplittableRandom choices;
    private final Map<Runnable, SimThread> known = new IdentityHashMap<>();
    private final List<SimThread> live = new ArrayList<>();
    /**
     * The live threads whose state may still change without a step of theirs: every one but those
     * that ended their last step parked ({@code park}, {@code sleep}, a timed park) or finished. A
     * parked thread is woken only by a step (an unpark, which makes it ready at once) or by a
     * virtual timer; one blocked on a monitor or in {@code Object.wait} may be made ready by the
     * JDK's unblocker thread, in real time, which {@link #settle()} waits for.
     */
    private final List<SimThread> watched = new ArrayList<>();
    /** Ready continuations, ordered by thread id so that the seed alone decides which runs. */
    private final List<SimThread> ready = new ArrayList<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final Trace trace;
    private final Consumer<String> problems;
    private volatile long now = ORIGIN_NANOS;
    private long timerSeq;
    private int nextId;
    private volatile Thread carrier;
    private volatile SimThread current;
    /** Who woke the current thread during its step from outside the simulation (null: nobody). */
    private volatile String wokenFromOutside;
    private volatile long stepStartedRealNanos;
    private long steps;
    /** Called with a thread that waits on real time (its stack is read once it has parked). */
    private Consumer<SimThread> onRealTimeWait = t -> { };

    StepScheduler(long seed, Trace trace, Consumer<String> problems) {
        super(1, ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, false);
        if (UNAVAILABLE != null) {
            throw new IllegalStateException("the simulation runs virtual threads on its own scheduler, which needs JDK 25 or "
                    + "newer and java.lang opened to it: add --add-opens java.base/java.lang=ALL-UNNAMED to the test JVM "
                    + "(surefire's argLine); running on " + Runtime.version(), UNAVAILABLE);
        }
        if (Runtime.version().feature() < 25) {
            throw new IllegalStateException("the simulation needs JDK 25 or newer (timed waits of virtual threads reach "
                    + "a custom scheduler only since JDK 25); running on " + Runtime.version());
        }
        this.choices = new SplittableRandom(seed);
        this.trace = trace;
        this.problems = problems;
    }

    void onRealTimeWait(Consumer<SimThread> hook) {
        this.onRealTimeWait = hook;
    }

    /** Starts {@code task} on a new virtual thread of this scheduler (it runs on the next steps). */
    Thread start(String name, Runnable task) {
        try {
            Thread.Builder.OfVirtual b = (Thread.Builder.OfVirtual) BUILDER.newInstance(this);
            return b.name(name).start(task);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not start a simulated thread", e);
        }
    }

    long now() {
        return now;
    }

    /**
     * Ends the simulation's hold on its threads: those still ready, and any woken later, run on real
     * carriers. Virtual time jumps {@link #AFTER_CLOSE} ahead, so that every virtual deadline has
     * passed, and every thread in a timed wait is woken at once (by a real timer): a thread left
     * behind ends its waits and can release the locks it holds, instead of waiting for a time that
     * no longer comes. The simulation's own timers are dropped: they would start threads in a
     * closed simulation.
     */
    void release() {
        List<Runnable> runnable = new ArrayList<>();
        List<Timer> waits = new ArrayList<>();
        synchronized (lock) {
            released = true;
            now += AFTER_CLOSE.toNanos();
            for (SimThread t : ready) {
                runnable.add(t.continuation);
                t.queued = false;
            }
            ready.clear();
            for (Timer t : timers) {
                if (t.owner != null && !t.cancelled) {
                    waits.add(t);
                }
            }
            timers.clear();
        }
        runnable.forEach(Leftovers.CARRIERS::execute);
        for (Timer t : waits) {
            t.done = true;
            Leftovers.TIMERS.execute(t.command);
        }
    }

    /** How far virtual time jumps when the simulation closes: past any deadline a test sets. */
    static final Duration AFTER_CLOSE = Duration.ofDays(365L * 100);

    /** Real carriers and timers for the threads a closed simulation leaves behind (daemons: they never hold the JVM). */
    private static final class Leftovers {
        static final java.util.concurrent.ExecutorService CARRIERS = java.util.concurrent.Executors.newCachedThreadPool(
                daemon("simulation-leftover"));
        static final java.util.concurrent.ScheduledExecutorService TIMERS =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(daemon("simulation-leftover-timer"));

        private static java.util.concurrent.ThreadFactory daemon(String name) {
            return r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            };
        }
    }

    long steps() {
        return steps;
    }

    SimThread current() {
        return current;
    }

    long stepStartedRealNanos() {
        return stepStartedRealNanos;
    }

    @Override
    public void execute(Runnable continuation) {
        if (released) {
            Leftovers.CARRIERS.execute(continuation);
            return;
        }
        Thread caller = Thread.currentThread();
        synchronized (lock) {
            if (released) {
                Leftovers.CARRIERS.execute(continuation);
                return;
            }
            SimThread t = known.get(continuation);
            if (t == null) {
                t = new SimThread(nextId++, continuation, threadOf(continuation));
                known.put(continuation, t);
                live.add(t);
            }
            if (t.queued) {
                return;
            }
            ready.add(insertionPoint(t.id), t);
            t.queued = true;
            Thread c = carrier;
            SimThread running = current;
            boolean ours = caller == c || running != null && running.thread == caller;
            if (c != null && !ours && !caller.getName().equals("VirtualThread-unblocker")) {
                String by = "'" + caller.getName() + "', a thread outside the simulation (real I/O, a real timer or a "
                        + "thread pool), at:" + Trace.stack(caller);
                if (t == running) {
                    // Mid-step: it may have parked for an output lock that another simulation's thread
                    // held and let go of; step() tells once the thread's stack can be read.
                    wokenFromOutside = by;
                } else {
                    problems.accept("thread " + t.label() + " was woken by " + by);
                }
            }
        }
    }

    private int insertionPoint(int id) {
        int lo = 0, hi = ready.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ready.get(mid).id < id) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Called by JDK 25's virtual threads for timed waits (not an override when compiled for release 21). */
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        if (released) {
            return Leftovers.TIMERS.schedule(command, delay, unit);
        }
        SimThread waiting = current;
        long nanos = Math.max(0, unit.toNanos(delay));
        Timer woke = waiting == null ? null : waiting.wokenBy;
        if (woke != null && nanos > 0 && nanos < woke.delay) {
            // Woken at its virtual deadline, it waits again for less: perhaps what is left by
            // System.nanoTime, as the JDK's loops of Thread.sleep, awaitNanos, poll(timeout) do (they
            // would never see their time pass). Its stack, read once it has parked, tells.
            onRealTimeWait.accept(waiting);
        }
        return at(nanos > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + nanos, command, waiting, nanos);
    }

    /** Runs {@code command} (on the stepping thread) when virtual time reaches {@code deadline}. */
    ScheduledFuture<?> at(long deadline, Runnable command) {
        return at(deadline, command, null, deadline - now);
    }

    private ScheduledFuture<?> at(long deadline, Runnable command, SimThread owner, long delay) {
        synchronized (lock) {
            Timer t = new Timer(deadline, timerSeq++, command, owner, delay);
            timers.add(t);
            return t;
        }
    }

    /**
     * Runs one ready thread until it next waits; when none is ready, moves virtual time to the
     * next deadline and wakes what waits for it.
     *
     * @return false when nothing is ready and nothing waits on a deadline (the simulation is quiet)
     */
    boolean step() {
        carrier = Thread.currentThread();
        settle();
        SimThread next;
        synchronized (lock) {
            if (ready.isEmpty()) {
                return advanceTime();
            }
            next = ready.remove(choices.nextInt(ready.size()));
            next.queued = false;
        }
        current = next;
        stepStartedRealNanos = System.nanoTime();
        try {
            next.continuation.run();
            while (blockedOutside(next) || parkedOnOutputHeldOutside(next)) {
                next.continuation.run(); // the same step goes on, as if the lock had been free
            }
            reportWakeFromOutside(next);
        } finally {
            current = null;
            wokenFromOutside = null;
            next.wokenBy = null;
            stepStartedRealNanos = 0;
            afterStep(next);
        }
        steps++;
        trace.step(steps, now, next);
        return true;
    }

    /**
     * Whether {@code t}, which just ran, blocked on a monitor that a thread outside the simulation
     * held for a moment, and has it now. Such a holder (surefire's output flusher, which shares the
     * captured System.out's lock with every thread that logs) would otherwise decide, in real time,
     * whether the thread needs another step: the trace would depend on the machine's load. A
     * monitor that a parked simulated thread holds is not released until that thread runs: the
     * wait (briefer unless the thread blocked on output) then ends with the thread still blocked.
     */
    private boolean blockedOutside(SimThread t) {
        if (t.thread == null || state(t.thread) != BLOCKED) {
            return false;
        }
        return wokenWithin(t, blockedOnOutput(t.thread) ? OUTPUT_MONITOR_WAIT : MONITOR_WAIT);
    }

    /**
     * Whether {@code t}, which just ran, parked for the lock of an output stream (a plain
     * PrintStream's, System.err's outside surefire, is a j.u.c. lock, not a monitor) and has it now.
     * Only a thread outside this simulation can hold it while {@code t} runs: another simulation's
     * thread in the same JVM, which writes its log line and lets go. Without this the other
     * simulation's timing decided whether {@code t} took another step, and simulations side by side
     * changed each other's traces ({@code ConcurrentSimulationsTest}).
     */
    private boolean parkedOnOutputHeldOutside(SimThread t) {
        if (t.thread == null) {
            return false;
        }
        int s = state(t.thread);
        // Already unparked or ready when the holder let go at once: its stack still shows the park.
        if (s != PARKED && s != UNPARKED && !isReady(t) || !parkedForOutputLock(t.thread)) {
            return false;
        }
        wokenFromOutside = null; // its wake-up comes from the holder: expected, not a problem
        return wokenWithin(t, OUTPUT_MONITOR_WAIT);
    }

    private boolean isReady(SimThread t) {
        synchronized (lock) {
            return t.queued;
        }
    }

    /** Reports a wake-up of {@code t} during its own step by a thread outside the simulation, other than for output. */
    private void reportWakeFromOutside(SimThread t) {
        String by = wokenFromOutside;
        if (by != null) {
            problems.accept("thread " + t.label() + " was woken by " + by);
        }
    }

    /** Waits (real time, at most {@code bound}) for {@code t} to be made ready, and takes it back for this step. */
    private boolean wokenWithin(SimThread t, Duration bound) {
        long start = System.nanoTime();
        for (int i = 0; ; i++) {
            synchronized (lock) {
                if (t.queued) {
                    ready.remove(insertionPoint(t.id)); // the unblocker made it ready: it runs on, in this step
                    t.queued = false;
                    return true;
                }
            }
            if (System.nanoTime() - start > bound.toNanos()) {
                return false;
            }
            if (i < 100) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(50_000);
            }
        }
    }

    /** How long a thread blocked on a monitor waits for a holder outside the simulation (real time). */
    private static final Duration MONITOR_WAIT = Duration.ofMillis(20);
    /** ... when it blocked writing output, whose lock surefire's flusher takes (a loaded machine may hold it long). */
    private static final Duration OUTPUT_MONITOR_WAIT = Duration.ofSeconds(5);

    private static boolean blockedOnOutput(Thread t) {
        StackTraceElement[] stack = t.getStackTrace();
        for (int i = 0; i < Math.min(stack.length, 12); i++) {
            if (isOutput(stack[i].getClassName())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Code that writes output or log lines, whose locks are JVM-wide (slf4j-simple's, a logback
     * appender's, System.err's): simulations side by side in one JVM, and surefire's flusher, take
     * them too. A simulated thread never waits on virtual time while holding one.
     */
    private static boolean isOutput(String className) {
        return className.startsWith("java.io.") || className.contains("PrintStream")
                || className.startsWith("org.apache.maven.surefire.") || className.startsWith("org.slf4j.")
                || className.startsWith("ch.qos.logback.") || className.startsWith("org.apache.logging.log4j.")
                || className.startsWith("java.util.logging.");
    }

    /** Whether {@code t} parked acquiring a lock (j.u.c.) right from output code (a PrintStream, a logback appender...). */
    private static boolean parkedForOutputLock(Thread t) {
        // Most steps end in a park that is not for a lock; reading the stack of each would cost every
        // step a stack walk. A lock being acquired parks with its synchronizer as the blocker.
        if (!(LockSupport.getBlocker(t) instanceof AbstractQueuedSynchronizer)) {
            return false;
        }
        boolean inLock = false;
        for (StackTraceElement e : t.getStackTrace()) {
            String c = e.getClassName();
            if (c.startsWith("java.util.concurrent.locks.") || c.equals("jdk.internal.misc.InternalLock")) {
                inLock = true;
            } else if (inLock) {
                return isOutput(c);
            }
        }
        return false;
    }

    int readyCount() {
        synchronized (lock) {
            return ready.size();
        }
    }

    /** Moves virtual time forward to {@code nanos} (no deadline may be due before it). */
    void advanceTo(long nanos) {
        synchronized (lock) {
            if (nanos - now > 0) {
                now = nanos;
                trace.advance(now);
            }
        }
    }

    /** Whether any thread is ready or any deadline is pending. */
    boolean busy() {
        synchronized (lock) {
            if (!ready.isEmpty()) {
                return true;
            }
            for (Timer t : timers) {
                if (!t.cancelled) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The virtual time of the next pending deadline, or Long.MAX_VALUE. */
    long nextDeadline() {
        synchronized (lock) {
            Timer t;
            while ((t = timers.peek()) != null && t.cancelled) {
                timers.poll();
            }
            return t == null ? Long.MAX_VALUE : t.deadline;
        }
    }

    private boolean advanceTime() {
        List<Timer> due = new ArrayList<>();
        synchronized (lock) {
            Timer first;
            while ((first = timers.peek()) != null && first.cancelled) {
                timers.poll();
            }
            if (first == null) {
                return false;
            }
            now = Math.max(now, first.deadline);
            while ((first = timers.peek()) != null && first.deadline <= now) {
                timers.poll();
                if (!first.cancelled) {
                    due.add(first);
                }
            }
        }
        trace.advance(now);
        for (Timer t : due) {
            t.done = true;
            if (t.owner != null) {
                t.owner.wokenBy = t;
            }
            t.command.run(); // the JDK's wake-up: makes the waiting thread ready through execute()
        }
        return true;
    }

    /**
     * Waits (in real time, briefly) until no thread is between states: a thread leaving a monitor
     * hands its waiters to the JDK's unblocker thread, which makes them ready a moment later.
     */
    private void settle() {
        long giveUp = 0;
        for (int i = 0; ; i++) {
            SimThread unsettled = unsettled();
            if (unsettled == null) {
                return;
            }
            if (giveUp == 0) {
                giveUp = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            } else if (System.nanoTime() - giveUp > 0) {
                problems.accept("simulated thread " + unsettled.label() + " stayed between states for 5 s (internal state "
                        + state(unsettled.thread) + ", " + unsettled.thread.getState() + "): a wake-up that never came"
                        + Trace.stack(unsettled.thread));
                return;
            }
            if (i < 100) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(10_000);
            }
        }
    }

    /** Files the thread that just ran: forgotten when it finished, watched by {@link #settle()} unless it parked. */
    private void afterStep(SimThread t) {
        if (t.thread == null) {
            return;
        }
        synchronized (lock) {
            int s = state(t.thread);
            if (s == TERMINATED) {
                live.remove(t);
                known.remove(t.continuation);
                unwatch(t);
            } else if (s == PARKED || s == TIMED_PARKED) {
                unwatch(t);
            } else if (!t.watched) {
                t.watched = true;
                watched.add(t);
            }
        }
    }

    private void unwatch(SimThread t) {
        if (t.watched) {
            t.watched = false;
            watched.remove(t);
        }
    }

    private SimThread unsettled() {
        synchronized (lock) {
            for (int i = watched.size() - 1; i >= 0; i--) {
                SimThread t = watched.get(i);
                int s = state(t.thread);
                if (s == TERMINATED) {
                    watched.remove(i);
                    t.watched = false;
                    live.remove(t);
                    known.remove(t.continuation);
                    continue;
                }
                if (s == PARKED || s == TIMED_PARKED || s == WAIT || s == TIMED_WAIT || s == NEW) {
                    continue;
                }
                if (s == BLOCKED && !flag(ON_WAITING_LIST, t.thread) && !flag(BLOCK_PERMIT, t.thread)) {
                    continue;
                }
                if (t.queued) {
                    continue;
                }
                return t;
            }
            return null;
        }
    }

    /** Live threads that are not ready: what a quiet or stuck simulation is waiting for. */
    List<SimThread> waitingThreads() {
        synchronized (lock) {
            List<SimThread> out = new ArrayList<>();
            for (SimThread t : live) {
                if (t.thread != null && t.thread.isAlive() && !t.queued) {
                    out.add(t);
                }
            }
            return out;
        }
    }

    private static int state(Thread t) {
        return (int) STATE.getVolatile(t);
    }

    private static boolean flag(VarHandle f, Thread t) {
        return (boolean) f.getVolatile(t);
    }

    /** The virtual thread whose continuation this is (the JDK's {@code this::runContinuation}). */
    private static Thread threadOf(Runnable continuation) {
        for (Field f : continuation.getClass().getDeclaredFields()) {
            if (Thread.class.isAssignableFrom(f.getType())) {
                try {
                    f.setAccessible(true);
                    return (Thread) f.get(continuation);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
