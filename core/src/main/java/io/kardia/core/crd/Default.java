package io.kardia.core.crd;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The field's default, as JSON: {@code @Default("3")}, {@code @Default("\"nginx\"")},
 * {@code @Default("[]")}. For a string field a bare word is taken as the string:
 * {@code @Default("nginx")}. The generator checks the value against the field's type.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.RECORD_COMPONENT)
public @interface Default {
    String value();
}
