package io.kardia.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Status;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The one conflict-retry loop, against the real store. */
@KardiaTest
class ConflictsTest {

    private static ConfigMap labelled(ConfigMap cm, String value) {
        return cm.withMetadata(cm.metadata().toBuilder().label("edited", value).build());
    }

    @Test
    void aStaleWriteIsRetriedOnTheFreshObject(TestEnvironment env) {
        ResourceClient<ConfigMap> api = env.resources(ConfigMap.class);
        ConfigMap stale = api.create(ConfigMap.of(ObjectMeta.of("default", "a"), Map.of("k", "1")));
        api.update(stale.withData(Map.of("k", "2"))); // someone else moves it on
        AtomicInteger attempts = new AtomicInteger();

        Optional<ConfigMap> written = Conflicts.retryOnConflict(stale, cm -> {
            attempts.incrementAndGet();
            return api.update(labelled(cm, "yes"));
        }, Conflicts.sameObject(api));

        assertThat(attempts).hasValue(2);
        assertThat(written).hasValueSatisfying(cm -> {
            assertThat(cm.data()).containsEntry("k", "2");
            assertThat(cm.metadata().labels()).containsEntry("edited", "yes");
        });
    }

    @Test
    void anObjectReplacedUnderTheSameNameIsLeftAlone(TestEnvironment env) {
        ResourceClient<ConfigMap> api = env.resources(ConfigMap.class);
        ConfigMap stale = api.create(ConfigMap.of(ObjectMeta.of("default", "b"), Map.of()));
        api.delete("default", "b");
        api.create(ConfigMap.of(ObjectMeta.of("default", "b"), Map.of("new", "one")));

        Optional<ConfigMap> written = Conflicts.retryOnConflict(stale, cm -> api.update(labelled(cm, "yes")),
                Conflicts.sameObject(api));

        assertThat(written).isEmpty();
        assertThat(api.get("default", "b").metadata().labels()).doesNotContainKey("edited");
    }

    @Test
    void aChangedDecisionFailsWithTheConflict(TestEnvironment env) {
        ResourceClient<ConfigMap> api = env.resources(ConfigMap.class);
        ConfigMap stale = api.create(ConfigMap.of(ObjectMeta.of("default", "c"), Map.of("k", "1")));
        api.update(stale.withData(Map.of("k", "changed")));

        assertThatThrownBy(() -> Conflicts.retryOnConflict(stale, cm -> api.update(labelled(cm, "yes")),
                Conflicts.ifUnchanged(api, ConfigMap::data)))
                .isInstanceOf(KubeApiException.ConflictException.class);
        assertThat(api.get("default", "c").metadata().labels()).doesNotContainKey("edited");
    }

    @Test
    void theLastConflictIsThrownWhenTheRetriesAreUsedUp() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> Conflicts.retryOnConflict("x", x -> {
            attempts.incrementAndGet();
            throw KubeApiException.of(Status.conflict(new Status.ResourceName("", "configmaps", "x"), "busy"));
        }, (stale, conflict) -> Optional.of(stale))).isInstanceOf(KubeApiException.ConflictException.class);
        assertThat(attempts).hasValue(Conflicts.DEFAULT_RETRIES + 1);
    }
}
