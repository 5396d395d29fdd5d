package io.kardia.crd.generator;

import javax.lang.model.element.Element;

/** A type the generator cannot express; reported as a compile error on {@link #element()}. */
final class GenerationException extends RuntimeException {
    private final transient Element element;

    GenerationException(Element element, String message) {
        super(message);
        this.element = element;
    }

    Element element() {
        return element;
    }
}
