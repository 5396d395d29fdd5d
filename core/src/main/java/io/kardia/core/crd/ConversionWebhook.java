package io.kardia.core.crd;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The versions of this kind are converted by the operator's conversion webhook: a
 * {@code Converter} registered with controller-runtime's {@code Webhooks.builder().converter(group,
 * kind, ...)}, served at {@code /convert}. Put it on one of the kind's version records (a kind in
 * several versions is several {@link Kind} records); kardia-crd-generator then writes the CRD's
 * {@code spec.conversion} (strategy {@code Webhook}, {@code v1} ConversionReviews) calling the
 * Service in front of the operator's webhook server. Without it the CRD has no conversion (strategy
 * {@code None}): the API server only rewrites {@code apiVersion} between versions.
 *
 * <p>The Service's CA ({@code clientConfig.caBundle}) is not known at build time: it is injected at
 * deploy time by cert-manager's CA injector (see {@link #certificate()}), or the operator patches
 * {@code Webhooks.conversion(target)} into the CRD when it starts.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ConversionWebhook {
    /** The Service's name; empty: {@code <operator name>-webhook} (the {@code kardia.rbac.name} processor option). */
    String service() default "";

    /** The Service's namespace; empty: the operator's ({@code kardia.rbac.namespace}, else {@code default}). */
    String namespace() default "";

    /** The Service's port. */
    int port() default 443;

    /**
     * The cert-manager Certificate ({@code namespace/name}) whose CA cert-manager's CA injector
     * writes into the CRD's {@code caBundle} (the generated CRD carries the
     * {@code cert-manager.io/inject-ca-from} annotation, as kubebuilder's do); empty:
     * {@code <service namespace>/<operator name>-serving-cert}, the Certificate the archetype's
     * {@code webhook.yaml} declares. Harmless without cert-manager.
     */
    String certificate() default "";
}
