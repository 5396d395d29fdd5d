package io.kardia.controllers.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Event;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.ResourceTypes;
import io.kardia.runtime.testkit.Eventually;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@KardiaTest
class PersistentVolumeBinderTest {
    private static final String NS = "db";

    private static GenericObject claim(String name, String size, String className) {
        GenericObject c = GenericObject.of(ResourceTypes.PERSISTENT_VOLUME_CLAIM, ObjectMeta.of(NS, name))
                .withAt("spec.accessModes", List.of("ReadWriteOnce"))
                .withAt("spec.resources.requests.storage", size);
        return className == null ? c : c.withAt("spec.storageClassName", className);
    }

    private static GenericObject volume(String name, String size, String className, String policy) {
        return GenericObject.of(VolumeTypes.PERSISTENT_VOLUME, ObjectMeta.of(null, name)).with("spec", Map.of(
                "capacity", Map.of("storage", size), "accessModes", List.of("ReadWriteOnce", "ReadOnlyMany"),
                "storageClassName", className, "persistentVolumeReclaimPolicy", policy,
                "hostPath", Map.of("path", "/mnt/" + name)));
    }

    private static ResourceClient<GenericObject> start(TestEnvironment env) throws Exception {
        env.createNamespace(NS);
        env.startManager(PersistentVolumeBinder::register);
        return env.client().resources(ResourceTypes.PERSISTENT_VOLUME_CLAIM);
    }

    private static GenericObject awaitBound(TestEnvironment env, String name) {
        return env.awaitObject(ResourceTypes.PERSISTENT_VOLUME_CLAIM, NS, name,
                c -> "Bound".equals(c.at("status.phase", String.class).orElse(null)));
    }

    @Test
    void aClaimGetsAProvisionedVolumeAndBothAreBoundUntilTheClaimGoes(TestEnvironment env) throws Exception {
        ResourceClient<GenericObject> claims = start(env);
        GenericObject created = claims.create(claim("data-0", "2Gi", null));

        GenericObject bound = awaitBound(env, "data-0");
        String volumeName = "pvc-" + created.metadata().uid();
        assertThat(bound.at("spec.volumeName", String.class)).contains(volumeName);
        assertThat(bound.at("status.capacity.storage", String.class)).contains("2Gi");
        GenericObject pv = env.awaitObject(VolumeTypes.PERSISTENT_VOLUME, null, volumeName,
                v -> "Bound".equals(v.at("status.phase", String.class).orElse(null)));
        assertThat(pv.at("spec.claimRef.uid", String.class)).contains(created.metadata().uid());
        assertThat(pv.at("spec.persistentVolumeReclaimPolicy", String.class)).contains("Delete");

        claims.delete(NS, "data-0");
        env.awaitAbsent(VolumeTypes.PERSISTENT_VOLUME, null, volumeName);
    }

    @Test
    void anAvailableVolumeThatFitsIsBoundBeforeAnyIsProvisionedAndRetainedOnesAreReleased(TestEnvironment env)
            throws Exception {
        var volumes = env.client().resources(VolumeTypes.PERSISTENT_VOLUME);
        volumes.create(volume("big", "20Gi", "manual", "Retain"));
        volumes.create(volume("small", "5Gi", "manual", "Retain"));
        volumes.create(volume("tiny", "1Gi", "manual", "Retain"));
        ResourceClient<GenericObject> claims = start(env);
        claims.create(claim("logs", "3Gi", "manual"));

        assertThat(awaitBound(env, "logs").at("spec.volumeName", String.class)).as("the smallest that fits").contains("small");
        claims.delete(NS, "logs");
        env.awaitObject(VolumeTypes.PERSISTENT_VOLUME, null, "small",
                v -> "Released".equals(v.at("status.phase", String.class).orElse(null)));
        assertThat(volumes.list(null).items()).hasSize(3);
    }

    @Test
    void aClaimNamingAMissingClassStaysPendingWithAnEventWhileOthersAreServed(TestEnvironment env) throws Exception {
        ResourceClient<GenericObject> claims = start(env);
        claims.create(claim("orphan", "1Gi", "no-such-class"));
        claims.create(claim("fine", "1Gi", null));

        awaitBound(env, "fine");
        Eventually.eventually("a ProvisioningFailed Event", () -> env.resources(Event.class).list(NS).items(),
                events -> events.stream().anyMatch(e -> "ProvisioningFailed".equals(e.reason())
                        && "orphan".equals(e.involvedObject().name()) && e.message().contains("no-such-class")));
        assertThat(claims.get(NS, "orphan").at("spec.volumeName", String.class)).isEmpty();
    }
}
