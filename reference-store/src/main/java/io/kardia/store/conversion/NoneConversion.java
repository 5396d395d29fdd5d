package io.kardia.store.conversion;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A CRD's {@code conversion.strategy: None}: objects change version by their {@code apiVersion}
 * only, every other field as it is (kube-apiserver's nopConverter).
 */
public final class NoneConversion implements VersionConverter {
    private final String group;

    public NoneConversion(String group) {
        this.group = group;
    }

    @Override
    public ObjectNode convert(ObjectNode object, String toVersion) {
        ObjectNode out = object.deepCopy();
        out.put("apiVersion", group + "/" + toVersion);
        return out;
    }
}
