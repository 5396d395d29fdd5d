package io.kardia.store.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.model.Status;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** The validators of the store, one per group-resource, plus the metadata rules every kind shares. */
public final class Validators {
    private final Map<String, KindValidator> byResource = new ConcurrentHashMap<>();

    /** The built-in kinds' rules. */
    public static Validators builtIns() {
        Validators v = new Validators();
        v.register("pods", new PodValidator());
        v.register("deployments.apps", WorkloadValidator.deployments());
        v.register("replicasets.apps", WorkloadValidator.replicaSets());
        v.register("leases.coordination.k8s.io", new LeaseValidator());
        v.register("customresourcedefinitions.apiextensions.k8s.io", new CrdValidator());
        return v;
    }

    public void register(String groupResource, KindValidator validator) {
        byResource.put(groupResource, validator);
    }

    /** @return the causes; empty when the object is valid */
    public List<Status.Cause> validateCreate(String groupResource, boolean namespaced, ObjectNode object) {
        Causes c = new Causes();
        ObjectMetaValidator.validate(object, namespaced, nameRule(groupResource), c);
        KindValidator v = byResource.get(groupResource);
        if (v != null) {
            v.validateCreate(object, c);
        }
        return c.list();
    }

    public List<Status.Cause> validateUpdate(String groupResource, boolean namespaced, ObjectNode object, ObjectNode old) {
        Causes c = new Causes();
        ObjectMetaValidator.validate(object, namespaced, nameRule(groupResource), c);
        KindValidator v = byResource.get(groupResource);
        if (v != null) {
            v.validateUpdate(object, old, c);
        }
        return c.list();
    }

    private static Function<String, List<String>> nameRule(String groupResource) {
        return groupResource.equals("namespaces") ? NameRules::dns1123Label : NameRules::dns1123Subdomain;
    }
}
