package io.kardia.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldTreesTest {

    @Test
    void numbersCompareByValueWhateverTheirJavaType() {
        assertThat(FieldTrees.contains(3L, 3)).isTrue();
        assertThat(FieldTrees.contains(BigInteger.valueOf(3), 3)).isTrue();
        assertThat(FieldTrees.contains(3.0, 3)).isTrue();
        assertThat(FieldTrees.contains(3.5, 3)).isFalse();
        assertThat(FieldTrees.contains("3", 3)).isFalse();
    }

    @Test
    void aWantedNullMeansAbsent() {
        Map<String, Object> want = new HashMap<>();
        want.put("clusterIP", null);
        assertThat(FieldTrees.contains(Map.of("type", "ClusterIP"), want)).isTrue();
        assertThat(FieldTrees.contains(Map.of("clusterIP", "10.0.0.1"), want)).isFalse();
    }

    @Test
    void mapsAndListsNest() {
        Object have = Map.of("a", List.of(Map.of("x", 1, "y", 2)), "b", true);
        assertThat(FieldTrees.contains(have, Map.of("a", List.of(Map.of("x", 1))))).isTrue();
        assertThat(FieldTrees.contains(have, Map.of("a", List.of(Map.of("x", 2))))).isFalse();
        assertThat(FieldTrees.contains(have, Map.of("a", List.of()))).isFalse();
        assertThat(FieldTrees.contains(have, Map.of("a", Map.of()))).as("a list is not a map").isFalse();
        assertThat(FieldTrees.contains(have, Map.of())).isTrue();
    }

    @Test
    void overlayMergesMapsAndEqualLengthListsAndReplacesTheRest() {
        Map<String, Object> top = new HashMap<>();
        top.put("list", List.of(Map.of("x", 9)));
        top.put("gone", null);
        top.put("scalar", "new");
        Object merged = FieldTrees.overlay(Map.of("list", List.of(Map.of("x", 1, "y", 2)), "gone", 1, "scalar", "old",
                "kept", "k"), top);
        assertThat(merged).isEqualTo(Map.of("list", List.of(Map.of("x", 9, "y", 2)), "scalar", "new", "kept", "k"));
        assertThat(FieldTrees.overlay(List.of(1, 2), List.of(3))).isEqualTo(List.of(3));
        assertThat(FieldTrees.contains(merged, Map.of("list", List.of(Map.of("x", 9)), "scalar", "new"))).isTrue();
    }
}
