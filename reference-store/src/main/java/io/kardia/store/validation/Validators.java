package io.kardia.store.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.model.Status;
import io.kardia.core.validation.Causes;
import io.kardia.store.admission.AdmissionPolicyValidator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** The validators of the store, one per group-resource, plus the metadata rules every kind shares. */
public final class Validators {
    private final Map<String, KindValidator> byResource = new ConcurrentHashMap<>();
    private final Map<String, CustomResourceValidator> customResources = new ConcurrentHashMap<>();
    /** Custom kinds' validators of their served versions other than the storage version. */
    private final Map<String, Map<String, CustomResourceValidator>> customVersions = new ConcurrentHashMap<>();

    /** The built-in kinds' rules. */
    public static Validators builtIns() {
        Validators v = new Validators();
        v.register("pods", new PodValidator());
        v.register("deployments.apps", WorkloadValidator.deployments());
        v.register("replicasets.apps", WorkloadValidator.replicaSets());
        v.register("leases.coordination.k8s.io", new LeaseValidator());
        v.register("customresourcedefinitions.apiextensions.k8s.io", new CrdValidator());
        v.register("services", new ServiceValidator());
        v.register("jobs.batch", new JobValidator());
        v.register("cronjobs.batch", new CronJobValidator());
        v.register("statefulsets.apps", new StatefulSetValidator());
        v.register("daemonsets.apps", new DaemonSetValidator());
        v.register("poddisruptionbudgets.policy", new PodDisruptionBudgetValidator());
        v.register("ingresses.networking.k8s.io", new IngressValidator());
        v.register("ingressclasses.networking.k8s.io", new IngressClassValidator());
        v.register("validatingwebhookconfigurations.admissionregistration.k8s.io", new WebhookConfigurationValidator(false));
        v.register("mutatingwebhookconfigurations.admissionregistration.k8s.io", new WebhookConfigurationValidator(true));
        v.register("validatingadmissionpolicies.admissionregistration.k8s.io",
                new AdmissionPolicyValidator(AdmissionPolicyValidator.Kind.VALIDATING_POLICY));
        v.register("validatingadmissionpolicybindings.admissionregistration.k8s.io",
                new AdmissionPolicyValidator(AdmissionPolicyValidator.Kind.VALIDATING_BINDING));
        v.register("mutatingadmissionpolicies.admissionregistration.k8s.io",
                new AdmissionPolicyValidator(AdmissionPolicyValidator.Kind.MUTATING_POLICY));
        v.register("mutatingadmissionpolicybindings.admissionregistration.k8s.io",
                new AdmissionPolicyValidator(AdmissionPolicyValidator.Kind.MUTATING_BINDING));
        return v;
    }

    public void register(String groupResource, KindValidator validator) {
        byResource.put(groupResource, validator);
    }

    /**
     * Serves (or stops serving, when {@code openApiV3Schema} is null or missing) the schema of a
     * custom kind: its objects are then pruned and validated against it.
     */
    public void serveCustomResource(String groupResource, JsonNode openApiV3Schema) {
        serveCustomResource(groupResource, openApiV3Schema, Map.of());
    }

    /**
     * As {@link #serveCustomResource(String, JsonNode)}, with the schemas of the kind's other served
     * versions ({@code version -> openAPIV3Schema}): a write made in one of them is validated with
     * its schema, as kube-apiserver validates a request in the request's version.
     */
    public void serveCustomResource(String groupResource, JsonNode openApiV3Schema, Map<String, JsonNode> otherVersions) {
        if (openApiV3Schema == null || !openApiV3Schema.isObject()) {
            customResources.remove(groupResource);
            customVersions.remove(groupResource);
            return;
        }
        customResources.put(groupResource, new CustomResourceValidator(openApiV3Schema));
        Map<String, CustomResourceValidator> versions = new HashMap<>();
        otherVersions.forEach((v, schema) -> {
            if (schema != null && schema.isObject()) {
                versions.put(v, new CustomResourceValidator(schema));
            }
        });
        if (versions.isEmpty()) {
            customVersions.remove(groupResource);
        } else {
            customVersions.put(groupResource, Map.copyOf(versions));
        }
    }

