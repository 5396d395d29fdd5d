package io.kardia.runtime.rbac;

import io.kardia.core.model.KubeObject;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Permissions the operator needs, for the RBAC manifest {@code kardia-crd-generator} writes at
 * build time ({@code META-INF/kardia/rbac/rbac.yaml}): put it on the reconciler (or any class).
 * {@code @KardiaController(forKind, owns)} is read the same way without it. Either name kinds:
 *
 * <pre>{@code @Rbac(reconciles = Backup.class, owns = {ConfigMap.class, Deployment.class})}</pre>
 *
 * or give rules as kube's PolicyRule does:
 *
 * <pre>{@code @Rbac(apiGroups = "", resources = "secrets", verbs = {"get", "list", "watch"})}</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@Repeatable(Rbac.List.class)
public @interface Rbac {
    /** Primary kinds: read, watched, updated, their status and finalizers written. */
    Class<? extends KubeObject>[] reconciles() default {};

    /** Kinds the operator creates and manages: every verb but deletecollection. */
    Class<? extends KubeObject>[] owns() default {};

    String[] apiGroups() default {""};

    String[] resources() default {};

    String[] verbs() default {};

    @Documented
    @Retention(RetentionPolicy.CLASS)
    @Target(ElementType.TYPE)
    @interface List {
        Rbac[] value();
    }
}
