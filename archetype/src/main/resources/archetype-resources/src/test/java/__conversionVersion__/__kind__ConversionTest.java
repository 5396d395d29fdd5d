package ${package}.${conversionVersion};

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.ObjectMeta;
import io.kardia.runtime.crd.Crds;
import io.kardia.runtime.micronaut.MicronautWebhooks;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import io.kardia.runtime.webhook.Webhooks;
import io.micronaut.context.BeanContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The two versions of {@code ${kind}} through the store, over HTTP, as on a cluster: the generated
 * CRD (both versions, {@code ${apiVersion}} stored) with its conversion webhook pointed at the
 * {@link ${kind}Converter} bean's server; an object written in either version is read in both.
 */
@KardiaTest(http = true)
class ${kind}ConversionTest {

    @Test
    void anObjectWrittenInEitherVersionIsReadInBoth(TestEnvironment env) {
        Crds.ensureInstalled(env.client(), ${package}.${kind}.class);
        env.createNamespace("conversion");
        try (BeanContext beans = BeanContext.run()) {
            Webhooks.Builder builder = Webhooks.builder();
            assertThat(MicronautWebhooks.register(beans, builder)).contains("converter ${kind}");
            try (Webhooks webhooks = builder.build()) {
                env.installConversion("${plural}.${group}", webhooks);
                ResourceClient<${package}.${kind}> stored = env.resources(${package}.${kind}.class);
                ResourceClient<${kind}> other = env.resources(${kind}.class);

                // Written in ${apiVersion}, read in ${conversionVersion}.
                stored.create(new ${package}.${kind}(ObjectMeta.of("conversion", "written-in-${apiVersion}"),
                        new ${package}.${kind}.Spec(Map.of("greeting", "hello", "audience", "world")), null));
                ${kind} asOther = other.get("conversion", "written-in-${apiVersion}");
                assertThat(asOther.apiVersion()).isEqualTo("${group}/${conversionVersion}");
                assertThat(asOther.spec().entries()).containsExactly(
                        new ${kind}.Entry("audience", "world"), new ${kind}.Entry("greeting", "hello"));

                // Written in ${conversionVersion}, read in ${apiVersion} and back.
                other.create(new ${kind}(ObjectMeta.of("conversion", "written-in-${conversionVersion}"),
                        new ${kind}.Spec(List.of(new ${kind}.Entry("color", "blue"))), null));
                ${package}.${kind} asStored = stored.get("conversion", "written-in-${conversionVersion}");
                assertThat(asStored.apiVersion()).isEqualTo("${group}/${apiVersion}");
                assertThat(asStored.spec().data()).isEqualTo(Map.of("color", "blue"));
                assertThat(other.get("conversion", "written-in-${conversionVersion}").spec().entries())
                        .containsExactly(new ${kind}.Entry("color", "blue"));
                // Listed in either version.
                assertThat(other.list("conversion").items()).hasSize(2);
                assertThat(stored.list("conversion").items()).hasSize(2);

                // What ${apiVersion} cannot hold is refused, and nothing is stored.
                KubeApiException refused = catchThrowableOfType(KubeApiException.class, () -> other.create(new ${kind}(
                        ObjectMeta.of("conversion", "twice"),
                        new ${kind}.Spec(List.of(new ${kind}.Entry("k", "1"), new ${kind}.Entry("k", "2"))), null)));
                assertThat(refused).isNotNull();
                assertThat(refused.status().message()).contains("spec.entries has the key 'k' twice");
                assertThat(stored.find("conversion", "twice")).isEmpty();
            }
        }
    }

    @Test
    void theConversionsLoseNothingEitherWay() {
        ${package}.${kind} original = new ${package}.${kind}(ObjectMeta.of("ns", "a"),
                new ${package}.${kind}.Spec(Map.of("b", "2", "a", "1")), null);
        assertThat(${kind}Converter.toStored(${kind}Converter.fromStored(original))).isEqualTo(original);
        ${kind} other = new ${kind}(ObjectMeta.of("ns", "b"), new ${kind}.Spec(List.of(new ${kind}.Entry("x", "1"))), null);
        assertThat(${kind}Converter.fromStored(${kind}Converter.toStored(other))).isEqualTo(other);
    }
}
