package io.kardia.runtime.micronaut;

import io.kardia.core.model.KubeObject;
import jakarta.inject.Singleton;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a reconciler bean and what it watches. The class implements
 * {@link io.kardia.runtime.TypedReconciler} of the {@link #forKind} type, or
 * {@link io.kardia.runtime.Reconciler}; it is a Micronaut singleton (constructor injection works),
 * and {@link MicronautControllers#register} turns every such bean into a controller of a
 * {@link io.kardia.runtime.Manager}, reading these attributes from the metadata Micronaut's
 * annotation processor wrote at compile time (no classpath scanning, no reflection).
 *
 * <pre>{@code
 * @KardiaController(forKind = ReplicaSet.class, owns = Pod.class, maxConcurrentReconciles = 4)
 * final class ReplicaSetReconciler implements TypedReconciler<ReplicaSet> { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Singleton
public @interface KardiaController {

    /** The primary kind: a built-in model class (see {@code ResourceTypes}). */
    Class<? extends KubeObject> forKind();

    /** Kinds whose controller owner (of the primary kind) is reconciled when they change. */
    Class<? extends KubeObject>[] owns() default {};

    /** The controller's name; default the primary kind in lower case. */
    String name() default "";

    /** Watch only this namespace; default all (or the manager's). */
    String namespace() default "";

    int maxConcurrentReconciles() default 1;
}
