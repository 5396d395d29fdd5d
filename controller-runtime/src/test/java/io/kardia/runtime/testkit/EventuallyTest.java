package io.kardia.runtime.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.ObjectMeta;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@KardiaTest
class EventuallyTest {

    @Test
    void returnsTheFirstObservationThatSatisfiesTheCondition() {
        AtomicInteger n = new AtomicInteger();
        assertThat(Eventually.eventually("n to reach 3", n::incrementAndGet, v -> v >= 3)).isEqualTo(3);
    }

    @Test
    void aTimeoutShowsWhatWasAwaitedAndTheLastObservedObject(TestEnvironment env) {
        env.resources(ConfigMap.class).create(ConfigMap.of(ObjectMeta.of("default", "cm"), Map.of("k", "actual")));
        env.awaitTimeout(Duration.ofMillis(200));
        assertThatThrownBy(() -> env.awaitObject(ConfigMap.class, "default", "cm", cm -> "expected".equals(cm.data().get("k"))))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("timed out after 200 ms waiting for ConfigMap default/cm to match the expected state")
                .hasMessageContaining("\"k\" : \"actual\"");
        assertThatThrownBy(() -> env.awaitAbsent(ConfigMap.class, "default", "cm"))
                .hasMessageContaining("ConfigMap default/cm to be deleted")
                .hasMessageContaining("\"name\" : \"cm\"");
        assertThatThrownBy(() -> env.awaitObject(ConfigMap.class, "default", "missing", cm -> true))
                .hasMessageContaining("last observed: nothing (absent)");
    }

    @Test
    void observationErrorsAreReportedWithTheirCause() {
        assertThatThrownBy(() -> Eventually.eventually(Duration.ofMillis(50), "a flaky read", () -> {
            throw new IllegalStateException("boom");
        }, v -> true)).hasMessageContaining("the last observation failed: java.lang.IllegalStateException: boom")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void theExtensionInjectsTheStoreAndAClientOfIt(io.kardia.core.client.KubeClient client,
                                                    io.kardia.store.ReferenceStore store) {
        client.resources(ConfigMap.class).create(ConfigMap.of(ObjectMeta.of("default", "x"), Map.of()));
        assertThat(store.client().resources(ConfigMap.class).find("default", "x")).isPresent();
    }
}
