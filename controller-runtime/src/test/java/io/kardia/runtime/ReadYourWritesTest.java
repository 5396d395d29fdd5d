package io.kardia.runtime;

import static io.kardia.runtime.TestObjects.configMap;
import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.ConfigMap;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The manager's client reads its own writes: right after a create, update, patch or delete through
 * it, a cache read returns that version or newer, with many writers at once, on their own keys and
 * on a shared one.
 */
@KardiaTest
class ReadYourWritesTest {
    private static final int WRITERS = 8;
    private static final int ROUNDS = 40;

    private static long rv(ConfigMap cm) {
        return Long.parseLong(cm.metadata().resourceVersion());
    }

    @Test
    void concurrentWritersReadTheirOwnWritesFromTheCache(TestEnvironment env) throws Exception {
        Manager manager = env.startManager(m -> m.newController().forKind(ConfigMap.class).complete(cm -> Result.done()));
        CachedResources<ConfigMap> cms = manager.client().resources(ConfigMap.class);
        cms.create(configMap("default", "shared"));
        List<String> stale = new CopyOnWriteArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> writers = new java.util.ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                String name = "own-" + w;
                writers.add(pool.submit(() -> {
                    ConfigMap created = cms.create(configMap("default", name));
                    check(stale, "create " + name, rv(created), cms.get("default", name));
                    for (int i = 0; i < ROUNDS; i++) {
                        ConfigMap mine = cms.update(cms.get("default", name).withData(Map.of("i", Integer.toString(i))));
                        check(stale, "update " + name + " #" + i, rv(mine), cms.get("default", name));
                        ConfigMap patched = cms.patch("default", "shared", io.kardia.core.client.PatchType.MERGE,
                                "{\"data\":{\"" + name + "\":\"" + i + "\"}}");
                        check(stale, "patch shared by " + name, rv(patched), cms.get("default", "shared"));
                        long listed = cms.list("default").items().stream().filter(c -> c.metadata().name().equals(name))
                                .mapToLong(ReadYourWritesTest::rv).max().orElse(-1);
                        if (listed < rv(mine)) {
                            stale.add("list after update " + name + " #" + i + ": " + listed + " < " + rv(mine));
                        }
                    }
                    cms.delete("default", name);
                    if (cms.find("default", name).isPresent()) {
                        stale.add("get after delete " + name + " still found it");
                    }
                    return null;
                }));
            }
            for (Future<?> f : writers) {
                f.get();
            }
        }
        assertThat(stale).isEmpty();
    }

    private static void check(List<String> stale, String what, long written, ConfigMap read) {
        if (rv(read) < written) {
            stale.add(what + ": read " + rv(read) + " after writing " + written);
        }
    }

    @Test
    void aDryRunLeavesNoFenceAndAMissingObjectIsStillNotFound(TestEnvironment env) throws Exception {
        Manager manager = env.startManager(m -> m.newController().forKind(ConfigMap.class).complete(cm -> Result.done()));
        CachedResources<ConfigMap> cms = manager.client().resources(ConfigMap.class);
        cms.create(configMap("default", "dry"), new io.kardia.core.client.WriteOptions(true, null));

        assertThat(cms.find("default", "dry")).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cms.get("default", "nothing"))
                .isInstanceOf(KubeApiException.NotFoundException.class);
    }
}
