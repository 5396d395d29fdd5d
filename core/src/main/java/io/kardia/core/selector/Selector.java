package io.kardia.core.selector;

import java.util.Map;

/**
 * A parsed label selector ({@code a=b,c!=d,e in (x,y),f notin (z),g,!h}) that matches label maps.
 * Immutable and thread-safe. (Signature fixed; implementation in progress.)
 */
public interface Selector {

    /** Matches every object: the empty selector. */
    Selector EVERYTHING = labels -> true;

    boolean matches(Map<String, String> labels);

    /** True for the selector that matches everything. */
    default boolean isEmpty() {
        return this == EVERYTHING;
    }

    /**
     * Parses the string syntax of kube-apiserver's {@code labelSelector} parameter; null or blank
     * yields {@link #EVERYTHING}.
     *
     * @throws SelectorParseException naming the position and what was expected
     */
    static Selector parse(String selector) {
        if (selector == null || selector.isBlank()) {
            return EVERYTHING;
        }
        throw new UnsupportedOperationException("label selector parsing not implemented yet");
    }
}
