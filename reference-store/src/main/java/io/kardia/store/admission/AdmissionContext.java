package io.kardia.store.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.model.ResourceType;
import io.kardia.store.merge.Schema;
import java.util.List;
import java.util.Optional;

/** What admission reads from the store: namespaces (for selectors) and policy parameters. */
public interface AdmissionContext {
    /** The latest Namespace object named {@code name}, if any. */
    Optional<ObjectNode> namespace(String name);

    /** The served type of {@code apiVersion}/{@code kind}, if any. */
    Optional<ResourceType<?>> typeOf(String apiVersion, String kind);

    /** The latest object of {@code type} in {@code namespace} (ignored for cluster-scoped types), if any. */
    Optional<ObjectNode> get(ResourceType<?> type, String namespace, String name);

    /** The latest objects of {@code type} in {@code namespace} (all namespaces when null) whose labels {@code selector} matches. */
    List<ObjectNode> list(ResourceType<?> type, String namespace, JsonNode selector);

    /** The served type behind a group, version and resource (plural), if any: what a REST mapper's KindsFor finds. */
    default Optional<ResourceType<?>> find(String group, String version, String resource) {
        return Optional.empty();
    }

    /** The OpenAPI schema of a custom resource's version ({@code type}'s); empty for built-in kinds. */
    default Optional<JsonNode> customSchema(ResourceType<?> type) {
        return Optional.empty();
    }

    /** How objects of {@code type} merge (list types, atomic maps and structs), for apply configurations. */
    default Schema schemaOf(ResourceType<?> type) {
        return Schema.UNTYPED;
    }
}
