package io.kardia.runtime.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.ObjectMeta;
import io.kardia.runtime.Manager;
import io.kardia.runtime.testkit.Eventually;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The mirror controller against the reference store over HTTP, across a restart of its manager. */
@KardiaTest(http = true)
class ConfigMapMirrorEndToEndTest {

    private static ConfigMap source(String name, boolean labelled, String value) {
        ObjectMeta.Builder m = ObjectMeta.builder().namespace("src").name(name);
        if (labelled) {
            m.label("mirror", "true");
        }
        return ConfigMap.of(m.build(), Map.of("k", value));
    }

    private static boolean hasValue(ConfigMap cm, String value) {
        return value.equals(cm.data().get("k"));
    }

    @Test
    void convergesAfterCreatesUpdatesDeletesAndARestart(TestEnvironment env) throws Exception {
        assertThat(env.apiServerUrl()).isPresent();
        env.createNamespace("src");
        env.createNamespace("mirror");
        ResourceClient<ConfigMap> cms = env.resources(ConfigMap.class);
        Manager first = env.startManager(ConfigMapMirror::register);

        // create
        cms.create(source("a", true, "1"));
        cms.create(source("b", false, "1"));
        env.awaitObject(ConfigMap.class, "mirror", "src.a", cm -> hasValue(cm, "1"));
        // update
        cms.update(cms.get("src", "a").withData(Map.of("k", "2")));
        env.awaitObject(ConfigMap.class, "mirror", "src.a", cm -> hasValue(cm, "2"));
        // labelling an existing object starts mirroring it, unlabelling stops it
        ConfigMap b = cms.get("src", "b");
        cms.update(b.withMetadata(b.metadata().toBuilder().label("mirror", "true").build()));
        env.awaitObject(ConfigMap.class, "mirror", "src.b", cm -> hasValue(cm, "1"));
        ConfigMap a = cms.get("src", "a");
        cms.update(a.withMetadata(a.metadata().toBuilder().removeLabel("mirror").build()));
        env.awaitAbsent(ConfigMap.class, "mirror", "src.a");
        // a copy edited by hand is put back
        ConfigMap copyB = cms.get("mirror", "src.b");
        cms.update(copyB.withData(Map.of("k", "tampered")));
        env.awaitObject(ConfigMap.class, "mirror", "src.b", cm -> hasValue(cm, "1"));
        // delete
        cms.delete("src", "b");
        env.awaitAbsent(ConfigMap.class, "mirror", "src.b");
        cms.create(source("c", true, "1"));
        env.awaitObject(ConfigMap.class, "mirror", "src.c", cm -> hasValue(cm, "1"));

        // restart: changes made while no manager runs are picked up from the store alone
        first.close();
        cms.create(source("d", true, "1"));
        cms.update(cms.get("src", "c").withData(Map.of("k", "changed-while-down")));
        cms.create(source("e", true, "1"));
        env.startManager(ConfigMapMirror::register);
        env.awaitObject(ConfigMap.class, "mirror", "src.c", cm -> hasValue(cm, "changed-while-down"));
        env.awaitObject(ConfigMap.class, "mirror", "src.d", cm -> hasValue(cm, "1"));
        cms.delete("src", "e");
        env.awaitAbsent(ConfigMap.class, "mirror", "src.e");

        Set<String> copies = Eventually.eventually("exactly the labelled sources to be mirrored",
                () -> cms.list("mirror").items().stream().map(cm -> cm.metadata().name()).collect(Collectors.toSet()),
                names -> names.equals(Set.of("src.c", "src.d")));
        assertThat(copies).containsExactlyInAnyOrder("src.c", "src.d");
    }

    @Test
    void anOrphanedCopyIsRemovedAfterARestart(TestEnvironment env) throws Exception {
        env.createNamespace("src");
        env.createNamespace("mirror");
        ResourceClient<ConfigMap> cms = env.resources(ConfigMap.class);
        Manager first = env.startManager(ConfigMapMirror::register);
        cms.create(source("gone", true, "1"));
        env.awaitObject(ConfigMap.class, "mirror", "src.gone", cm -> hasValue(cm, "1"));
        first.close();
        cms.delete("src", "gone"); // its DELETE event is never seen by any manager
        env.startManager(ConfigMapMirror::register);
        env.awaitAbsent(ConfigMap.class, "mirror", "src.gone");
    }
}
