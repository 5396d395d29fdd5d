package io.kardia.core.selector;

import java.util.Set;
import java.util.function.Function;

/**
 * A parsed field selector ({@code spec.nodeName=n1,status.phase!=Running}); only {@code =},
 * {@code ==} and {@code !=} exist, as in Kubernetes. (Signature fixed; implementation in progress.)
 */
public interface FieldSelector {

    FieldSelector EVERYTHING = new FieldSelector() {
        @Override
        public boolean matches(Function<String, String> fieldValue) {
            return true;
        }

        @Override
        public Set<String> fields() {
            return Set.of();
        }
    };

    /** {@code fieldValue} gives an object's value for a field path ("" when absent). */
    boolean matches(Function<String, String> fieldValue);

    /** The field paths this selector reads, to check them against what a kind supports. */
    Set<String> fields();

    static FieldSelector parse(String selector) {
        if (selector == null || selector.isBlank()) {
            return EVERYTHING;
        }
        throw new UnsupportedOperationException("field selector parsing not implemented yet");
    }
}
