package io.kardia.core.crd;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The field may be an explicit {@code null} ({@code nullable: true} in the CRD schema); otherwise
 * the API server drops a null value before validating. Any annotation named {@code Nullable}
 * (JSpecify's, jakarta's...) means the same to the CRD generator.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.RECORD_COMPONENT)
public @interface Nullable {
}
