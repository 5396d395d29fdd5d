package io.kardia.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonTokenId;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.kardia.core.model.Frozen;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Decodes free-form JSON (the values of the models' {@code extra} maps, a GenericObject's
 * fields, any {@code Object}) straight into {@link Frozen} trees: compact unmodifiable maps and
 * lists, with repeated strings shared through the {@link StringCache}. Jackson's own untyped
 * decoder would build LinkedHashMaps that the models then copy; this builds the final form once.
 */
final class FrozenTreeDeserializer extends StdDeserializer<Object> {
    private final transient StringCache strings;

    FrozenTreeDeserializer(StringCache strings) {
        super(Object.class);
        this.strings = strings;
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        return switch (p.currentTokenId()) {
            case JsonTokenId.ID_START_OBJECT -> readObject(p, ctxt, p.nextFieldName());
            // Jackson may hand over an object whose START_OBJECT it already consumed
            case JsonTokenId.ID_FIELD_NAME -> readObject(p, ctxt, p.currentName());
            case JsonTokenId.ID_END_OBJECT -> Map.of();
            case JsonTokenId.ID_START_ARRAY -> readArray(p, ctxt);
            default -> scalar(p, ctxt);
        };
    }

    private Map<String, Object> readObject(JsonParser p, DeserializationContext ctxt, String firstName)
            throws IOException {
        if (firstName == null) {
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw ctxt.wrongTokenException(p, Object.class, JsonToken.FIELD_NAME, "in a JSON object");
            }
            return Map.of();
        }
        Object[] pairs = new Object[8];
        int count = 0;
        for (String name = firstName; name != null; name = p.nextFieldName()) {
            p.nextToken();
            Object value = valueAtCurrent(p, ctxt);
            if (2 * count + 2 > pairs.length) {
                pairs = Arrays.copyOf(pairs, pairs.length * 2);
            }
            pairs[2 * count] = name;
            pairs[2 * count + 1] = value;
            count++;
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw ctxt.wrongTokenException(p, Object.class, JsonToken.END_OBJECT, "in a JSON object");
        }
        return Frozen.treeOfPairs(pairs, count);
    }

    private List<Object> readArray(JsonParser p, DeserializationContext ctxt) throws IOException {
        Object[] items = new Object[8];
        int count = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == null) {
                throw ctxt.wrongTokenException(p, Object.class, JsonToken.END_ARRAY, "unterminated JSON array");
            }
            if (count == items.length) {
                items = Arrays.copyOf(items, count * 2);
            }
            items[count++] = valueAtCurrent(p, ctxt);
        }
        return Frozen.treeListOf(items, count);
    }

    private Object valueAtCurrent(JsonParser p, DeserializationContext ctxt) throws IOException {
        return switch (p.currentTokenId()) {
            case JsonTokenId.ID_START_OBJECT -> readObject(p, ctxt, p.nextFieldName());
            case JsonTokenId.ID_START_ARRAY -> readArray(p, ctxt);
            default -> scalar(p, ctxt);
        };
    }

    private Object scalar(JsonParser p, DeserializationContext ctxt) throws IOException {
        return switch (p.currentTokenId()) {
            case JsonTokenId.ID_STRING -> strings.of(p);
            // as Jackson's untyped decoder: Integer, Long or BigInteger by size
            case JsonTokenId.ID_NUMBER_INT -> ctxt.hasSomeOfFeatures(F_MASK_INT_COERCIONS)
                    ? _coerceIntegral(p, ctxt) : p.getNumberValue();
            case JsonTokenId.ID_NUMBER_FLOAT -> ctxt.isEnabled(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    ? p.getDecimalValue() : p.getNumberValue();
            case JsonTokenId.ID_TRUE -> Boolean.TRUE;
            case JsonTokenId.ID_FALSE -> Boolean.FALSE;
            case JsonTokenId.ID_NULL -> null;
            case JsonTokenId.ID_EMBEDDED_OBJECT -> p.getEmbeddedObject();
            default -> ctxt.handleUnexpectedToken(Object.class, p);
        };
    }

    @Override
    public boolean isCachable() {
        return true;
    }

    @Override
    public Boolean supportsUpdate(com.fasterxml.jackson.databind.DeserializationConfig config) {
        return Boolean.FALSE;
    }
}
