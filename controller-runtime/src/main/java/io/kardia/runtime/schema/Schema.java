package io.kardia.runtime.schema;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * OpenAPI v3 constraints of one record component, read by {@link SchemaGenerator}. Unset
 * attributes (their defaults) emit nothing, so a plain component gets just its type.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Schema {
    long UNSET = Long.MIN_VALUE;

    String description() default "";

    boolean required() default false;

    /** A default for a string component, emitted as {@code default}. */
    String defaultString() default "";

    /** A default for an integer component, emitted as {@code default}. */
    long defaultInteger() default UNSET;

    long minimum() default UNSET;

    long maximum() default UNSET;

    long minLength() default UNSET;

    long maxLength() default UNSET;

    /** For maps: the most entries allowed. */
    long maxProperties() default UNSET;

    /** An ECMA-262 regular expression the whole string must match (write it anchored). */
    String pattern() default "";
}
