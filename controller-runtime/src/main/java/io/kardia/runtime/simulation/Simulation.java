package io.kardia.runtime.simulation;

import io.kardia.core.client.KubeClient;
import io.kardia.informer.ReflectorOptions;
import io.kardia.runtime.Manager;
import io.kardia.runtime.ManagerBuilder;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Deterministic simulation of a store and its controllers: one virtual clock and one seeded
 * scheduler decide everything that runs. The real store, informers, work queues and controllers
 * run on virtual threads that take turns on the test's thread, one step (from a wake-up to the
 * next wait) at a time, in an order drawn from the seed; time moves only when every thread waits,
 * straight to the next deadline, so {@code requeueAfter(1h)}, back-off and lease durations pass
 * at once. Two runs of one seed take the same steps ({@link Trace#fingerprint()}).
 *
 * <pre>{@code
 * try (Simulation sim = Simulation.builder(seed).build()) {
 *     sim.startManager("controllers", ReplicaSetController::register);
 *     sim.run("create", () -> sim.client().resources(ReplicaSet.class).create(rs));
 *     sim.invariant("never more pods than replicas", () -> owned(sim) <= 3);
 *     sim.runUntil("status converges", () -> converged(sim), Duration.ofMinutes(5));
 * }
 * }</pre>
 *
 * Invariants are checked after every step that changed the store; a failure throws
 * {@link SimulationFailure} naming the seed, the last steps and the replay.
 */
public final class Simulation implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Simulation.class);
    private final long seed;
    private final java.util.Set<Integer> skipFaults;
    private final Trace trace;
    private final StepScheduler scheduler;
    private final VirtualClock clock;
    private final SplittableRandom random;
    private final RestartableStore store;
    private final long maxSteps;
    private final Duration stuckAfter;
    private final boolean detectSleeps;
    private final boolean watchList;
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    /** The exceptions behind some of the {@link #problems}: the first one becomes the failure's cause. */
    private final List<RuntimeException> problemCauses = Collections.synchronizedList(new ArrayList<>());
    private final ManagerThreads managerThreads = new ManagerThreads();
    private final KubeClient testClient;
    private final List<Invariant> invariants = new ArrayList<>();
    private final List<Running> managers = new ArrayList<>();
    private final List<WriteListener> writeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final FaultInjector faults;
    private boolean restarting;
    /** While the store restarts: it answers 503, so invariants (which read it) wait for it to be back. */
    private boolean storeDown;
    private int storeRestarts;
    private final Thread watchdog;
    private volatile StepScheduler.SimThread waitedOnRealTime;
    private long checkedRevision = -1;
    private int tasks;
    private volatile boolean closed;

    private record Invariant(String name, BooleanSupplier holds) {
    }

    /** A manager the simulation started, its link to the store, and how to start it again after a crash. */
    private static final class Running {
        final String name;
        final UnaryOperator<ManagerBuilder> configure;
        final Consumer<Manager> setup;
        ManagerLink link;
        Manager manager;

        Running(String name, UnaryOperator<ManagerBuilder> configure, Consumer<Manager> setup, ManagerLink link) {
            this.name = name;
            this.configure = configure;
            this.setup = setup;
            this.link = link;
        }
    }

    /** Told of every write that reaches the store from a manager (past its leader fencing), on the writing thread. */
    @FunctionalInterface
    public interface WriteListener {
        /**
         * @param manager the name the manager was started with
         * @param verb    create, update, update status, patch, patch status, delete, delete collection
         * @param name    the object's name ({@code prefix*} for a create with generateName; null for delete collection)
         */
        void writing(String manager, String verb, io.kardia.core.model.ResourceType<?> type, String namespace, String name);
    }

    private Simulation(Builder b) {
        this.seed = b.seed;
        this.skipFaults = b.skipFaults;
        this.trace = new Trace(b.traceTail, b.keepFullTrace);
        this.scheduler = new StepScheduler(b.seed, trace, problems::add);
        this.clock = new VirtualClock(scheduler);
        this.random = new SplittableRandom(b.seed ^ 0x5DEECE66DL);
        this.maxSteps = b.maxSteps;
        this.stuckAfter = b.stuckAfter;
        this.detectSleeps = b.detectSleeps;
        this.watchList = b.watchList;
        StoreOptions options = b.storeOptions.apply(StoreOptions.defaults()
                .withClock(clock.wallClock()));
        // Kept in a journal in memory, so that it can restart from it.
        this.store = new RestartableStore(options, random, scheduler);
        this.testClient = new TestClient(store.patientClient(), managerThreads, this::report);
        this.faults = new FaultInjector(b.faults, b.seed, b.skipFaults, trace, clock);
        scheduler.onRealTimeWait(t -> {
            if (detectSleeps) {
                waitedOnRealTime = t; // its stack is read once it has finished parking
            }
        });
        this.watchdog = Thread.ofPlatform().daemon().name("simulation-watchdog-" + seed).start(this::watch);
    }

    public static Builder builder(long seed) {
        return new Builder(seed);
    }

    public long seed() {
        return seed;
    }

    public VirtualClock clock() {
        return clock;
    }

    public Trace trace() {
        return trace;
    }

    /**
     * The simulated store open now (in memory, seeded names and uids, virtual timestamps): a new
     * one after each {@linkplain #restartStore restart}, so ask again rather than keep it.
     */
    public ReferenceStore store() {
        return store.store();
    }

    /**
     * The test's in-process client of the store, which reaches the store open at each call: while
     * the store restarts, its calls wait for the new one (a manager's client gets the 503s instead).
     * Call it from simulated code ({@link #run}, {@link #call}). A manager's threads may read
     * through it, but a write from one fails the run with a {@link WriteBypassesManagerException}:
     * this client bypasses the manager's link, so the write would survive the manager's crash; a
     * reconciler writes through {@code manager.apiClient()} or {@code manager.client()}.
     */
    public KubeClient client() {
        return testClient;
    }

    /** A problem found on a simulated thread, with the exception it threw there: the run fails at the end of the step. */
    private void report(RuntimeException problem) {
        problemCauses.add(problem);
        problems.add(problem.getMessage());
    }

    /** How many times the store restarted from its journal so far (asked for, or injected as a fault). */
    public int storeRestarts() {
        return storeRestarts;
    }

    /** The client managers are built on (503 while the store restarts), without faults or links: tests of the kit. */
    KubeClient managerClientForTests() {
        return store.client();
    }

    StepScheduler scheduler() {
        return scheduler;
    }

    /** Steps taken so far. */
    public long steps() {
        return scheduler.steps();
    }

    /**
     * A manager on the simulation's clock, jitter and store, configured by {@code setup}
     * (controllers registered) and started, all on simulated threads.
     */
    public Manager startManager(String name, Consumer<Manager> setup) {
        return startManager(name, UnaryOperator.identity(), setup);
    }

    /** {@link #startManager(String, Consumer)} with extra builder settings (leader election...). */
    public Manager startManager(String name, UnaryOperator<ManagerBuilder> configure, Consumer<Manager> setup) {
        for (Running other : managers) {
            if (other.name.equals(name)) {
                throw new IllegalArgumentException("a manager named " + name + " is already running");
            }
        }
        Running r = new Running(name, configure, setup, new ManagerLink(name, clock, trace, writeListeners));
        r.manager = launch(r);
        managers.add(r);
        return r.manager;
    }

    private Manager launch(Running r) {
        // Built and started on a thread marked as the manager's: every thread it starts is marked too.
        return call("start manager " + r.name, () -> managerThreads.runAs(r.name, () -> {
            ManagerBuilder b = Manager.builder(r.link.wrap(faults.wrap(store.client())))
                    .ownsClient(true)
                    .clock(clock)
                    .random(random)
                    .reflectorOptions(ReflectorOptions.defaults().withNanoClock(clock::nanoTime).withRandom(random)
                            .withSleeper(clock::sleep).withWatchList(watchList))
                    .cacheSyncTimeout(Duration.ofMinutes(1))
                    .gracefulShutdownTimeout(Duration.ofSeconds(5));
            Manager manager = r.configure.apply(b).build();
            r.setup.accept(manager);
            manager.start();
            return manager;
        }));
    }

    /** The manager started as {@code name} now (a new one after each crash). */
    public Manager manager(String name) {
        for (Running r : managers) {
            if (r.name.equals(name)) {
                return r.manager;
            }
        }
        throw new IllegalArgumentException("no manager named " + name + " was started");
    }

    /** Stops a manager (its caches and queues are gone; the store keeps everything). */
    public void stopManager(Manager m) {
        run("stop manager", m::close);
        managers.removeIf(r -> r.manager == m);
    }

    /**
     * Crashes manager {@code name} and starts it again, as a killed process and its replacement:
     * the old manager's link to the store dies at once (a write either reached the store before
     * this point or never does: nothing it sends lands afterwards), its caches and queues are
     * dropped, and a fresh manager lists the same store.
     */
    public void restartManager(String name) {
        for (Running r : managers) {
            if (r.name.equals(name)) {
                restart(r);
                return;
            }
        }
        throw new IllegalArgumentException("no manager named " + name + " was started");
    }

    private void restart(Running r) {
        boolean was = restarting;
        restarting = true;
        try {
            trace.note("crash manager " + r.name);
            Manager old = r.manager;
            r.link.kill();
            // A call already past the link reached the store before the crash (the store's work
            // within a step is not cut); in practice none is, as a store call does not wait.
            while (r.link.inFlight() > 0 && stepChecked()) {
                // stepping lets it finish
            }
            // The dead process's threads are torn down in the background: every call they make fails
            // before the store, so what they still run (the drain, a lease release) lands nowhere.
            scheduler.start("crashed-manager-" + r.name + "-" + (tasks++), old::close);
            r.link = r.link.successor();
            r.manager = launch(r);
        } finally {
            restarting = was;
        }
    }

    /**
     * Restarts the store from its journal: it closes (every watch ends; calls answer 503 for
     * {@code downtime} of virtual time, so clients retry), then a new store recovers from the
     * journal. It must hold every write the old one acknowledged, at the same resourceVersions
     * (the run fails otherwise); watches resume from their last revision if it is the newest,
     * else get 410 Gone and relist. {@link #store()} is the new store from then on.
     */
    public void restartStore(Duration downtime) {
        if (downtime.isNegative()) {
            throw new IllegalArgumentException("downtime must not be negative, got " + downtime);
        }
        boolean was = restarting;
        restarting = true;
        try {
            trace.note("store restarts from its journal, down for " + downtime);
            run("restart store", () -> {
                java.util.Map<String, String> before = store.content();
                long revision = store.store().currentRevision();
                storeDown = true;
                try {
                    store.stop();
                    if (!downtime.isZero()) {
                        clock.sleep(downtime);
                    }
                    String lost = store.start(before, revision);
                    storeRestarts++;
                    if (lost != null) {
                        problems.add(lost);
                    }
                } finally {
                    storeDown = false;
                }
            });
        } finally {
            restarting = was;
        }
    }

    /**
     * Cuts manager {@code name} off the store for {@code duration} of virtual time, as a network
     * partition (or a process paused as long): its calls time out after
     * {@link ManagerLink#REQUEST_TIMEOUT}, its watches drop at their next event. A leader's
     * renewals fail with the rest, so another manager may take its lease over.
     */
    public void partition(String name, Duration duration) {
        running(name).link.cut(duration);
    }

    /** Adds a listener told of every write that reaches the store from a manager. */
    public void onWrite(WriteListener listener) {
        writeListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    private Running running(String name) {
        for (Running r : managers) {
            if (r.name.equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no manager named " + name + " was started");
    }

    /** Injects no more faults: what must hold "eventually, once faults stop" is checked after this. */
    public void stopFaults() {
        faults.stop();
        trace.note("faults stopped");
    }

    /** Checked after every step that changed the store, from now on; also checked at once. */
    public void invariant(String name, BooleanSupplier holds) {
        Invariant inv = new Invariant(Objects.requireNonNull(name, "name"), Objects.requireNonNull(holds, "holds"));
        invariants.add(inv);
        check(inv);
    }

    /** Runs {@code task} on a simulated thread, stepping the simulation until it returns. */
    public void run(String what, ThrowingRunnable task) {
        call(what, () -> {
            task.run();
            return null;
        });
    }

    /** Runs {@code task} on a simulated thread, stepping the simulation until it returns its value. */
    public <T> T call(String what, Callable<T> task) {
        Object[] result = new Object[1];
        Throwable[] error = new Throwable[1];
        boolean[] done = new boolean[1];
        trace.note("task: " + what);
        scheduler.start("simulation-task-" + (tasks++), () -> {
            try {
                result[0] = task.call();
            } catch (Throwable e) {
                error[0] = e;
            } finally {
                done[0] = true;
            }
        });
        while (!done[0]) {
            if (!stepChecked()) {
                throw failure("deadlock: '" + what + "' waits and nothing else can run" + waitingThreads());
            }
        }
        if (error[0] != null) {
            if (error[0] instanceof RuntimeException r) {
                throw r;
            }
            if (error[0] instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(what + " failed", error[0]);
        }
        @SuppressWarnings("unchecked")
        T t = (T) result[0];
        return t;
    }

    /**
     * Steps until {@code holds} is true (checked after every step), for at most {@code within}
     * of virtual time; fails with the trace if it does not come true, or if the simulation falls
     * quiet (nothing left to run or wait for) before it does.
     */
    public void runUntil(String property, BooleanSupplier holds, Duration within) {
        long deadline = clock.nanoTime() + within.toNanos();
        while (!holds.getAsBoolean()) {
            if (clock.nanoTime() - deadline > 0) {
                throw failure("property '" + property + "' did not hold within " + within + " of virtual time");
            }
            if (!stepChecked()) {
                throw failure("property '" + property + "' does not hold and the simulation is quiet (nothing to run, "
                        + "no deadline pending)" + waitingThreads());
            }
        }
    }

    /** Steps for {@code duration} of virtual time; the clock then reads (at least) the start plus {@code duration}. */
    public void runFor(Duration duration) {
        long until = clock.nanoTime() + duration.toNanos();
        while (true) {
            if (scheduler.readyCount() == 0 && scheduler.nextDeadline() - until > 0) {
                scheduler.advanceTo(until);
                return;
            }
            stepChecked();
        }
    }

    /** One step, then the checks; false when the simulation is quiet. */
    private boolean stepChecked() {
        if (closed) {
            throw new IllegalStateException("the simulation is closed");
        }
        if (scheduler.steps() >= maxSteps) {
            throw failure("the step budget of " + maxSteps + " steps is spent (a livelock, or raise maxSteps)");
        }
        boolean stepped = scheduler.step();
        StepScheduler.SimThread waited = waitedOnRealTime;
        if (waited != null) {
            waitedOnRealTime = null;
            String loop = realTimeLoop(waited.thread.getStackTrace());
            if (loop != null) {
                String stack = Trace.stack(waited.thread);
                problems.add(loop.equals("sleep")
                        ? "thread " + waited.label() + " called Thread.sleep, which waits on real time (and blocks a reconcile "
                                + "worker): return Result.requeueAfter(...), or wait on Manager.clock(). It sleeps at:" + stack
                        : "thread " + waited.label() + " waits with a deadline on real time (System.nanoTime: awaitNanos, "
                                + "poll or await with a timeout...), which never passes in a simulation: wait on "
                                + "Manager.clock(). It waits at:" + stack);
            }
        }
        if (!problems.isEmpty()) {
            SimulationFailure failure = failure(String.join("\n", problems));
            if (!problemCauses.isEmpty()) {
                failure.initCause(problemCauses.getFirst());
            }
            throw failure;
        }
        if (!restarting && !managers.isEmpty() && faults.active() && faults.crashNow()) {
            restart(managers.get(faults.pick(managers.size())));
        }
        if (!restarting && faults.active() && faults.storeRestartNow()) {
            restartStore(faults.storeDowntime());
        }
        if (storeDown) {
            return stepped;
        }
        long rev = store.store().currentRevision();
        if (rev != checkedRevision) {
            checkedRevision = rev;
            for (Invariant inv : invariants) {
                check(inv);
            }
        }
        return stepped;
    }

    /**
     * "sleep" or "timed wait" when a parked thread waits in one of the JDK's loops on
     * System.nanoTime (Thread.sleep, awaitNanos, timed acquire, poll, Object.wait, join), else
     * null (a single LockSupport.parkNanos from the caller's own loop on a virtual clock is fine).
     */
    static String realTimeLoop(StackTraceElement[] stack) {
        for (StackTraceElement e : stack) {
            if (e.getClassName().equals("java.lang.Thread") && e.getMethodName().equals("sleep")) {
                return "sleep";
            }
        }
        for (int i = 0; i < stack.length; i++) {
            String cls = stack[i].getClassName();
            if (cls.equals("java.util.concurrent.locks.LockSupport")) {
                int j = i;
                while (j < stack.length && stack[j].getClassName().equals("java.util.concurrent.locks.LockSupport")) {
                    j++;
                }
                if (j < stack.length) {
                    String caller = stack[j].getClassName();
                    return caller.startsWith("java.") || caller.startsWith("jdk.") ? "timed wait" : null;
                }
                return null;
            }
            if ((cls.equals("java.lang.Object") && stack[i].getMethodName().startsWith("wait"))
                    || (cls.equals("java.lang.Thread") && stack[i].getMethodName().equals("join"))) {
                return "timed wait";
            }
        }
        return null;
    }

    private void check(Invariant inv) {
        boolean ok;
        try {
            ok = inv.holds().getAsBoolean();
        } catch (RuntimeException e) {
            throw failure("invariant '" + inv.name() + "' threw " + e);
        }
        if (!ok) {
            throw failure("invariant '" + inv.name() + "' broke");
        }
    }

    private String waitingThreads() {
        StringBuilder sb = new StringBuilder("\nwaiting threads:");
        for (StepScheduler.SimThread t : scheduler.waitingThreads()) {
            StackTraceElement[] st = t.thread.getStackTrace();
            sb.append("\n  ").append(t.label()).append(" ").append(t.thread.getState());
            for (int i = 0; i < Math.min(st.length, 6); i++) {
                sb.append("\n\tat ").append(st[i]);
            }
        }
        return sb.toString();
    }

    SimulationFailure failure(String what) {
        return new SimulationFailure(seed, faults.drawn(), what
                + "\nseed " + seed + ", step " + scheduler.steps() + ", virtual time " + Trace.time(clock.nanoTime())
                + "\nreplay: " + replay(seed, skipFaults)
                + "\nlast steps:\n" + trace.tail());
    }

    /** Reports a step that does not yield: it holds the only carrier (real blocking I/O, a pinned wait, a busy loop). */
    private void watch() {
        boolean reported = false;
        while (!closed) {
            try {
                Thread.sleep(Math.min(200, stuckAfter.toMillis()));
            } catch (InterruptedException e) {
                return;
            }
            long started = scheduler.stepStartedRealNanos();
            StepScheduler.SimThread cur = scheduler.current();
            if (started != 0 && cur != null && System.nanoTime() - started > stuckAfter.toNanos()) {
                if (!reported) {
                    reported = true;
                    String problem = "thread " + cur.label() + " ran for more than " + stuckAfter.toMillis() + " ms of real "
                            + "time without waiting: it blocks the simulation (real I/O, a wait that pins its carrier, or a "
                            + "busy loop, such as a requeue with no delay that virtual time never lets pass); interrupted. "
                            + "It was at:" + Trace.stack(cur.thread);
                    problems.add(problem);
                    // Said at once: a loop that ignores the interrupt never ends its step, and the run hangs.
                    log.error("simulation seed {}: {}", seed, problem);
                    cur.thread.interrupt();
                }
            } else {
                reported = false;
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            for (Running r : List.copyOf(managers)) {
                try {
                    stopManager(r.manager);
                } catch (RuntimeException | Error e) {
                    // closing after a failure: keep the failure the test saw
                }
            }
        } finally {
            closed = true;
            watchdog.interrupt();
            try {
                store.close();
            } finally {
                scheduler.release();
            }
        }
    }

    /** The one line that replays a run: the builder call, or the system properties {@link Explorer} reads. */
    static String replay(long seed, java.util.Set<Integer> skip) {
        if (skip.isEmpty()) {
            return "Simulation.builder(" + seed + "L), or -D" + Explorer.SEED_PROPERTY + "=" + seed;
        }
        String list = skip.stream().sorted().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
        return "Simulation.builder(" + seed + "L).skipFaults(java.util.List.of(" + list + ")), or -D"
                + Explorer.SEED_PROPERTY + "=" + seed + " -D" + Explorer.SKIP_PROPERTY + "=" + list;
    }

    /** A task that may throw. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Configures a {@link Simulation}. */
    public static final class Builder {
        private final long seed;
        private long maxSteps = 2_000_000;
        private Duration stuckAfter = Duration.ofSeconds(10);
        private int traceTail = 60;
        private boolean keepFullTrace;
        private boolean detectSleeps = true;
        private boolean watchList;
        private UnaryOperator<StoreOptions> storeOptions = UnaryOperator.identity();
        private Faults faults = Faults.none();
        private java.util.Set<Integer> skipFaults = java.util.Set.of();

        private Builder(long seed) {
            this.seed = seed;
        }

        /** Fails with the trace once this many steps were taken (default 2,000,000). */
        public Builder maxSteps(long steps) {
            if (steps <= 0) {
                throw new IllegalArgumentException("maxSteps must be positive, got " + steps);
            }
            this.maxSteps = steps;
            return this;
        }

        /** A step that runs this long in real time without waiting is reported with its stack (default 10 s). */
        public Builder stuckAfter(Duration real) {
            if (real == null || real.isNegative() || real.isZero()) {
                throw new IllegalArgumentException("stuckAfter must be positive, got " + real);
            }
            this.stuckAfter = real;
            return this;
        }

        /** How many last trace entries a failure shows (default 60). */
        public Builder traceTail(int entries) {
            this.traceTail = Math.max(0, entries);
            return this;
        }

        /** Keep every trace entry ({@link Trace#entriesKept()}); for short runs and tests of the simulation itself. */
        public Builder keepFullTrace(boolean keep) {
            this.keepFullTrace = keep;
            return this;
        }

        /**
         * Whether a simulated thread that waits on real time ({@code Thread.sleep}, a timeout on
         * {@code System.nanoTime}) fails the run with its stack (default true).
         */
        public Builder detectRealTimeWaits(boolean detect) {
            this.detectSleeps = detect;
            return this;
        }

        /**
         * Whether informers use streaming lists (WatchList: one watch with the initial events) as in
         * production, instead of LIST then WATCH (default false: every seed kept as a regression
         * was found with LIST+WATCH, and streaming lists take other steps, so those seeds would no
         * longer replay what they found).
         */
        public Builder watchList(boolean on) {
            this.watchList = on;
            return this;
        }

        /** Adjusts the store's options (the clock, bookmark and compaction timers are the simulation's). */
        public Builder storeOptions(UnaryOperator<StoreOptions> adjust) {
            this.storeOptions = Objects.requireNonNull(adjust, "adjust");
            return this;
        }

        /** The faults to inject (default none). */
        public Builder faults(Faults f) {
            this.faults = Objects.requireNonNull(f, "faults");
            return this;
        }

        /** Faults (by their number in the trace, "fault #n") not to inject: a shrunk failure's replay. */
        public Builder skipFaults(java.util.Collection<Integer> numbers) {
            this.skipFaults = java.util.Set.copyOf(numbers);
            return this;
        }

        public Simulation build() {
            return new Simulation(this);
        }
    }
}
