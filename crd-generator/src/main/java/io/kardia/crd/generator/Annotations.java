package io.kardia.crd.generator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * The annotations on a record component, wherever Java put them: on the component, its accessor,
 * its field, or its type (jakarta's constraints are also type-use annotations). Read by name, so
 * the generator needs neither jakarta.validation nor controller-runtime on its own class path.
 */
final class Annotations {
    private final Elements elements;
    private final List<AnnotationMirror> mirrors;

    private Annotations(Elements elements, List<AnnotationMirror> mirrors) {
        this.elements = elements;
        this.mirrors = mirrors;
    }

    static Annotations of(Elements elements, RecordComponentElement component) {
        List<AnnotationMirror> all = new ArrayList<>(component.getAnnotationMirrors());
        ExecutableElement accessor = component.getAccessor();
        if (accessor != null) {
            all.addAll(accessor.getAnnotationMirrors());
        }
        TypeElement record = (TypeElement) component.getEnclosingElement();
        for (var field : ElementFilter.fieldsIn(record.getEnclosedElements())) {
            if (field.getSimpleName().contentEquals(component.getSimpleName())) {
                all.addAll(field.getAnnotationMirrors());
            }
        }
        all.addAll(component.asType().getAnnotationMirrors());
        return new Annotations(elements, dedupe(all));
    }

    static Annotations of(Elements elements, Element element) {
        return new Annotations(elements, List.copyOf(element.getAnnotationMirrors()));
    }

    private static List<AnnotationMirror> dedupe(List<AnnotationMirror> all) {
        Map<String, AnnotationMirror> byText = new LinkedHashMap<>();
        for (AnnotationMirror m : all) {
            byText.putIfAbsent(m.toString(), m);
        }
        return List.copyOf(byText.values());
    }

    /** Whether an annotation with this qualified name is present. */
    boolean has(String qualifiedName) {
        return find(qualifiedName).isPresent();
    }

    /** Whether an annotation with this simple name (any package) is present, e.g. {@code Nullable}. */
    boolean hasSimpleName(String simpleName) {
        return mirrors.stream().anyMatch(m -> m.getAnnotationType().asElement().getSimpleName().contentEquals(simpleName));
    }

    /** The values (defaults included) of the first annotation with one of these qualified names. */
    Optional<Map<String, Object>> find(String... qualifiedNames) {
        for (AnnotationMirror m : mirrors) {
            String name = ((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().toString();
            for (String wanted : qualifiedNames) {
                if (name.equals(wanted)) {
                    return Optional.of(values(m));
                }
            }
        }
        return Optional.empty();
    }

    /** Every occurrence of a repeatable annotation, direct or inside its container. */
    List<Map<String, Object>> all(String qualifiedName, String containerName) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (AnnotationMirror m : mirrors) {
            String name = ((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().toString();
            if (name.equals(qualifiedName)) {
                out.add(values(m));
            } else if (name.equals(containerName)) {
                for (Object inner : list(values(m).get("value"))) {
                    out.add(values((AnnotationMirror) inner));
                }
            }
        }
        return out;
    }

    Map<String, Object> values(AnnotationMirror mirror) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
                : elements.getElementValuesWithDefaults(mirror).entrySet()) {
            out.put(e.getKey().getSimpleName().toString(), unwrap(e.getValue().getValue()));
        }
        return out;
    }

    private static Object unwrap(Object value) {
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object o : list) {
                out.add(unwrap(o instanceof AnnotationValue av ? av.getValue() : o));
            }
            return out;
        }
        return value;
    }

    static List<?> list(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }
}
