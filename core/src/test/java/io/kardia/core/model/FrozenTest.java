package io.kardia.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrozenTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 8, 9, 16, 17, 100, 1000})
    void compactMapsBehaveLikeTheLinkedHashMapTheyCopy(int size) {
        Random random = new Random(size);
        LinkedHashMap<String, Object> source = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            source.put("key-" + random.nextInt(size * 10) + "-" + i, i % 5 == 0 ? null : "v" + i);
        }

        Map<String, Object> frozen = Frozen.tree(source);

        assertThat(frozen).isEqualTo(source).hasSameHashCodeAs(source);
        assertThat(source).isEqualTo(frozen);
        assertThat(new ArrayList<>(frozen.keySet())).containsExactlyElementsOf(source.keySet());
        for (String key : source.keySet()) {
            assertThat(frozen.containsKey(key)).as(key).isTrue();
            assertThat(frozen.get(key)).as(key).isEqualTo(source.get(key));
        }
        assertThat(frozen.get("absent")).isNull();
        assertThat(frozen.containsKey("absent")).isFalse();
        assertThat(frozen.get(null)).isNull();
        assertThat(frozen.get(42)).isNull();
        assertThatThrownBy(() -> frozen.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> frozen.remove(frozen.keySet().iterator().next()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(frozen::clear).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void repeatedKeysKeepTheFirstPositionAndTheLastValueAsJsonDecodersDo() {
        for (int size : new int[] {3, 30}) {
            List<Object> pairs = new ArrayList<>();
            LinkedHashMap<String, Object> expected = new LinkedHashMap<>();
            for (int i = 0; i < size; i++) {
                String key = "k" + (i % (size / 3 + 1));
                pairs.add(key);
                pairs.add(i);
                expected.put(key, i);
            }
            Map<String, Object> frozen = Frozen.treeOfPairs(pairs.toArray(), size);
            assertThat(frozen).as("size %d", size).isEqualTo(expected);
            assertThat(new ArrayList<>(frozen.keySet())).containsExactlyElementsOf(expected.keySet());
        }
    }

    @Test
    void treesAreFrozenAllTheWayDownAndNotCopiedAgain() {
        Map<String, Object> inner = new HashMap<>();
        inner.put("list", new ArrayList<>(Arrays.asList(1, null, new HashMap<>(Map.of("a", "b")))));
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("inner", inner);

        Map<String, Object> frozen = Frozen.tree(outer);
        inner.clear(); // the source may change afterwards: the frozen copy must not

        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) ((Map<String, Object>) frozen.get("inner")).get("list");
        assertThat(list).hasSize(3).containsNull();
        assertThatThrownBy(() -> list.add(2)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> list.set(0, 2)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> deepest = (Map<String, Object>) list.get(2);
        assertThatThrownBy(() -> deepest.put("c", "d")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(Frozen.tree(frozen)).isSameAs(frozen);
        assertThat(Frozen.map(frozen)).isSameAs(frozen);
    }

    @Test
    void pairsArraysAreCopiedSoCallersMayReuseThem() {
        Object[] pairs = {"a", 1, "b", 2};
        Map<String, Object> frozen = Frozen.treeOfPairs(pairs, 2);
        pairs[1] = 99;
        assertThat(frozen).containsExactly(Map.entry("a", 1), Map.entry("b", 2));
        Object[] items = {"x", "y"};
        List<Object> list = Frozen.treeListOf(items, 1);
        items[0] = "z";
        assertThat(list).containsExactly("x");
    }

    @Test
    void badInputIsRefusedClearly() {
        assertThatThrownBy(() -> Frozen.treeOfPairs(new Object[] {1, "v"}, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keys must be strings");
        Map<String, String> withNullKey = new HashMap<>();
        withNullKey.put(null, "v");
        assertThatThrownBy(() -> Frozen.map(withNullKey)).isInstanceOf(NullPointerException.class);
        assertThat(Frozen.map(null)).isEmpty();
        assertThat(Frozen.tree(Map.of())).isEmpty();
    }
}
