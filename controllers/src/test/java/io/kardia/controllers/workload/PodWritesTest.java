package io.kardia.controllers.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.ForwardingResourceClient;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Container;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.Status;
import io.kardia.store.ReferenceStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PodWritesTest {
    private final ReferenceStore store = ReferenceStore.inMemory();
    private final ResourceClient<Pod> pods = store.client().resources(Pod.class);
    private final PodExpectations expectations = new PodExpectations();
    private final AtomicBoolean refuseDeletes = new AtomicBoolean(true);
    /** The real store's pods, whose deletes answer 503 while {@code refuseDeletes} is set. */
    private final ResourceClient<Pod> flaky = new ForwardingResourceClient<>(pods) {
        @Override
        public Pod delete(String namespace, String name, DeleteOptions options) {
            if (refuseDeletes.get()) {
                throw KubeApiException.of(Status.serviceUnavailable("try again in a moment"));
            }
            return super.delete(namespace, name, options);
        }
    };

    @AfterEach
    void close() {
        store.close();
    }

    private boolean satisfied() {
        return expectations.satisfied("ns/rs", name -> pods.find("ns", name), -1);
    }

    /**
     * Found by the Deployment simulation under faults: a refused delete left its expectation
     * behind, and the pod stayed alive, so the owner waited the full five-minute TTL before it
     * would act again (client-go lowers the expectation when a delete fails).
     */
    @Test
    void aRefusedDeleteDoesNotLeaveTheOwnerWaitingToSeeThePodGo() {
        store.client().resources(Namespace.class).create(Namespace.named("ns"));
        Pod a = pods.create(Pod.of(ObjectMeta.of("ns", "a"), PodSpec.of(Container.of("app", "nginx"))));
        Pod b = pods.create(Pod.of(ObjectMeta.of("ns", "b"), PodSpec.of(Container.of("app", "nginx"))));

        assertThat(new PodWrites(flaky, expectations).delete("ns/rs", List.of(a), p -> false)).isPresent();
        assertThat(pods.find("ns", "a")).as("the refused delete left the pod").isPresent();
        assertThat(satisfied()).as("nothing left to wait for").isTrue();

        refuseDeletes.set(false);
        assertThat(new PodWrites(flaky, expectations).delete("ns/rs", List.of(b), p -> false)).isEmpty();
        assertThat(expectations.remaining("ns/rs")).as("an accepted delete is still expected").isPresent();
        assertThat(satisfied()).as("b is gone: observed").isTrue();
        assertThat(expectations.remaining("ns/rs")).isEmpty();
    }

    @Test
    void aDeleteExpectationStaysUntilTheCacheSeesThePodGo() {
        store.client().resources(Namespace.class).create(Namespace.named("ns"));
        Pod a = pods.create(Pod.of(ObjectMeta.of("ns", "a"), PodSpec.of(Container.of("app", "nginx"))));
        expectations.deleted("ns/rs", "a", a.metadata().uid());
        assertThat(satisfied()).isFalse();
        assertThat(expectations.remaining("ns/rs")).hasValueSatisfying(left -> assertThat(left).isPositive()
                .isLessThanOrEqualTo(Duration.ofMinutes(5)));
    }
}
