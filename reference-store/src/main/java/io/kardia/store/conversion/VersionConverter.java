package io.kardia.store.conversion;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Converts the objects of one resource between the versions it is served in, as kube-apiserver's
 * conversion functions (built-ins) or a CRD's conversion strategy do. The store keeps every object
 * in one storage version and converts requests and responses in other served versions through this.
 */
public interface VersionConverter {
    /**
     * The object (in the version its {@code apiVersion} names) in {@code toVersion}: a new tree,
     * with {@code apiVersion} set to the target; the input is never modified. An object already in
     * {@code toVersion} comes back normalized the way a write in that version stores it.
     *
     * @throws io.kardia.core.client.KubeApiException (400) when the object cannot be converted
     */
    ObjectNode convert(ObjectNode object, String toVersion);
}
