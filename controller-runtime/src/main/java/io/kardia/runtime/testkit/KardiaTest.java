package io.kardia.runtime.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each test against a fresh in-process reference store. Test methods (and constructors)
 * may declare parameters of type {@link TestEnvironment}, {@link io.kardia.core.client.KubeClient}
 * or {@link io.kardia.store.ReferenceStore}; managers the test starts through the environment are
 * closed after it.
 *
 * <pre>{@code
 * @KardiaTest(http = true)
 * class MyControllerTest {
 *     @Test
 *     void copies(TestEnvironment env) throws Exception {
 *         env.startManager(m -> m.newController().forKind(ConfigMap.class).complete(new MyReconciler(m.client())));
 *         env.client().resources(ConfigMap.class).create(...);
 *         env.awaitObject(ConfigMap.class, "target", "copy", cm -> "v".equals(cm.data().get("k")));
 *     }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(KardiaExtension.class)
public @interface KardiaTest {

    /** Also serve the store over HTTP and hand the test an HTTP client (the real wire path). */
    boolean http() default false;

    /**
     * Serve over HTTP (implies {@link #http()}) with RBAC authorization, as a cluster with
     * {@code --authorization-mode=RBAC}: the test's own client is a cluster admin, and
     * {@link TestEnvironment#startManagerAs} runs a controller as a ServiceAccount with exactly the
     * permissions the test grants it (e.g. the operator's generated RBAC manifests, applied with
     * {@link TestEnvironment#apply}). A missing permission then fails the test with kube's 403.
     */
    boolean rbac() default false;
}
