package io.kardia.core.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.BeanSerializerBuilder;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import java.io.IOException;
import java.time.Instant;

/**
 * The one JSON configuration Kardia uses, on the wire and on disk.
 *
 * <p>Empty and null fields are left out as Kubernetes' {@code omitempty} does; unknown fields are
 * never an error here (models keep them in their {@code extra} maps); timestamps are RFC 3339.
 * Parsing is bounded (nesting depth, string and document size) so hostile input fails fast with a
 * {@link CodecException} instead of exhausting the stack or the heap. Free-form values decode into
 * {@link io.kardia.core.model.Frozen} trees (compact and unmodifiable) and repeated strings are
 * shared, which is most of what keeps a large informer cache small.
 */
public final class Json {
    /** Deeper nesting than any real object has; stops stack-exhaustion attacks early. */
    public static final int MAX_NESTING_DEPTH = 100;

    /** Shared by every mapper Kardia configures: repeated strings decode to one instance JVM-wide. */
    private static final StringCache STRINGS = new StringCache();
    private static final ObjectMapper MAPPER = configure(JsonMapper.builder().build());

    private Json() {
    }

    /** Applies Kardia's settings to any mapper (the YAML codec shares them). */
    public static <M extends ObjectMapper> M configure(M mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxStringLength(20_000_000)
                .build());
        mapper.registerModule(new JavaTimeModule());
        // Properties read through generated lambdas instead of reflection (Method.invoke per field of
        // every record written): Jackson's own module for it, same output.
        mapper.registerModule(new BlackbirdModule());
        // Free-form content decodes straight into the models' frozen trees; strings are shared.
        FrozenTreeDeserializer trees = new FrozenTreeDeserializer(STRINGS);
        mapper.registerModule(new SimpleModule("kardia-model-records") {
            @Override
            public void setupModule(SetupContext context) {
                super.setupModule(context);
                context.addDeserializers(ModelRecordDeserializer.finder(trees));
            }
        });
        // Custom resource records keep the fields they do not declare (UnknownFields).
        mapper.registerModule(new UnknownFieldsModule());
        mapper.registerModule(new SimpleModule("kardia-any-getters").setSerializerModifier(new BeanSerializerModifier() {
            @Override
            public BeanSerializerBuilder updateBuilder(SerializationConfig config, BeanDescription beanDesc,
                                                       BeanSerializerBuilder builder) {
                // Every model record's extra fields are written through its any-getter, which Jackson
                // calls by reflection with an access check (a caller-class lookup) on every object
                // unless the accessor is made accessible, as it does for other properties.
                if (builder.getAnyGetter() != null && config.canOverrideAccessModifiers()) {
                    builder.getAnyGetter().fixAccess(config);
                }
                return builder;
            }
        }));
        mapper.registerModule(new SimpleModule("kardia-frozen-trees")
                .addDeserializer(Object.class, trees)
                .addDeserializer(String.class, new SharedStringDeserializer(STRINGS))
                .addDeserializer(Instant.class, new Rfc3339InstantDeserializer()));
        // Omit empty fields of our models, but keep free-form content (e.g. managedFields' {}) exact.
        mapper.setDefaultPropertyInclusion(
                JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, JsonInclude.Include.ALWAYS));
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        mapper.disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
        return mapper;
    }

    /** The shared, thread-safe mapper. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] toBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new CodecException("cannot encode " + value.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    public static String toString(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new CodecException("cannot encode " + value.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    public static <T> T fromBytes(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw CodecException.wrap("JSON", type, e);
        }
    }

    public static <T> T fromString(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw CodecException.wrap("JSON", type, e);
        }
    }

    public static JsonNode tree(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw CodecException.wrap("JSON", JsonNode.class, e);
        }
    }

    public static ObjectNode toTree(Object value) {
        return MAPPER.valueToTree(value);
    }

    public static <T> T fromTree(JsonNode tree, Class<T> type) {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw CodecException.wrap("JSON", type, e);
        } catch (IllegalArgumentException e) {
            throw new CodecException("cannot decode " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
