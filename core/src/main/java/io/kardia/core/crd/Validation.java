package io.kardia.core.crd;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A CEL validation rule ({@code x-kubernetes-validations}) at the schema node of the annotated
 * record type or field; {@code self} is the value there ({@code oldSelf} its previous value on
 * update). The CRD generator compiles each rule against the generated schema, as the API server
 * does, and fails the build on a rule that does not compile.
 *
 * <pre>{@code @Validation(rule = "self.minReplicas <= self.maxReplicas", message = "minReplicas must not exceed maxReplicas")}</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.RECORD_COMPONENT, ElementType.TYPE})
@Repeatable(Validation.List.class)
public @interface Validation {
    String rule();

    /** The error message when the rule fails; empty: "failed rule: &lt;rule&gt;". */
    String message() default "";

    /** A CEL expression producing the message, evaluated when the rule fails. */
    String messageExpression() default "";

    /** FieldValueInvalid (default), FieldValueRequired, FieldValueForbidden or FieldValueDuplicate. */
    String reason() default "";

    /** A path below the node the error is reported at, e.g. {@code .replicas}. */
    String fieldPath() default "";

    @Documented
    @Retention(RetentionPolicy.CLASS)
    @Target({ElementType.RECORD_COMPONENT, ElementType.TYPE})
    @interface List {
        Validation[] value();
    }
}
