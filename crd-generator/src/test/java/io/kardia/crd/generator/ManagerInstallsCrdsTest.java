package io.kardia.crd.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.ObjectMeta;
import io.kardia.crd.generator.sample.Widget;
import io.kardia.crd.generator.sample.WidgetBuilder;
import io.kardia.crd.generator.sample.WidgetSpecBuilder;
import io.kardia.crd.generator.sample.WidgetStatusBuilder;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Result;
import io.kardia.runtime.crd.Crds;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A typed controller for an annotated kind, with the manager installing its generated CRD at start. */
@KardiaTest
class ManagerInstallsCrdsTest {

    @Test
    void aTypedControllerReconcilesAKindWhoseCrdTheManagerInstalled(TestEnvironment env) throws Exception {
        env.createNamespace("shop");
        env.startManager(Manager.builder(env.client()).installCrds(Widget.class)
                .cacheSyncTimeout(Duration.ofSeconds(30)).gracefulShutdownTimeout(Duration.ofSeconds(5)), m -> {
                    ResourceClient<Widget> widgets = m.apiClient().resources(Widget.class);
                    m.newController().named("widgets").forKind(Widget.class).complete(widget -> {
                        if (widget.status() == null || !widget.spec().color().equals(widget.status().observedColor())) {
                            widgets.updateStatus(widget.withStatus(WidgetStatusBuilder.builder()
                                    .observedColor(widget.spec().color())
                                    .observedGeneration(widget.metadata().generation()).build()));
                        }
                        return Result.done();
                    });
                });
        ResourceClient<Widget> widgets = env.client().resources(Widget.class);
        widgets.create(WidgetBuilder.builder().metadata(ObjectMeta.builder().namespace("shop").name("w").build())
                .spec(WidgetSpecBuilder.builder().color("blue").size(2).build()).build());
        Widget reconciled = env.awaitObject(Widget.class, "shop", "w",
                w -> w.status() != null && "blue".equals(w.status().observedColor()));
        assertThat(reconciled.apiVersion()).isEqualTo("samples.kardia.io/v1");

        // The generated schema is enforced by the store: size has @Max(5).
        assertThatThrownBy(() -> widgets.update(reconciled.withSpec(reconciled.spec().withSize(9))))
                .isInstanceOf(KubeApiException.InvalidException.class)
                .hasMessageContaining("spec.size");
    }

    @Test
    void aKindWithoutAGeneratedCrdFailsNamingTheFix(@TempDir Path dir) throws Exception {
        Compilation compiled = Compilation.compile(dir, Map.of("demo.Gadget", """
                package demo;
                @io.kardia.core.crd.Kind(group = "example.com", version = "v1")
                public record Gadget(io.kardia.core.model.ObjectMeta metadata, String spec, String status)
                        implements io.kardia.core.crd.CustomResource<String, String> {
                }
                """));
        Files.delete(dir.resolve("META-INF/kardia/crds/gadgets.example.com.yaml"));
        try (var loader = new java.net.URLClassLoader(new java.net.URL[] {dir.toUri().toURL()},
                getClass().getClassLoader())) {
            @SuppressWarnings("unchecked")
            Class<io.kardia.core.model.KubeObject> gadget =
                    (Class<io.kardia.core.model.KubeObject>) loader.loadClass("demo.Gadget");
            assertThatThrownBy(() -> Crds.generated(gadget))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("demo.Gadget")
                    .hasMessageContaining("kardia-crd-generator");
        }
        assertThat(compiled.success()).isTrue();
    }
}
