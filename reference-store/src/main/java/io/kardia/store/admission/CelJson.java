package io.kardia.store.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.store.cel.JsonCelValue;

/** JSON objects as CEL values for admission expressions (typed dyn), read lazily ({@link JsonCelValue}). */
final class CelJson {
    private CelJson() {
    }

    static Object value(JsonNode v) {
        return JsonCelValue.untyped(v);
    }
}
