package io.kardia.runtime.micronaut;

import io.kardia.core.model.KubeObject;
import io.kardia.runtime.Controller;
import io.kardia.runtime.ControllerBuilder;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Reconciler;
import io.kardia.runtime.TypedReconciler;
import io.micronaut.context.BeanContext;
import io.micronaut.core.annotation.AnnotationMetadata;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.qualifiers.Qualifiers;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Discovers {@link KardiaController} beans in a Micronaut {@link BeanContext} and adds a
 * controller for each to a {@link Manager}. Only this package needs Micronaut on the classpath;
 * the plain builders work without it.
 *
 * <pre>{@code
 * try (BeanContext beans = BeanContext.run(); Manager manager = Manager.builder(client).build()) {
 *     MicronautControllers.register(beans, manager);
 *     manager.run();
 * }
 * }</pre>
 */
public final class MicronautControllers {

    private MicronautControllers() {
    }

    /** Adds one controller per {@link KardiaController} bean; returns them. */
    public static List<Controller> register(BeanContext context, Manager manager) {
        Collection<BeanDefinition<?>> definitions = context.getBeanDefinitions(Qualifiers.byStereotype(KardiaController.class));
        List<Controller> out = new ArrayList<>();
        for (BeanDefinition<?> definition : definitions) {
            out.add(register(context, manager, definition));
        }
        return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Controller register(BeanContext context, Manager manager, BeanDefinition<?> definition) {
        AnnotationMetadata meta = definition.getAnnotationMetadata();
        String bean = definition.getBeanType().getName();
        Class<? extends KubeObject> kind = (Class<? extends KubeObject>) meta.classValue(KardiaController.class, "forKind")
                .orElseThrow(() -> new IllegalStateException("@KardiaController on " + bean + " has no forKind"));
        ControllerBuilder builder = manager.newController().forKind(kind);
        for (Class<?> owned : meta.classValues(KardiaController.class, "owns")) {
            builder.owns((Class<? extends KubeObject>) owned);
        }
        meta.stringValue(KardiaController.class, "name").filter(s -> !s.isBlank()).ifPresent(builder::named);
        meta.stringValue(KardiaController.class, "namespace").filter(s -> !s.isBlank()).ifPresent(builder::namespace);
        meta.intValue(KardiaController.class, "maxConcurrentReconciles").ifPresent(builder::maxConcurrentReconciles);
        Object reconciler = context.getBean(definition);
        if (reconciler instanceof TypedReconciler<?> typed) {
            var typeArgs = definition.getTypeArguments(TypedReconciler.class);
            if (!typeArgs.isEmpty() && typeArgs.get(0).getType() != Object.class && typeArgs.get(0).getType() != kind) {
                throw new IllegalStateException("@KardiaController class " + bean + " reconciles "
                        + typeArgs.get(0).getType().getSimpleName() + " but declares forKind = " + kind.getSimpleName());
            }
            return builder.complete((TypedReconciler) typed);
        }
        if (reconciler instanceof Reconciler plain) {
            return builder.build(plain);
        }
        throw new IllegalStateException("@KardiaController class " + bean + " must implement TypedReconciler<"
                + kind.getSimpleName() + "> or Reconciler");
    }
}
