package io.kardia.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ResourceType;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A controller on a kind the server does not serve fails the manager's start with a message naming the fix. */
class KindNotServedTest {
    static final ResourceType<GenericObject> WIDGETS = ResourceType.generic("example.com", "v1", "Widget", "widgets", true);

    static final String CRD = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.example.com}
            spec:
              group: example.com
              scope: Namespaced
              names: {plural: widgets, singular: widget, kind: Widget, listKind: WidgetList}
              versions:
              - name: v1
                served: true
                storage: true
                schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
            """;

    @Test
    @KardiaTest
    void aCustomKindWithoutItsCrdFailsTheStartNamingTheCrd(TestEnvironment env) {
        assertMissingCrdFailsStart(env);
    }

    @Test
    @KardiaTest(http = true)
    void aCustomKindWithoutItsCrdFailsTheStartOverHttp(TestEnvironment env) {
        assertMissingCrdFailsStart(env);
    }

    @Test
    @KardiaTest(http = true)
    void aBuiltInVersionNotServedFailsTheStartWithoutACrdHint(TestEnvironment env) {
        ResourceType<GenericObject> appsV9 = ResourceType.generic("apps", "v9", "Deployment", "deployments", true);

        assertThatThrownBy(() -> env.startManager(m -> m.newController().named("v9").forKind(appsV9)
                .complete(d -> Result.done())))
                .isInstanceOf(KindNotServedException.class)
                .hasMessageContaining("does not serve deployments.apps/v9 (kind Deployment")
                .hasMessageContaining("enable that API version")
                .hasMessageNotContaining("CustomResourceDefinition");
    }

    @Test
    @KardiaTest
    void onceTheCrdIsInstalledTheManagerStarts(TestEnvironment env) throws Exception {
        env.apply(CRD);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(KubeApiException.NotFoundException.class)
                .until(() -> env.client().resources(WIDGETS).list("default") != null);

        Manager manager = env.startManager(m -> m.newController().named("widgets").forKind(WIDGETS)
                .complete(w -> Result.done()));

        assertThat(manager.failure()).isEmpty();
    }

    private static void assertMissingCrdFailsStart(TestEnvironment env) {
        // A cache-sync timeout would be a CacheSyncTimeoutException: this fails before any informer starts.
        assertThatThrownBy(() -> env.startManager(m -> m.newController().named("widgets").forKind(WIDGETS)
                .complete(w -> Result.done())))
                .isInstanceOfSatisfying(KindNotServedException.class, e -> assertThat(e.type()).isEqualTo(WIDGETS))
                .hasMessageContaining("the API server does not serve widgets.example.com/v1 (kind Widget")
                .hasMessageContaining("install its CustomResourceDefinition (widgets.example.com) serving version v1");
    }
}
