package io.kardia.core.selector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Canonical strings re-parse to the same selector, and matching agrees with a naive model. */
class SelectorPropertyTest {

    @Property(tries = 300)
    void canonicalFormRoundTripsAndMatchesTheSame(@ForAll("selectors") List<Requirement> reqs,
                                                  @ForAll("labelSets") Map<String, String> labels) {
        Selector sel = Selector.of(reqs);
        Selector reparsed = Selector.parse(sel.toString());
        assertThat(reparsed).isEqualTo(sel);
        assertThat(reparsed.toString()).isEqualTo(sel.toString());
        boolean naive = reqs.stream().allMatch(r -> naiveMatch(r, labels));
        assertThat(reparsed.matches(labels)).isEqualTo(naive);
    }

    private static boolean naiveMatch(Requirement r, Map<String, String> labels) {
        boolean has = labels.containsKey(r.key());
        String v = labels.get(r.key());
        return switch (r.operator()) {
            case EQUALS, DOUBLE_EQUALS, IN -> has && r.values().contains(v);
            case NOT_EQUALS, NOT_IN -> !has || !r.values().contains(v);
            case EXISTS -> has;
            case DOES_NOT_EXIST -> !has;
            case GREATER_THAN, LESS_THAN -> throw new AssertionError("not generated");
        };
    }

    private static Arbitrary<String> keys() {
        return Arbitraries.of("a", "b", "app", "example.com/tier", "in", "notin", "x.y_z-1");
    }

    private static Arbitrary<String> values() {
        return Arbitraries.of("", "1", "v", "in", "notin", "prod", "a.b-c_d");
    }

    @Provide
    Arbitrary<List<Requirement>> selectors() {
        Arbitrary<Operator> ops = Arbitraries.of(Operator.EQUALS, Operator.DOUBLE_EQUALS, Operator.NOT_EQUALS,
                Operator.IN, Operator.NOT_IN, Operator.EXISTS, Operator.DOES_NOT_EXIST);
        Arbitrary<Requirement> req = Combinators.combine(keys(), ops, values().list().ofMinSize(1).ofMaxSize(3))
                .as((k, op, vs) -> switch (op) {
                    case EXISTS, DOES_NOT_EXIST -> new Requirement(k, op, List.of());
                    case IN, NOT_IN -> new Requirement(k, op, vs);
                    default -> new Requirement(k, op, List.of(vs.get(0)));
                });
        return req.list().ofMaxSize(5).map(ArrayList::new);
    }

    @Provide
    Arbitrary<Map<String, String>> labelSets() {
        return Arbitraries.maps(keys(), values()).ofMaxSize(5);
    }
}
