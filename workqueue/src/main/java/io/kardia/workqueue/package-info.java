/**
 * Work queues for controllers, with client-go's semantics: dedup while waiting, one worker per
 * item at a time (an item added while processed is queued again on done), delayed and
 * rate-limited re-adds, and a priority variant (controller-runtime's).
 *
 * <p>Entry point: {@link io.kardia.workqueue.WorkQueues#builder}, e.g.
 * {@code WorkQueues.builder("pods").meterRegistry(registry).buildPriority(limiter)}.
 *
 * <p>Layering: one locked queue core, parameterised by its waiting order (FIFO or a priority
 * heap); a delaying layer adds one timer thread with one heap for all delayed items; a
 * rate-limiting layer turns a {@link io.kardia.workqueue.RateLimiter}'s answer into a delay.
 * Interfaces: {@link io.kardia.workqueue.WorkQueue} &lt; {@link io.kardia.workqueue.DelayingQueue}
 * &lt; {@link io.kardia.workqueue.RateLimitingQueue} &lt;
 * {@link io.kardia.workqueue.PriorityWorkQueue}.
 *
 * <p>Choices worth knowing: an add of an item that is already queued takes no lock and allocates
 * nothing; done items stay mapped (bounded, least recently done dropped) so that re-adds of the
 * same keys allocate nothing; per-item failure counts of the rate limiters expire after twice
 * their longest delay without a failure (Caffeine), so items never forgotten do not leak; metrics
 * use the Kubernetes {@code workqueue_*} names and cost nothing when no registry is configured.
 */
package io.kardia.workqueue;
