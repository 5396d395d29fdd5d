package io.kardia.core.crd;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A column {@code kubectl get} shows for the kind ({@code additionalPrinterColumns}), e.g.
 * {@code @PrinterColumn(name = "Schedule", jsonPath = ".spec.schedule")}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@Repeatable(PrinterColumn.List.class)
public @interface PrinterColumn {
    String name();

    /** A simple JSONPath into the object, starting with a dot. */
    String jsonPath();

    /** integer, number, string, boolean or date. */
    String type() default "string";

    String format() default "";

    String description() default "";

    /** 0: shown by default; higher: only with {@code -o wide}. */
    int priority() default 0;

    @Documented
    @Retention(RetentionPolicy.CLASS)
    @Target(ElementType.TYPE)
    @interface List {
        PrinterColumn[] value();
    }
}
