package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/**
 * metav1.LabelSelectorRequirement: {@code key}, {@code operator} (In, NotIn, Exists, DoesNotExist)
 * and {@code values}. The operator stays a string so an object with an unknown operator still
 * decodes (and is then reported by {@link LabelSelector#validate(String)}).
 */
public record LabelSelectorRequirement(
        String key,
        String operator,
        List<String> values,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public static final String IN = "In";
    public static final String NOT_IN = "NotIn";
    public static final String EXISTS = "Exists";
    public static final String DOES_NOT_EXIST = "DoesNotExist";

    public LabelSelectorRequirement {
        values = Frozen.list(values);
        extra = Frozen.tree(extra);
    }

    public LabelSelectorRequirement(String key, String operator, List<String> values) {
        this(key, operator, values, null);
    }

    public static LabelSelectorRequirement in(String key, String... values) {
        return new LabelSelectorRequirement(key, IN, List.of(values));
    }

    public static LabelSelectorRequirement notIn(String key, String... values) {
        return new LabelSelectorRequirement(key, NOT_IN, List.of(values));
    }

    public static LabelSelectorRequirement exists(String key) {
        return new LabelSelectorRequirement(key, EXISTS, List.of());
    }

    public static LabelSelectorRequirement doesNotExist(String key) {
        return new LabelSelectorRequirement(key, DOES_NOT_EXIST, List.of());
    }
}
