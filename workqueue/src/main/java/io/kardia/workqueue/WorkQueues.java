package io.kardia.workqueue;

/**
 * Entry point: {@code WorkQueues.builder("pods").meterRegistry(registry).buildPriority(limiter)}
 * makes a rate-limited priority queue named "pods" with that limiter, reporting to that registry.
 */
public final class WorkQueues {
  private WorkQueues() {}

  /** A builder for a queue named {@code name} (the {@code name} tag of its metrics). */
  public static WorkQueueBuilder builder(String name) {
    return new WorkQueueBuilder(name);
  }
}
