package io.kardia.kubeapi;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One field of a {@link TypeSchema}: its JSON name and JSON type.
 *
 * @param name        the JSON name, e.g. {@code serviceName}
 * @param type        its JSON type (for a list or map: of each element or value)
 * @param format      {@code int32}, {@code int64}, {@code double} for numbers; null otherwise
 * @param ref         for {@link FieldType#OBJECT} with a schema: the full protobuf name of its type
 * @param array       a JSON array of {@code type}
 * @param map         a JSON object whose values are {@code type}
 * @param protoNumber the field number in the protobuf message (of the inline message, when {@code inline} is set)
 * @param inline      null, or for a field of a struct Go embeds inline: the protobuf field(s) it comes through,
 *                    e.g. {@code ingressRuleValue} for IngressRule's {@code http} ({@code a.b} when nested)
 * @param merge       how lists, maps and structs in the field merge (the release's markers)
 * @param defaultValue the release's {@code +default} of the field (a JSON literal), or null
 */
public record FieldSchema(String name, FieldType type, String format, String ref, boolean array, boolean map,
                          int protoNumber, String inline, MergeMarkers merge, JsonNode defaultValue) {
}
