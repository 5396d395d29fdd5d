package io.kardia.core.crd;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a record implementing {@link CustomResource} as a custom kind. Everything but the group
 * and version is derived unless given: the kind is the class's simple name, the plural its
 * lower-case English plural ({@code Backup} → {@code backups}, {@code Policy} → {@code policies}),
 * the singular its lower-case name. The class needs no registration:
 * {@code client.resources(Backup.class)} and controllers declared by class read this annotation on
 * first use. The CRD is generated from the record at build time by {@code kardia-crd-generator}.
 *
 * <pre>{@code
 * @Kind(group = "example.com", version = "v1alpha1", shortNames = "bk")
 * public record Backup(ObjectMeta metadata, BackupSpec spec, BackupStatus status)
 *         implements CustomResource<BackupSpec, BackupStatus> {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Kind {
    /** The API group, a DNS subdomain with at least one dot, e.g. {@code example.com}. */
    String group();

    /** The version within the group, e.g. {@code v1alpha1}. */
    String version();

    /** The kind; empty: the class's simple name. */
    String kind() default "";

    /** The lower-case plural used in URLs; empty: derived from the kind. */
    String plural() default "";

    /** The lower-case singular; empty: the kind in lower case. */
    String singular() default "";

    Scope scope() default Scope.NAMESPACED;

    /** kubectl short names, e.g. {@code bk}. */
    String[] shortNames() default {};

    /** kubectl categories, e.g. {@code all}. */
    String[] categories() default {};

    /**
     * Whether objects are stored in this version. A kind served in several versions (one record
     * per version, same group, kind and plural: {@code @Kind(kind = "Backup", version = "v1alpha1",
     * storage = false) record BackupV1alpha1(...)}) has exactly one storage version; the CRD
     * generator merges the versions into one CRD (no conversion webhook: the API server only
     * rewrites apiVersion between them).
     */
    boolean storage() default true;

    /** Whether the version is served; an old version can be kept in the CRD but no longer served. */
    boolean served() default true;

    /** Whether {@code status} is a subresource (written only through {@code /status}). */
    boolean statusSubresource() default true;

    /** Where objects of the kind live. */
    enum Scope {
        NAMESPACED, CLUSTER
    }
}
