package io.kardia.store.protobuf;

/**
 * Where in an object a value is ({@code spec.containers[0].ports[1]}), built as a chain and turned
 * into text only for an error message: converting a valid object costs no string building.
 */
final class FieldPath {
    static final FieldPath ROOT = new FieldPath(null, null, -1);

    private final FieldPath parent;
    private final String name;
    private final int index;

    private FieldPath(FieldPath parent, String name, int index) {
        this.parent = parent;
        this.name = name;
        this.index = index;
    }

    FieldPath field(String field) {
        return new FieldPath(this, field, -1);
    }

    FieldPath index(int i) {
        return new FieldPath(this, null, i);
    }

    FieldPath key(String key) {
        return new FieldPath(this, "[" + key + "]", -2);
    }

    /** {@code "spec.replicas: "}, or "" at the root. */
    String prefix() {
        return this == ROOT ? "" : this + ": ";
    }

    @Override
    public String toString() {
        if (parent == null) {
            return "";
        }
        String head = parent.toString();
        if (index >= 0) {
            return head + "[" + index + "]";
        }
        if (index == -2) {
            return head + name;
        }
        return head.isEmpty() ? name : head + "." + name;
    }
}
