package io.kardia.core.json;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.Deserializers;
import com.fasterxml.jackson.databind.deser.ResolvableDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.kardia.core.model.Frozen;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Decodes Kardia's model records (io.kardia.core.model) in one pass: each field goes straight
 * into its slot of the canonical constructor's arguments, unknown fields into the record's
 * {@code extra} tree, then the constructor runs once. Jackson's general creator path buffers
 * every property, looks each up in a HashMap and asks every absent one for its default; on a
 * list of thousands of objects that was about a quarter of decoding. Field values still decode
 * with Jackson's own deserializers for their types, so what is accepted does not change.
 */
final class ModelRecordDeserializer extends StdDeserializer<Object> implements ResolvableDeserializer {
    private static final Set<Class<? extends Annotation>> HANDLED = Set.of(JsonAnySetter.class, JsonAnyGetter.class,
            JsonProperty.class, JsonSerialize.class, JsonInclude.class);

    private final Constructor<?> constructor;
    private final String[] names;
    private final JavaType[] types;
    private final Object[] defaults;
    private final Map<String, Integer> slots = new HashMap<>();
    private final int extraSlot;
    private final FrozenTreeDeserializer trees;
    private JsonDeserializer<Object>[] values;

    private ModelRecordDeserializer(JavaType type, RecordComponent[] components, int extraSlot,
                                    FrozenTreeDeserializer trees, DeserializationConfig config) throws NoSuchMethodException {
        super(type);
        Class<?>[] raw = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        this.constructor = type.getRawClass().getDeclaredConstructor(raw);
        this.constructor.setAccessible(true);
        this.names = new String[components.length];
        this.types = new JavaType[components.length];
        this.defaults = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            JsonProperty renamed = annotated(components[i]).getAnnotation(JsonProperty.class);
            names[i] = renamed != null && !renamed.value().isEmpty() ? renamed.value() : components[i].getName();
            types[i] = config.getTypeFactory().constructType(components[i].getGenericType());
            defaults[i] = raw[i].isPrimitive() ? java.lang.reflect.Array.get(java.lang.reflect.Array.newInstance(raw[i], 1), 0) : null;
            if (i != extraSlot) {
                slots.put(names[i], i);
            }
        }
        this.extraSlot = extraSlot;
        this.trees = trees;
    }

    /** Finds the records this deserializer takes: model records whose annotations it fully understands. */
    static Deserializers finder(FrozenTreeDeserializer trees) {
        return new Deserializers.Base() {
            @Override
            public JsonDeserializer<?> findBeanDeserializer(JavaType type, DeserializationConfig config,
                                                            BeanDescription beanDesc) throws JsonMappingException {
                Class<?> raw = type.getRawClass();
                if (!raw.isRecord() || !raw.getPackageName().equals("io.kardia.core.model")
                        || raw.isAnnotationPresent(com.fasterxml.jackson.databind.annotation.JsonDeserialize.class)) {
                    return null;
                }
                RecordComponent[] components = raw.getRecordComponents();
                int extra = -1;
                for (int i = 0; i < components.length; i++) {
                    java.lang.reflect.AnnotatedElement field = annotated(components[i]);
                    for (Annotation a : field.getAnnotations()) {
                        if (a.annotationType().getPackageName().startsWith("com.fasterxml.jackson")
                                && !HANDLED.contains(a.annotationType())) {
                            return null; // something Jackson's own path knows how to honour
                        }
                    }
                    if (field.isAnnotationPresent(JsonAnySetter.class)) {
                        if (extra >= 0 || !Map.class.isAssignableFrom(components[i].getType())) {
                            return null;
                        }
                        extra = i;
                    }
                }
                try {
                    return new ModelRecordDeserializer(type, components, extra, trees, config);
                } catch (NoSuchMethodException e) {
                    return null;
                }
            }
        };
    }

    /**
     * Where a component's Jackson annotations end up: Jackson's annotations do not target record
     * components, so Java propagates them to the component's field (and constructor parameter).
     */
    private static java.lang.reflect.AnnotatedElement annotated(RecordComponent component) {
        try {
            return component.getDeclaringRecord().getDeclaredField(component.getName());
        } catch (NoSuchFieldException e) {
            return component; // every record component has a field; kept for completeness
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void resolve(DeserializationContext ctxt) throws JsonMappingException {
        JsonDeserializer<Object>[] found = new JsonDeserializer[types.length];
        for (int i = 0; i < types.length; i++) {
            if (i != extraSlot) {
                found[i] = ctxt.findContextualValueDeserializer(types[i], null);
            }
        }
        values = found;
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        String name;
        if (p.isExpectedStartObjectToken()) {
            name = p.nextFieldName();
        } else if (p.hasToken(JsonToken.FIELD_NAME)) {
            name = p.currentName();
        } else if (p.hasToken(JsonToken.END_OBJECT)) {
            name = null;
        } else {
            return ctxt.handleUnexpectedToken(handledType(), p);
        }
        Object[] args = defaults.clone();
        Object[] extra = null;
        int extraCount = 0;
        for (; name != null; name = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            Integer slot = slots.get(name);
            try {
                if (slot != null) {
                    int i = slot;
                    args[i] = t == JsonToken.VALUE_NULL ? values[i].getNullValue(ctxt) : values[i].deserialize(p, ctxt);
                    if (args[i] == null) {
                        args[i] = defaults[i];
                    }
                } else if (extraSlot >= 0) {
                    Object value = t == JsonToken.VALUE_NULL ? null : trees.deserialize(p, ctxt);
                    if (extra == null) {
                        extra = new Object[8];
                    } else if (2 * extraCount + 2 > extra.length) {
                        extra = Arrays.copyOf(extra, extra.length * 2);
                    }
                    extra[2 * extraCount] = name;
                    extra[2 * extraCount + 1] = value;
                    extraCount++;
                } else {
                    p.skipChildren();
                }
            } catch (IOException | RuntimeException e) {
                throw JsonMappingException.wrapWithPath(e, handledType(), name);
            }
        }
        if (extraSlot >= 0 && extra != null) {
            args[extraSlot] = Frozen.treeOfPairs(extra, extraCount);
        }
        try {
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            return ctxt.handleInstantiationProblem(handledType(), args, cause);
        } catch (ReflectiveOperationException e) {
            return ctxt.handleInstantiationProblem(handledType(), args, e);
        }
    }

    @Override
    public boolean isCachable() {
        return true;
    }
}
