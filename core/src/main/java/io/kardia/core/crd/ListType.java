package io.kardia.core.crd;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How server-side apply merges a list ({@code x-kubernetes-list-type}): {@code atomic} (replaced
 * whole), {@code set} (scalar items, unique) or {@code map} (records identified by
 * {@link #keys()}, {@code x-kubernetes-list-map-keys}; each key field must be required or defaulted).
 * A {@code Set<X>} field is a {@code set} list without this annotation.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.RECORD_COMPONENT)
public @interface ListType {
    String value();

    /** For {@code map} lists: the fields that identify an item. */
    String[] keys() default {};
}
