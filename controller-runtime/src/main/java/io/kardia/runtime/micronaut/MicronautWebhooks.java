package io.kardia.runtime.micronaut;

import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.runtime.webhook.Converter;
import io.kardia.runtime.webhook.Defaulter;
import io.kardia.runtime.webhook.Validator;
import io.kardia.runtime.webhook.Webhooks;
import io.micronaut.context.BeanContext;
import io.micronaut.core.annotation.AnnotationMetadata;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.qualifiers.Qualifiers;
import java.util.ArrayList;
import java.util.List;

/**
 * Discovers {@link KardiaWebhook} beans in a Micronaut {@link BeanContext} and registers each
 * (as a validator, a defaulter, a converter, or several of these) with a {@link Webhooks} builder,
 * which the manager then serves ({@code Manager.builder(client).webhooks(builder.build())}). A
 * {@link Converter} bean converts every version of its {@code forKind}'s group and kind, on
 * {@link Webhooks#CONVERT_PATH}.
 *
 * <pre>{@code
 * Webhooks.Builder hooks = Webhooks.builder();
 * MicronautWebhooks.register(beans, hooks);
 * Manager manager = Manager.builder(client).webhooks(hooks.build()).build();
 * }</pre>
 */
public final class MicronautWebhooks {
    private MicronautWebhooks() {
    }

    /** Registers every {@link KardiaWebhook} bean; returns what was registered ({@code validator Kind}, {@code defaulter Kind}, {@code converter Kind}). */
    public static List<String> register(BeanContext context, Webhooks.Builder builder) {
        List<String> out = new ArrayList<>();
        for (BeanDefinition<?> definition : context.getBeanDefinitions(Qualifiers.byStereotype(KardiaWebhook.class))) {
            register(context, builder, definition, out);
        }
        return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void register(BeanContext context, Webhooks.Builder builder, BeanDefinition<?> definition, List<String> out) {
        AnnotationMetadata meta = definition.getAnnotationMetadata();
        String bean = definition.getBeanType().getName();
        Class<? extends KubeObject> kind = (Class<? extends KubeObject>) meta.classValue(KardiaWebhook.class, "forKind")
                .orElseThrow(() -> new IllegalStateException("@KardiaWebhook on " + bean + " has no forKind"));
        ResourceType type = ResourceTypes.of(kind);
        Object hook = context.getBean(definition);
        boolean registered = false;
        if (hook instanceof Validator validator) {
            String[] operations = meta.stringValues(KardiaWebhook.class, "operations");
            if (operations.length == 0) {
                builder.validator(type, validator);
            } else {
                builder.validator(type, validator, operations);
            }
            out.add("validator " + type.kind());
            registered = true;
        }
        if (hook instanceof Defaulter defaulter) {
            builder.defaulter(type, defaulter);
            out.add("defaulter " + type.kind());
            registered = true;
        }
        if (hook instanceof Converter converter) {
            // Conversion is per group and kind: any version's class names the kind.
            builder.converter(type.group(), type.kind(), converter);
            out.add("converter " + type.kind());
            registered = true;
        }
        if (!registered) {
            throw new IllegalStateException("@KardiaWebhook class " + bean + " must implement Validator<" + kind.getSimpleName()
                    + ">, Defaulter<" + kind.getSimpleName() + "> or Converter");
        }
    }
}
