package io.kardia.store.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectMeta;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A journal kept in memory across store restarts: what a store acknowledged, the next one holds. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class RetainedJournalTest {

    private static ReferenceStore open(RetainedJournal kept, StoreOptions options) {
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        return ReferenceStore.open(options, kept.open(), new java.util.Random(1), timers);
    }

    private static ConfigMap configMap(String name, String value) {
        return ConfigMap.of(ObjectMeta.of("ns", name), Map.of("k", value));
    }

    @Test
    void aStoreReopenedOnTheJournalHoldsEveryAcknowledgedWriteAtItsResourceVersion() {
        RetainedJournal kept = RetainedJournal.create();
        ConfigMap updated;
        ConfigMap kept2;
        long revision;
        try (ReferenceStore first = open(kept, StoreOptions.defaults())) {
            first.client().resources(Namespace.class).create(Namespace.named("ns"));
            ResourceClient<ConfigMap> cms = first.client().resources(ConfigMap.class);
            ConfigMap a = cms.create(configMap("a", "1"));
            updated = cms.update(a.withData(Map.of("k", "2")));
            kept2 = cms.create(configMap("b", "1"));
            cms.create(configMap("c", "1"));
            cms.delete("ns", "c");
            revision = first.currentRevision();
        }
        try (ReferenceStore second = open(kept, StoreOptions.defaults())) {
            ResourceClient<ConfigMap> cms = second.client().resources(ConfigMap.class);
            assertThat(second.currentRevision()).isEqualTo(revision);
            assertThat(cms.get("ns", "a")).isEqualTo(updated);
            assertThat(cms.get("ns", "b")).isEqualTo(kept2);
            assertThat(cms.find("ns", "c")).isEmpty();
            // writes go on from the recovered revision
            ConfigMap d = cms.create(configMap("d", "1"));
            assertThat(Long.parseLong(d.metadata().resourceVersion())).isGreaterThan(revision);
        }
        assertThat(kept.lastRevision()).isGreaterThan(revision);
    }

    @Test
    void watchesEndWithTheStoreAndAnOlderRevisionIsGoneAfterTheRestart() throws InterruptedException {
        RetainedJournal kept = RetainedJournal.create();
        String before;
        String newest;
        Watch<ConfigMap> watch;
        ReferenceStore first = open(kept, StoreOptions.defaults());
        try {
            first.client().resources(Namespace.class).create(Namespace.named("ns"));
            ResourceClient<ConfigMap> cms = first.client().resources(ConfigMap.class);
            before = cms.create(configMap("a", "1")).metadata().resourceVersion();
            newest = cms.create(configMap("b", "1")).metadata().resourceVersion();
            watch = cms.watch("ns", WatchOptions.from(newest));
        } finally {
            first.close();
        }
        assertThat(watch.next()).as("a watch of the closed store ends").isNull();
        assertThatThrownBy(() -> first.client().resources(ConfigMap.class).get("ns", "a"))
                .isInstanceOf(KubeApiException.class).hasMessageContaining("closed");
        try (ReferenceStore second = open(kept, StoreOptions.defaults())) {
            ResourceClient<ConfigMap> cms = second.client().resources(ConfigMap.class);
            try (Watch<ConfigMap> old = cms.watch("ns", WatchOptions.from(before))) {
                WatchEvent<ConfigMap> e = old.next();
                assertThat(e.type()).isEqualTo(WatchEvent.Type.ERROR);
                assertThat(e.status().code()).isEqualTo(410);
            }
            try (Watch<ConfigMap> resumed = cms.watch("ns", WatchOptions.from(newest))) {
                cms.create(configMap("c", "1"));
                WatchEvent<ConfigMap> e = resumed.next();
                assertThat(e.type()).isEqualTo(WatchEvent.Type.ADDED);
                assertThat(e.object().metadata().name()).isEqualTo("c");
            }
        }
    }

    @Test
    void onlyOneStoreAtATimeAndAppendsNeedRecoveryFirst() {
        RetainedJournal kept = RetainedJournal.create();
        try (ReferenceStore first = open(kept, StoreOptions.defaults())) {
            assertThatThrownBy(kept::open).isInstanceOf(JournalLockedException.class)
                    .hasMessageContaining("still open by another store");
        }
        Journal j = kept.open();
        assertThatThrownBy(() -> j.append(JournalRecord.delete(kept.lastRevision() + 1, "configmaps", "ns/x")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("recover");
        j.close();
    }

    @Test
    void aSnapshotReplacesTheLogItCoversAndRecoversTheSameState() {
        RetainedJournal kept = RetainedJournal.create();
        StoreOptions options = StoreOptions.defaults().withSnapshotEveryWrites(5);
        ConfigMap last;
        try (ReferenceStore first = open(kept, options)) {
            first.client().resources(Namespace.class).create(Namespace.named("ns"));
            ResourceClient<ConfigMap> cms = first.client().resources(ConfigMap.class);
            last = cms.create(configMap("a", "0"));
            for (int i = 1; i <= 20; i++) {
                last = cms.update(last.withData(Map.of("k", String.valueOf(i))));
            }
            // the snapshot is taken on a thread of its own
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> kept.logRecords() < 20);
        }
        try (ReferenceStore second = open(kept, options)) {
            assertThat(second.client().resources(ConfigMap.class).get("ns", "a")).isEqualTo(last);
            assertThat(second.client().resources(Namespace.class).find(null, "ns")).isPresent();
        }
    }
}
