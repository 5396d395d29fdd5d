package io.kardia.kubeapi;

import java.util.Locale;

/**
 * JSON types of Kubernetes fields. Besides JSON's own, the special types of apimachinery keep
 * their meaning: a Quantity, an IntOrString, a Time are strings (or numbers) with rules of their own.
 */
public enum FieldType {
    STRING,
    /** base64 in JSON ({@code []byte} in Go). */
    BYTES,
    BOOLEAN,
    INTEGER,
    NUMBER,
    /** A struct with a schema ({@link FieldSchema#ref()}), or a free-form object when it has none. */
    OBJECT,
    /** A free-form object ({@code FieldsV1}: managed fields). */
    FREE_OBJECT,
    /** {@code resource.Quantity}: a string such as {@code 500m} or {@code 1Gi}, or a number. */
    QUANTITY,
    /** {@code intstr.IntOrString}. */
    INT_OR_STRING,
    /** {@code metav1.Time}: RFC 3339 in seconds. */
    DATE_TIME,
    /** {@code metav1.MicroTime}: RFC 3339 in microseconds. */
    MICRO_TIME,
    /** {@code metav1.Duration}: a Go duration string such as {@code 1h2m}. */
    DURATION,
    /** Any JSON value ({@code runtime.RawExtension}, {@code apiextensions JSON}). */
    ANY,
    /** A JSON array of strings that protobuf wraps in a message ({@code ExtraValue}). */
    STRING_LIST;

    /** The name in catalog data: {@code int-or-string}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static FieldType ofId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
