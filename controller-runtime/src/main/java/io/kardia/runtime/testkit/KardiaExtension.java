package io.kardia.runtime.testkit;

import io.kardia.core.client.KubeClient;
import io.kardia.store.ReferenceStore;
import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/** The JUnit 5 extension behind {@link KardiaTest}: one {@link TestEnvironment} per test method. */
public final class KardiaExtension implements ParameterResolver, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KardiaExtension.class);
    private static final String KEY = "environment";

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestEnvironment.class || type == KubeClient.class || type == ReferenceStore.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestEnvironment env = environment(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == TestEnvironment.class) {
            return env;
        }
        if (type == KubeClient.class) {
            return env.client();
        }
        if (type == ReferenceStore.class) {
            return env.store();
        }
        throw new ParameterResolutionException("KardiaExtension cannot supply a " + type.getName());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestEnvironment env = context.getStore(NS).remove(KEY, TestEnvironment.class);
        if (env != null) {
            env.close();
        }
    }

    private static TestEnvironment environment(ExtensionContext context) {
        Optional<KardiaTest> settings = settings(context);
        boolean rbac = settings.map(KardiaTest::rbac).orElse(false);
        boolean http = rbac || settings.map(KardiaTest::http).orElse(false);
        return context.getStore(NS).getOrComputeIfAbsent(KEY, k -> TestEnvironment.start(http, rbac), TestEnvironment.class);
    }

    /** The method's annotation, else the class's. */
    private static Optional<KardiaTest> settings(ExtensionContext context) {
        Optional<KardiaTest> onMethod = context.getTestMethod().flatMap(m -> annotation(m));
        return onMethod.isPresent() ? onMethod : context.getTestClass().flatMap(KardiaExtension::annotation);
    }

    private static Optional<KardiaTest> annotation(AnnotatedElement element) {
        return Optional.ofNullable(element.getAnnotation(KardiaTest.class));
    }
}
