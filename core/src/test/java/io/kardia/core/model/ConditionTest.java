package io.kardia.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionTest {
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2024-05-01T11:00:00Z");

    @Test
    void setKeepsTransitionTimeWhenStatusIsUnchanged() {
        List<Condition> conds = Condition.set(List.of(), Condition.of("Ready", "False", "Starting", null, null), T0);
        assertThat(conds).singleElement().extracting(Condition::lastTransitionTime).isEqualTo(T0);
        List<Condition> same = Condition.set(conds, Condition.of("Ready", "False", "StillStarting", "m", null), T1);
        assertThat(same).singleElement().satisfies(c -> {
            assertThat(c.lastTransitionTime()).isEqualTo(T0);
            assertThat(c.reason()).isEqualTo("StillStarting");
        });
        List<Condition> flipped = Condition.set(same, Condition.of("Ready", "True", "Up", null, null), T1);
        assertThat(flipped).singleElement().extracting(Condition::lastTransitionTime).isEqualTo(T1);
        assertThat(Condition.isTrue(flipped, "Ready")).isTrue();
        assertThat(Condition.isTrue(flipped, "Other")).isFalse();
        assertThat(Condition.remove(flipped, "Ready")).isEmpty();
        assertThat(io.kardia.core.json.Json.toString(flipped.get(0))).doesNotContain("\"true\"");
    }
}
