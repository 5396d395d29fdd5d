package io.kardia.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A controller's meters under controller-runtime's Prometheus names:
 * {@code controller_runtime_reconcile_total{controller,result}},
 * {@code controller_runtime_reconcile_errors_total{controller}},
 * {@code controller_runtime_terminal_reconcile_errors_total{controller}},
 * {@code controller_runtime_reconcile_time_seconds{controller}},
 * {@code controller_runtime_active_workers{controller}} and
 * {@code controller_runtime_max_concurrent_reconciles{controller}}.
 */
final class ControllerMetrics {
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofSeconds(60)
    };

    private final Counter success;
    private final Counter error;
    private final Counter requeue;
    private final Counter requeueAfter;
    private final Counter errors;
    private final Counter terminalErrors;
    private final Timer time;
    private final AtomicInteger activeWorkers = new AtomicInteger();

    ControllerMetrics(MeterRegistry registry, String controller, int maxConcurrentReconciles) {
        success = total(registry, controller, "success");
        error = total(registry, controller, "error");
        requeue = total(registry, controller, "requeue");
        requeueAfter = total(registry, controller, "requeue_after");
        errors = Counter.builder("controller.runtime.reconcile.errors")
                .description("Total number of reconciliation errors per controller")
                .tag("controller", controller).register(registry);
        terminalErrors = Counter.builder("controller.runtime.terminal.reconcile.errors")
                .description("Total number of terminal reconciliation errors per controller")
                .tag("controller", controller).register(registry);
        time = Timer.builder("controller.runtime.reconcile.time")
                .description("Length of time per reconciliation per controller")
                .tag("controller", controller)
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
        Gauge.builder("controller.runtime.active.workers", activeWorkers, AtomicInteger::get)
                .description("Number of currently used workers per controller")
                .tag("controller", controller).register(registry);
        Gauge.builder("controller.runtime.max.concurrent.reconciles", () -> maxConcurrentReconciles)
                .description("Maximum number of concurrent reconciles per controller")
                .tag("controller", controller).register(registry);
    }

    private static Counter total(MeterRegistry registry, String controller, String result) {
        return Counter.builder("controller.runtime.reconcile")
                .description("Total number of reconciliations per controller")
                .tag("controller", controller).tag("result", result).register(registry);
    }

    void workerBusy() {
        activeWorkers.incrementAndGet();
    }

    void workerIdle() {
        activeWorkers.decrementAndGet();
    }

    void finished(Result.Kind kind, long nanos) {
        time.record(nanos, TimeUnit.NANOSECONDS);
        switch (kind) {
            case DONE -> success.increment();
            case REQUEUE -> requeue.increment();
            case REQUEUE_AFTER -> requeueAfter.increment();
        }
    }

    void failed(boolean terminal, long nanos) {
        time.record(nanos, TimeUnit.NANOSECONDS);
        error.increment();
        errors.increment();
        if (terminal) {
            terminalErrors.increment();
        }
    }
}
