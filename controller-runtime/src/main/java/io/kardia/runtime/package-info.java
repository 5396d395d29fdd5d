/**
 * Kardia's controller runtime: what operators are written against.
 *
 * <ul>
 *   <li>{@link io.kardia.runtime.Reconciler} / {@link io.kardia.runtime.TypedReconciler}: the code a
 *       user writes; {@link io.kardia.runtime.Result}, {@link io.kardia.runtime.TerminalException}.</li>
 *   <li>{@link io.kardia.runtime.ControllerBuilder}: {@code forKind}, {@code owns}, {@code watches},
 *       {@link io.kardia.runtime.EventFilters}, workers, rate limiter, namespace.</li>
 *   <li>{@link io.kardia.runtime.Manager}: client, cache, controllers, leader election
 *       ({@link io.kardia.runtime.leader}), /healthz, /readyz, /metrics, graceful shutdown.</li>
 *   <li>Helpers: {@link io.kardia.runtime.Finalizers}, {@link io.kardia.runtime.StatusUpdates},
 *       events ({@link io.kardia.runtime.event}), Micronaut beans ({@link io.kardia.runtime.micronaut}),
 *       tests ({@link io.kardia.runtime.testkit}).</li>
 * </ul>
 *
 * <pre>{@code
 * try (var client = HttpKubeClient.autoConfigure();
 *      var manager = Manager.builder(client).httpPort(8080).build()) {
 *     manager.newController().forKind(ConfigMap.class)
 *             .withEventFilter(EventFilters.hasLabel("app", "demo"))
 *             .complete(cm -> {
 *                 // read more from manager.client() (the cache), write through it (the API);
 *                 // StatusUpdates and Conflicts take manager.apiClient() (fresh re-reads)
 *                 return Result.done();
 *             });
 *     manager.run(); // blocks; SIGTERM drains in-flight reconciles and releases the lease
 * }
 * }</pre>
 */
package io.kardia.runtime;
