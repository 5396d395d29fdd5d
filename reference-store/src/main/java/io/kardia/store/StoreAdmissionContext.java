package io.kardia.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.model.ResourceType;
import io.kardia.store.admission.AdmissionContext;
import io.kardia.store.merge.Schema;
import io.kardia.store.validation.LabelSelectorJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Admission's reads, served from the store's latest versions (no revision wait: admission sees what is committed). */
final class StoreAdmissionContext implements AdmissionContext {
    private final ReferenceStore store;

    StoreAdmissionContext(ReferenceStore store) {
        this.store = store;
    }

    @Override
    public Optional<ObjectNode> namespace(String name) {
        StoredObject o = store.index.latest("namespaces", MvccIndex.key("", name));
        return Optional.ofNullable(o).map(StoredObject::tree);
    }

    @Override
    public Optional<ResourceType<?>> typeOf(String apiVersion, String kind) {
        return store.types.byKind(apiVersion, kind);
    }

    @Override
    public Optional<ObjectNode> get(ResourceType<?> type, String namespace, String name) {
        StoredObject o = store.index.latest(type.groupResource(), MvccIndex.key(type.namespaced() ? namespace : "", name));
        return Optional.ofNullable(o).map(StoredObject::tree);
    }

    @Override
    public List<ObjectNode> list(ResourceType<?> type, String namespace, JsonNode selector) {
        List<ObjectNode> out = new ArrayList<>();
        for (KeyHistory h : store.index.range(type.groupResource(), type.namespaced() ? namespace : null).values()) {
            StoredObject o = h.latest();
            if (o != null && (selector == null || selector.isMissingNode() || LabelSelectorJson.matches(selector, o.tree().path("metadata").path("labels")))) {
                out.add(o.tree());
            }
        }
        return out;
    }

    @Override
    public Optional<ResourceType<?>> find(String group, String version, String resource) {
        return store.types.find(group, version, resource);
    }

    @Override
    public Optional<JsonNode> customSchema(ResourceType<?> type) {
        return store.types.customSchema(type);
    }

    @Override
    public Schema schemaOf(ResourceType<?> type) {
        return store.managedFields.schemaFor(type);
    }
}
