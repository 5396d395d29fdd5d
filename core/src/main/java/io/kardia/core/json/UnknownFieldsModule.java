package io.kardia.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.kardia.core.crd.CustomResource;
import java.io.IOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Decodes and encodes the undeclared fields of custom resource records ({@link UnknownFields}).
 * Only user records are wrapped (not Kardia's model records, which keep an {@code extra} map): their
 * deserializers check at each call whether the class retains (one set lookup otherwise); serializers
 * are wrapped only for the classes that retain when the serializer is built.
 */
final class UnknownFieldsModule extends SimpleModule {

    UnknownFieldsModule() {
        super("kardia-unknown-fields");
        setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription beanDesc,
                                                          JsonDeserializer<?> deserializer) {
                Class<?> type = beanDesc.getBeanClass();
                if (!candidate(type)) {
                    return deserializer;
                }
                if (CustomResource.class.isAssignableFrom(type)) {
                    UnknownFields.retainIn(type);
                }
                Set<String> known = new HashSet<>();
                for (BeanPropertyDefinition p : beanDesc.findProperties()) {
                    known.add(p.getName());
                }
                known.add("apiVersion");
                known.add("kind");
                return new Retaining(deserializer, type, Set.copyOf(known));
            }
        });
        setSerializerModifier(new BeanSerializerModifier() {
            @Override
            @SuppressWarnings("unchecked")
            public JsonSerializer<?> modifySerializer(SerializationConfig config, BeanDescription beanDesc,
                                                      JsonSerializer<?> serializer) {
                Class<?> type = beanDesc.getBeanClass();
                if (!candidate(type)) {
                    return serializer;
                }
                if (CustomResource.class.isAssignableFrom(type)) {
                    UnknownFields.retainIn(type);
                }
                // Only the records that retain: other user records keep Jackson's serializer untouched.
                return UnknownFields.retains(type) ? new Restoring((JsonSerializer<Object>) serializer, type) : serializer;
            }
        });
    }

    private static boolean candidate(Class<?> type) {
        return type.isRecord() && !type.getPackageName().equals("io.kardia.core.model")
                && !type.getPackageName().startsWith("java.") && !UnknownFields.declaresOwnExtra(type);
    }

    /** Reads the object as a tree, decodes it with the record's own deserializer and keeps the rest. */
    private static final class Retaining extends DelegatingDeserializer {
        private final Class<?> type;
        private final Set<String> known;

        Retaining(JsonDeserializer<?> delegate, Class<?> type, Set<String> known) {
            super(delegate);
            this.type = type;
            this.known = known;
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
            return new Retaining(newDelegatee, type, known);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!UnknownFields.retains(type) || !(p.isExpectedStartObjectToken() || p.hasToken(JsonToken.FIELD_NAME))) {
                return _delegatee.deserialize(p, ctxt);
            }
            JsonNode tree = ctxt.readTree(p);
            Map<String, Object> unknown = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!known.contains(field.getKey())) {
                    unknown.put(field.getKey(), ctxt.readTreeAsValue(field.getValue(), Object.class));
                }
            }
            JsonParser replay = tree.traverse(p.getCodec());
            replay.nextToken();
            Object value = _delegatee.deserialize(replay, ctxt);
            UnknownFields.remember(value, unknown);
            return value;
        }
    }

    /** Writes the record with its own serializer, then the undeclared fields it was decoded with. */
    private static final class Restoring extends StdSerializer<Object>
            implements com.fasterxml.jackson.databind.ser.ContextualSerializer,
            com.fasterxml.jackson.databind.ser.ResolvableSerializer {
        private final JsonSerializer<Object> delegate;

        @SuppressWarnings("unchecked")
        Restoring(JsonSerializer<Object> delegate, Class<?> type) {
            super((Class<Object>) type);
            this.delegate = delegate;
        }

        @Override
        public void serialize(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            Map<String, Object> unknown = UnknownFields.of(value);
            if (unknown.isEmpty()) {
                delegate.serialize(value, gen, provider);
                return;
            }
            TokenBuffer buffer = new TokenBuffer(gen.getCodec(), false);
            delegate.serialize(value, buffer, provider);
            Set<String> written = new HashSet<>();
            try (JsonParser p = buffer.asParser(gen.getCodec())) {
                p.nextToken(); // START_OBJECT
                gen.writeStartObject(value);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    written.add(p.currentName());
                    gen.writeFieldName(p.currentName());
                    p.nextToken();
                    gen.copyCurrentStructure(p);
                }
            }
            for (Map.Entry<String, Object> field : unknown.entrySet()) {
                if (!written.contains(field.getKey())) {
                    gen.writeFieldName(field.getKey());
                    provider.defaultSerializeValue(field.getValue(), gen);
                }
            }
            gen.writeEndObject();
        }

        @Override
        public void resolve(SerializerProvider provider) throws com.fasterxml.jackson.databind.JsonMappingException {
            if (delegate instanceof com.fasterxml.jackson.databind.ser.ResolvableSerializer r) {
                r.resolve(provider);
            }
        }

        @Override
        public JsonSerializer<?> createContextual(SerializerProvider provider,
                                                  com.fasterxml.jackson.databind.BeanProperty property)
                throws com.fasterxml.jackson.databind.JsonMappingException {
            JsonSerializer<?> contextual = delegate instanceof com.fasterxml.jackson.databind.ser.ContextualSerializer c
                    ? c.createContextual(provider, property) : delegate;
            @SuppressWarnings("unchecked")
            JsonSerializer<Object> d = (JsonSerializer<Object>) contextual;
            return d == delegate ? this : new Restoring(d, handledType());
        }

        @Override
        public void serializeWithType(Object value, JsonGenerator gen, SerializerProvider provider,
                                      com.fasterxml.jackson.databind.jsontype.TypeSerializer typeSer) throws IOException {
            delegate.serializeWithType(value, gen, provider, typeSer); // polymorphic records: Jackson's own path
        }

        @Override
        public boolean isEmpty(SerializerProvider provider, Object value) {
            return delegate.isEmpty(provider, value) && UnknownFields.of(value).isEmpty();
        }
    }
}
