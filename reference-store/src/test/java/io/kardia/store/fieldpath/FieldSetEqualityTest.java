package io.kardia.store.fieldpath;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link FieldSet#equals}, {@link FieldSet#intersects} and {@link FieldSet#containsAll} are decided on the trees; they must agree with the encoded JSON, {@link FieldSet#intersection} and {@link FieldSet#union}. */
class FieldSetEqualityTest {
    private static final List<PathElement> ELEMENTS = List.of(PathElement.field("a"), PathElement.field("b"),
            PathElement.field("c"), new PathElement.Index(0));

    private static FieldSet random(SplittableRandom r) {
        FieldSet s = new FieldSet();
        int paths = r.nextInt(5);
        for (int i = 0; i < paths; i++) {
            List<PathElement> p = new ArrayList<>();
            int depth = 1 + r.nextInt(3);
            for (int d = 0; d < depth; d++) {
                p.add(ELEMENTS.get(r.nextInt(ELEMENTS.size())));
            }
            s.insert(p);
        }
        return s;
    }

    @Test
    void equalityAndOverlapAgreeWithTheEncodingAndTheIntersection() {
        SplittableRandom r = new SplittableRandom(19);
        int equalPairs = 0;
        for (int i = 0; i < 20_000; i++) {
            FieldSet a = random(r);
            FieldSet b = r.nextInt(4) == 0 ? FieldsV1.decode(FieldsV1.encode(a)) : random(r);
            boolean sameJson = FieldsV1.encode(a).equals(FieldsV1.encode(b));
            assertThat(a.equals(b)).as("%s vs %s", a, b).isEqualTo(sameJson);
            assertThat(b.equals(a)).isEqualTo(sameJson);
            if (sameJson) {
                equalPairs++;
                assertThat(a.hashCode()).isEqualTo(b.hashCode());
            }
            assertThat(a.intersects(b)).as("%s meets %s", a, b).isEqualTo(!a.intersection(b).isEmpty());
            assertThat(a.difference(b).equals(a)).isEqualTo(!a.intersects(b) || a.isEmpty());
            assertThat(a.containsAll(b)).as("%s holds %s", a, b).isEqualTo(a.union(b).equals(a));
        }
        assertThat(equalPairs).as("the sample holds equal pairs").isGreaterThan(1000);
    }
}
