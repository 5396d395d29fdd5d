package io.kardia.crd.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.client.ForwardingKubeClient;
import io.kardia.core.client.ForwardingResourceClient;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.model.CustomResourceDefinition;
import io.kardia.core.model.FieldTrees;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ResourceType;
import io.kardia.core.json.Json;
import io.kardia.crd.generator.sample.Widget;
import io.kardia.runtime.crd.Crds;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code Crds.ensureInstalled} at every start: a CRD already as generated is read, not written
 * again; one whose fields were changed by hand is applied again, as a forced apply would.
 */
@KardiaTest
class CrdsUpToDateTest {
    @Test
    void aCrdAsGeneratedIsNotWrittenAgain(TestEnvironment env) {
        WriteCountingClient client = new WriteCountingClient(env.client());
        CustomResourceDefinition installed = Crds.ensureInstalled(client, Widget.class);
        assertThat(installed.metadata().annotations()).containsKey(Crds.DIGEST_ANNOTATION);
        assertThat(client.writes).hasValue(1);

        CustomResourceDefinition again = Crds.ensureInstalled(client, Widget.class);

        assertThat(client.writes).as("writes after the second start").hasValue(1);
        assertThat(again.metadata().resourceVersion()).isEqualTo(installed.metadata().resourceVersion());
    }

    @Test
    void whatOthersAddedDoesNotCountAndStays(TestEnvironment env) {
        WriteCountingClient client = new WriteCountingClient(env.client());
        CustomResourceDefinition installed = Crds.ensureInstalled(client, Widget.class);
        crds(env).update(installed.withMetadata(installed.metadata().toBuilder().label("team", "storage").build()));

        CustomResourceDefinition after = Crds.ensureInstalled(client, Widget.class);

        assertThat(client.writes).hasValue(1);
        assertThat(after.metadata().labels()).containsEntry("team", "storage");
    }

    @Test
    void aHandEditedFieldIsTakenBack(TestEnvironment env) {
        WriteCountingClient client = new WriteCountingClient(env.client());
        CustomResourceDefinition installed = Crds.ensureInstalled(client, Widget.class);
        CustomResourceDefinition.Version v1 = installed.spec().versions().getFirst();
        Map<String, Object> extra = new LinkedHashMap<>(v1.extra());
        extra.remove("additionalPrinterColumns"); // someone dropped the printer column
        CustomResourceDefinition edited = crds(env).update(installed.withSpec(new CustomResourceDefinition.Spec(
                installed.spec().group(), installed.spec().names(), installed.spec().scope(),
                List.of(new CustomResourceDefinition.Version(v1.name(), v1.served(), v1.storage(), v1.schema(),
                        v1.subresources(), extra)), installed.spec().extra())));
        assertThat(edited.spec().versions().getFirst().extra()).doesNotContainKey("additionalPrinterColumns");

        CustomResourceDefinition after = Crds.ensureInstalled(client, Widget.class);

        assertThat(client.writes).hasValue(2);
        assertThat(after.metadata().resourceVersion()).isNotEqualTo(edited.metadata().resourceVersion());
        assertThat(FieldTrees.contains(Json.mapper().convertValue(after.spec(), Map.class),
                Json.mapper().convertValue(Crds.generated(Widget.class).spec(), Map.class))).isTrue();
    }

    /** Counts the writes (patches: an apply is one) that pass through it. */
    private static final class WriteCountingClient extends ForwardingKubeClient {
        final AtomicInteger writes = new AtomicInteger();

        WriteCountingClient(KubeClient delegate) {
            super(delegate);
        }

        @Override
        public <T extends KubeObject> ResourceClient<T> resources(ResourceType<T> type) {
            return new ForwardingResourceClient<>(super.resources(type)) {
                @Override
                public T patch(String namespace, String name, PatchType patchType, String patch, WriteOptions options) {
                    writes.incrementAndGet();
                    return super.patch(namespace, name, patchType, patch, options);
                }
            };
        }
    }

    private static ResourceClient<CustomResourceDefinition> crds(TestEnvironment env) {
        return env.client().resources(CustomResourceDefinition.class);
    }
}
