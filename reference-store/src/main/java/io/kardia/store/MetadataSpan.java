package io.kardia.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.kardia.core.json.Json;
import java.io.IOException;

/**
 * Finds the bytes of an object's top-level {@code metadata} object inside its serialized JSON, so
 * metadata-only answers copy that slice instead of serializing the metadata tree again per request.
 */
final class MetadataSpan {
    private MetadataSpan() {
    }

    /**
     * The span of {@code metadata}'s value: start offset in the high 32 bits, length in the low 32;
     * {@link StoredObject#NO_SPAN} when the bytes have no top-level {@code metadata} object.
     */
    static long find(byte[] json) {
        try (JsonParser p = Json.mapper().getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return StoredObject.NO_SPAN;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean metadata = "metadata".equals(p.currentName());
                JsonToken value = p.nextToken();
                if (metadata) {
                    if (value != JsonToken.START_OBJECT) {
                        return StoredObject.NO_SPAN;
                    }
                    long start = p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                    long end = p.currentLocation().getByteOffset();
                    if (start < 0 || end <= start || end > json.length || json[(int) start] != '{' || json[(int) end - 1] != '}') {
                        return StoredObject.NO_SPAN;
                    }
                    return (start << 32) | (end - start);
                }
                p.skipChildren();
            }
            return StoredObject.NO_SPAN;
        } catch (IOException e) {
            return StoredObject.NO_SPAN;
        }
    }
}
