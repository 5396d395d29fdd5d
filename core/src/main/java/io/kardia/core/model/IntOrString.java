package io.kardia.core.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * intstr.IntOrString: a JSON integer ({@code 1}) or string ({@code "25%"}), written back in the
 * form it was read. Exactly one of {@code intValue} / {@code strValue} is set.
 */
@JsonSerialize(using = IntOrString.Serializer.class)
@JsonDeserialize(using = IntOrString.Deserializer.class)
public record IntOrString(Integer intValue, String strValue) {

    public IntOrString {
        if ((intValue == null) == (strValue == null)) {
            throw new IllegalArgumentException("IntOrString needs exactly one of an int or a string");
        }
    }

    public static IntOrString of(int value) {
        return new IntOrString(value, null);
    }

    public static IntOrString of(String value) {
        return new IntOrString(null, value);
    }

    /** {@code 25%}. */
    public static IntOrString percent(int percent) {
        return new IntOrString(null, percent + "%");
    }

    public boolean isInt() {
        return intValue != null;
    }

    /**
     * Kubernetes' {@code GetScaledValueFromIntOrPercent}: an int as is, {@code "N%"} as N% of
     * {@code total}, rounded up or down; a plain numeric string is not accepted.
     *
     * @throws IllegalArgumentException for a string that is not a percentage
     */
    public int scaledValue(int total, boolean roundUp) {
        if (intValue != null) {
            return intValue;
        }
        if (!strValue.endsWith("%")) {
            throw new IllegalArgumentException("invalid value for IntOrString: invalid type: string is not a "
                    + "percentage: \"" + strValue + "\"");
        }
        int pct;
        try {
            pct = Integer.parseInt(strValue.substring(0, strValue.length() - 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid value \"" + strValue + "\": not an integer percentage", e);
        }
        long product = (long) pct * total;
        return (int) (roundUp ? Math.ceilDiv(product, 100) : Math.floorDiv(product, 100));
    }

    @Override
    public String toString() {
        return intValue != null ? intValue.toString() : strValue;
    }

    static final class Serializer extends StdSerializer<IntOrString> {
        Serializer() {
            super(IntOrString.class);
        }

        @Override
        public void serialize(IntOrString v, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (v.intValue != null) {
                gen.writeNumber(v.intValue);
            } else {
                gen.writeString(v.strValue);
            }
        }
    }

    static final class Deserializer extends StdDeserializer<IntOrString> {
        Deserializer() {
            super(IntOrString.class);
        }

        @Override
        public IntOrString deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NUMBER_INT) {
                return IntOrString.of(p.getIntValue());
            }
            if (t == JsonToken.VALUE_STRING) {
                return IntOrString.of(p.getText());
            }
            return (IntOrString) ctxt.handleUnexpectedToken(IntOrString.class, p);
        }
    }
}
