package io.kardia.kubeapi;

import java.util.List;
import java.util.Map;

/**
 * What Kubernetes documents about a type: its description, each field's description (by JSON
 * name) and the fields it requires, as the release's OpenAPI document has them.
 *
 * @param description the type's description, "" when it has none
 * @param fields      field descriptions by JSON name
 * @param required    JSON names of the required fields
 */
public record TypeDocs(String description, Map<String, String> fields, List<String> required) {
    public TypeDocs {
        fields = Map.copyOf(fields);
        required = List.copyOf(required);
    }
}
