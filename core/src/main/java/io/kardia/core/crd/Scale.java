package io.kardia.core.crd;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Enables the {@code scale} subresource of a {@link Kind} (for {@code kubectl scale} and autoscalers). */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Scale {
    String specReplicasPath() default ".spec.replicas";

    String statusReplicasPath() default ".status.replicas";

    /** Where the status holds the serialized label selector; empty: none. */
    String labelSelectorPath() default "";
}
