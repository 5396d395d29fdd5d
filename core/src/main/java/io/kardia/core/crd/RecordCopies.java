package io.kardia.core.crd;

import io.kardia.core.json.UnknownFields;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/** Copies a record with one component replaced, through its canonical constructor; unknown fields go along. */
final class RecordCopies {
    private record Shape(Constructor<?> constructor, RecordComponent[] components) {
    }

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            try {
                Constructor<?> c = type.getDeclaredConstructor(
                        Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
                c.setAccessible(true);
                return new Shape(c, components);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("record " + type.getName() + " has no canonical constructor", e);
            }
        }
    };

    private RecordCopies() {
    }

    @SuppressWarnings("unchecked")
    static <R> R with(Record record, String component, Object value) {
        Shape shape = SHAPES.get(record.getClass());
        Object[] args = new Object[shape.components().length];
        boolean found = false;
        try {
            for (int i = 0; i < args.length; i++) {
                RecordComponent c = shape.components()[i];
                if (c.getName().equals(component)) {
                    args[i] = value;
                    found = true;
                } else {
                    c.getAccessor().setAccessible(true);
                    args[i] = c.getAccessor().invoke(record);
                }
            }
            if (!found) {
                throw new IllegalArgumentException(record.getClass().getName() + " has no component " + component);
            }
            return (R) UnknownFields.carry(record, shape.constructor().newInstance(args));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("cannot copy " + record.getClass().getName(), e.getCause());
        } catch (IllegalAccessException | InstantiationException e) {
            throw new IllegalStateException("cannot copy " + record.getClass().getName(), e);
        }
    }
}
