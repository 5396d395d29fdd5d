package io.kardia.runtime.micronaut;

import io.kardia.core.model.KubeObject;
import jakarta.inject.Singleton;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a webhook bean: a {@link io.kardia.runtime.webhook.Validator}, a
 * {@link io.kardia.runtime.webhook.Defaulter} and/or a {@link io.kardia.runtime.webhook.Converter}
 * of the {@link #forKind} type (a converter converts between all versions of that class's group and
 * kind, so any version's class will do). It is a Micronaut
 * singleton (constructor injection works), and {@link MicronautWebhooks#register} adds every such
 * bean to a {@link io.kardia.runtime.webhook.Webhooks} builder, reading these attributes from the
 * metadata Micronaut's annotation processor wrote at compile time.
 *
 * <pre>{@code
 * @KardiaWebhook(forKind = StaticSite.class)
 * final class StaticSiteValidator implements Validator<StaticSite> { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Singleton
public @interface KardiaWebhook {

    /** The kind validated, defaulted or converted: a built-in model class or a custom kind's class (of any version). */
    Class<? extends KubeObject> forKind();

    /** The operations a validator is called for (CREATE, UPDATE, DELETE); default CREATE and UPDATE. */
    String[] operations() default {};
}
