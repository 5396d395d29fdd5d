package io.kardia.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import java.io.IOException;

/** Decodes JSON strings through the {@link StringCache}; anything else as Jackson's own deserializer does. */
final class SharedStringDeserializer extends StdScalarDeserializer<String> {
    private final transient StringCache cache;

    SharedStringDeserializer(StringCache cache) {
        super(String.class);
        this.cache = cache;
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.hasToken(JsonToken.VALUE_STRING)) {
            return cache.of(p);
        }
        return StringDeserializer.instance.deserialize(p, ctxt);
    }

    @Override
    public boolean isCachable() {
        return true;
    }
}
