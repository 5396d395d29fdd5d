package io.kardia.informer;

import static io.kardia.informer.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.model.Pod;
import io.kardia.core.selector.Selector;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ListerTest {
    private final ThreadSafeIndexer<Pod> cache = new ThreadSafeIndexer<>();
    private final Lister<Pod> lister = new Lister<>(cache);

    @BeforeEach
    void fill() {
        cache.put(pod("ns1", "web-1", 1, Map.of("app", "web", "tier", "front")));
        cache.put(pod("ns1", "db-1", 1, Map.of("app", "db")));
        cache.put(pod("ns2", "web-2", 1, Map.of("app", "web")));
    }

    @Test
    void listsAllOrBySelector() {
        assertThat(lister.list()).hasSize(3);
        assertThat(lister.list(Selector.parse("app=web"))).extracting(Pod::key).containsExactlyInAnyOrder("ns1/web-1", "ns2/web-2");
        assertThat(lister.list(Selector.parse("app in (web,db),tier"))).extracting(Pod::key).containsExactly("ns1/web-1");
        assertThat(lister.list(Selector.NOTHING)).isEmpty();
        assertThat(lister.list(Selector.EVERYTHING)).hasSize(3);
    }

    @Test
    void namespaceListerReadsOneNamespace() {
        assertThat(lister.namespace("ns1").list()).extracting(Pod::key).containsExactlyInAnyOrder("ns1/web-1", "ns1/db-1");
        assertThat(lister.namespace("ns1").list(Selector.parse("app!=web"))).extracting(Pod::key).containsExactly("ns1/db-1");
        assertThat(lister.namespace("ns2").get("web-2")).isPresent();
        assertThat(lister.namespace("ns2").get("web-1")).isEmpty();
        assertThat(lister.namespace("nope").list()).isEmpty();
        assertThat(lister.get("ns1/db-1")).isPresent();
    }

    @Test
    void namespaceListerNeedsANamespace() {
        assertThatThrownBy(() -> lister.namespace("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a namespace");
    }
}