    /**
     * Drops the fields that {@code version}'s schema of a custom kind does not specify (the storage
     * version's when {@code version} has none of its own) and fills in its defaults, as
     * kube-apiserver decodes a request body in the request's version before converting it;
     * nothing for other kinds.
     */
    public void pruneAndDefault(String groupResource, String version, ObjectNode object) {
        Map<String, CustomResourceValidator> versions = version == null ? null : customVersions.get(groupResource);
        CustomResourceValidator inVersion = versions == null ? null : versions.get(version);
        if (inVersion != null) {
            inVersion.pruneAndDefault(object);
        } else {
            pruneAndDefault(groupResource, object);
        }
    }

    /** Drops the fields a custom kind's schema does not specify and fills in its defaults; nothing for other kinds. */
    public void pruneAndDefault(String groupResource, ObjectNode object) {
        CustomResourceValidator v = customResources.get(groupResource);
        if (v != null) {
            v.pruneAndDefault(object);
        }
    }

    /** @return the causes; empty when the object is valid */
    public List<Status.Cause> validateCreate(String groupResource, boolean namespaced, ObjectNode object) {
        return validateCreate(groupResource, null, namespaced, object);
    }

    /** A create made in {@code version} (null: the storage version), {@code object} in that version. */
    public List<Status.Cause> validateCreate(String groupResource, String version, boolean namespaced, ObjectNode object) {
        Causes c = new Causes();
        ObjectMetaValidator.validate(object, namespaced, nameRule(groupResource), c);
        KindValidator v = kindValidator(groupResource, version);
        if (v != null) {
            v.validateCreate(object, c);
        }
        return c.list();
    }

    public List<Status.Cause> validateUpdate(String groupResource, boolean namespaced, ObjectNode object, ObjectNode old) {
        return validateUpdate(groupResource, null, namespaced, object, old);
    }

    /** An update made in {@code version} (null: the storage version), both objects in that version. */
    public List<Status.Cause> validateUpdate(String groupResource, String version, boolean namespaced, ObjectNode object, ObjectNode old) {
        Causes c = new Causes();
        ObjectMetaValidator.validate(object, namespaced, nameRule(groupResource), c);
        KindValidator v = kindValidator(groupResource, version);
        if (v != null) {
            v.validateUpdate(object, old, c);
        }
        return c.list();
    }

    /** A write to the status subresource: the kind's status rules only (metadata is the stored one). */
    public List<Status.Cause> validateStatusUpdate(String groupResource, ObjectNode object, ObjectNode old) {
        return validateStatusUpdate(groupResource, null, object, old);
    }

    /** A status write made in {@code version} (null: the storage version), both objects in that version. */
    public List<Status.Cause> validateStatusUpdate(String groupResource, String version, ObjectNode object, ObjectNode old) {
        Causes c = new Causes();
        KindValidator v = kindValidator(groupResource, version);
        if (v != null) {
            v.validateStatusUpdate(object, old, c);
        }
        return c.list();
    }

    private KindValidator kindValidator(String groupResource, String version) {
        KindValidator v = byResource.get(groupResource);
        if (v != null) {
            return v;
        }
        Map<String, CustomResourceValidator> versions = version == null ? null : customVersions.get(groupResource);
        CustomResourceValidator inVersion = versions == null ? null : versions.get(version);
        return inVersion != null ? inVersion : customResources.get(groupResource);
    }

    private static Function<String, List<String>> nameRule(String groupResource) {
        if (groupResource.endsWith(".rbac.authorization.k8s.io")) {
            return NameRules::pathSegment; // kube's ValidateRBACName: "system:basic-user" is a valid role name
        }
        return switch (groupResource) {
            case "namespaces" -> NameRules::dns1123Label;
            case "services" -> NameRules::dns1035Label;
            default -> NameRules::dns1123Subdomain;
        };
    }
}
