package io.kardia.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ResourceType;
import io.kardia.store.validation.Validators;

/**
 * Keeps the served custom kinds in step with the stored CustomResourceDefinitions: a CRD written
 * makes its kind served with its schema, a CRD removed stops serving it and ends its watches.
 */
final class CustomKinds {
    private final TypeRegistry types;
    private final Validators validators;
    private final WatchHub hub;
    private final io.kardia.store.admission.AdmissionChain admission;

    CustomKinds(TypeRegistry types, Validators validators, WatchHub hub, io.kardia.store.admission.AdmissionChain admission) {
        this.types = types;
        this.validators = validators;
        this.hub = hub;
        this.admission = admission;
    }

    /** Serves the kinds of the CRDs already stored (after recovery). */
    void serveStored(MvccIndex index) {
        for (KeyHistory h : index.range(TypeRegistry.CRDS, null).values()) {
            StoredObject crd = h.latest();
            if (crd != null) {
                serve(crd.tree());
            }
        }
    }

    /** Called in revision order for every visible change; acts on CRD changes only. */
    void onVisible(ChangeEvent e) {
        if (!e.resource().equals(TypeRegistry.CRDS)) {
            return;
        }
        String gr = e.object().name();
        if (e.type() == StoreEvent.Type.DELETED) {
            types.removeCustom(gr);
            admission.webhooks().conversionRemoved(gr);
            validators.serveCustomResource(gr, null);
            hub.endAll(gr);
        } else {
            serve(e.object().tree());
        }
    }

    /** The schemas of a CRD's served versions other than {@code storageVersion}. */
    private static java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> otherVersionSchemas(ObjectNode crd, String storageVersion) {
        java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> out = new java.util.HashMap<>();
        for (com.fasterxml.jackson.databind.JsonNode v : crd.path("spec").path("versions")) {
            String name = v.path("name").asText();
            if (!name.equals(storageVersion) && v.path("served").asBoolean(false)) {
                out.put(name, v.path("schema").path("openAPIV3Schema"));
            }
        }
        return out;
    }

    /** A CRD's kind becomes served with its schema: objects written after this are pruned and validated against it. */
    private void serve(ObjectNode crd) {
        ResourceType<GenericObject> type = TypeRegistry.fromCrd(crd);
        validators.serveCustomResource(type.groupResource(), TypeRegistry.schemaOf(crd), otherVersionSchemas(crd, type.version()));
        // every served version; objects change version through the CRD's conversion strategy
        boolean webhook = "Webhook".equals(crd.path("spec").path("conversion").path("strategy").asText("None"));
        if (!webhook) {
            admission.webhooks().conversionRemoved(type.groupResource());
        }
        types.addCustom(type, crd, webhook ? admission.webhooks().conversionWebhook(crd)
                : new io.kardia.store.conversion.NoneConversion(type.group()));
    }
}
