package io.kardia.store.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.model.ResourceType;

/**
 * One write as admission sees it (kube's admission.Attributes): the operation, the resource and
 * subresource written, where, the object after the write ({@code null} for DELETE) and before it
 * ({@code null} for CREATE). Objects are the store's private copies: admission must not change them
 * (mutating admission, later, returns a new object instead).
 */
public record AdmissionRequest(Operation operation, ResourceType<?> type, String subresource, String namespace, String name,
                               ObjectNode object, ObjectNode oldObject, boolean dryRun) {
    /** kube's admission operations (CONNECT is not a store write). */
    public enum Operation { CREATE, UPDATE, DELETE }

    /** The resource with its subresource, as admission rules name it ({@code deployments/status}). */
    public String resourceWithSubresource() {
        return subresource == null || subresource.isEmpty() ? type.plural() : type.plural() + "/" + subresource;
    }
}
