package io.kardia.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResourceTypesCustomTest {

    /** A custom kind that registers itself from its static initializer. */
    record Widget(String apiVersion, String kind, ObjectMeta metadata, Map<String, Object> spec) implements KubeObject {
        static final ResourceType<Widget> TYPE = ResourceTypes.registerCustom(new ResourceType<>(
                "test.kardia.io", "v1", "Widget", "widgets", "widget", true, List.of(), Set.of("status"), Widget.class));

        @Override
        public Widget withMetadata(ObjectMeta m) {
            return new Widget(apiVersion, kind, m, spec);
        }
    }

    record Unregistered(String apiVersion, String kind, ObjectMeta metadata) implements KubeObject {
        @Override
        public Unregistered withMetadata(ObjectMeta m) {
            return this;
        }
    }

    @Test
    void ofRunsTheStaticInitializerOfACustomKind() {
        ResourceType<Widget> type = ResourceTypes.of(Widget.class);
        assertThat(type.kind()).isEqualTo("Widget");
        assertThat(type).isSameAs(Widget.TYPE);
        assertThat(ResourceTypes.builtIns()).doesNotContain(type);
        assertThat(ResourceTypes.byKind("test.kardia.io/v1", "Widget")).isEmpty();
    }

    @Test
    void registeringTheSameTypeAgainIsFineButAnotherTypeIsRefused() {
        assertThat(ResourceTypes.registerCustom(Widget.TYPE)).isSameAs(Widget.TYPE);
        assertThatThrownBy(() -> ResourceTypes.registerCustom(new ResourceType<>("other.io", "v1", "Widget", "widgets",
                "widget", true, List.of(), Set.of(), Widget.class)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered");
    }

    @Test
    void builtInsAndUnknownClassesAreRefused() {
        assertThatThrownBy(() -> ResourceTypes.registerCustom(ResourceTypes.POD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("built-in");
        assertThatThrownBy(() -> ResourceTypes.of(Unregistered.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("registerCustom");
    }
}
