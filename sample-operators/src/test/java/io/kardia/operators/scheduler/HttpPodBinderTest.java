package io.kardia.operators.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.model.Condition;
import io.kardia.core.model.Container;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import org.junit.jupiter.api.Test;

/** The binding subresource over HTTP: binds once, refuses a second binding and unknown pods. */
@KardiaTest(http = true)
class HttpPodBinderTest {

    @Test
    void bindsOnceThroughTheBindingSubresource(TestEnvironment env) {
        env.createNamespace("apps");
        env.resources(Pod.class).create(Pod.of(ObjectMeta.of("apps", "p"),
                PodSpec.of(new Container("c", "nginx", null, null, null, null, null, null, null, null))));
        PodBinder binder = new HttpPodBinder(((HttpKubeClient) env.client()).config());

        binder.bind("apps", "p", "node-1");

        Pod bound = env.resources(Pod.class).get("apps", "p");
        assertThat(bound.spec().nodeName()).isEqualTo("node-1");
        assertThat(Condition.isTrue(bound.status().conditions(), "PodScheduled")).isTrue();
        assertThatThrownBy(() -> binder.bind("apps", "p", "node-2"))
                .isInstanceOf(KubeApiException.ConflictException.class)
                .hasMessageContaining("already assigned");
        assertThatThrownBy(() -> binder.bind("apps", "nope", "node-2"))
                .isInstanceOf(KubeApiException.NotFoundException.class);
    }
}
