package io.kardia.controllers.scheduler;

import java.time.Duration;

/**
 * @param schedulerName        pods naming this scheduler (or none) are ours
 * @param workers              concurrent scheduling workers
 * @param unschedulableRetry   an unschedulable pod is retried at least this often (and whenever a node changes)
 */
public record SchedulerOptions(String schedulerName, int workers, Duration unschedulableRetry) {

    public static final String DEFAULT_SCHEDULER = "default-scheduler";

    public SchedulerOptions {
        if (schedulerName == null || schedulerName.isBlank()) {
            throw new IllegalArgumentException("schedulerName must not be empty");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
    }

    public static SchedulerOptions defaults() {
        return new SchedulerOptions(DEFAULT_SCHEDULER, 4, Duration.ofSeconds(30));
    }
}
