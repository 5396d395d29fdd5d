package io.kardia.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.ResourceTypes;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import io.kardia.store.TestKinds;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A watch over HTTP hands out each event as soon as its frame arrives, in protobuf as in JSON:
 * nothing may wait for the following frame (which, on a quiet object, may never come).
 */
class ProtobufWatchPromptnessTest {
    @Test
    void aLoneEventOfEveryKindOfDecoderArrivesWithoutASecondOne() throws Exception {
        try (LoopbackApiServer api = LoopbackApiServer.serve(ReferenceStore.inMemory(StoreOptions.defaults()))) {
            KubeClient client = api.newProtobufClient();
            assertLoneEventArrives(client.resources(TestKinds.CONFIGMAPS),
                    () -> TestKinds.configMap("default", "alone", "v"));
            assertLoneEventArrives(client.resources(Pod.class), () -> Pod.of(
                    ObjectMeta.builder().namespace("default").name("alone").build(),
                    io.kardia.core.model.PodSpec.of(io.kardia.core.model.Container.of("app", "nginx:1"))));
            assertLoneEventArrives(client.resources(ResourceTypes.JOB), () -> TestKinds.json("""
                    {"apiVersion":"batch/v1","kind":"Job","metadata":{"namespace":"default","name":"alone"},
                     "spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox:1"}]}}}}"""));
        }
    }

    private static <T extends io.kardia.core.model.KubeObject> void assertLoneEventArrives(ResourceClient<T> resources, Supplier<T> object) throws Exception {
        try (Watch<T> watch = resources.watch("default", new WatchOptions(null, null, null, false, 0))) {
            CompletableFuture<WatchEvent<T>> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return watch.next();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
            resources.create(object.get());
            WatchEvent<T> event = first.get(20, TimeUnit.SECONDS);
            assertThat(event.type()).isEqualTo(WatchEvent.Type.ADDED);
        }
    }
}
