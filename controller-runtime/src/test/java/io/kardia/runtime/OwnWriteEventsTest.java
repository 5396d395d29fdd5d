package io.kardia.runtime;

import static io.kardia.runtime.TestObjects.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.Secret;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The event of a controller's own write through the manager's client, made during a reconcile,
 * does not queue that reconcile again: the reconcile already has the write's result. Every test
 * ends on a reconcile caused by someone else's later change, so by then the own write's event
 * (older, delivered in order) has certainly been handled.
 */
@KardiaTest
class OwnWriteEventsTest {
    private static final String MARK = "example.io/reconciled";

    /** What the reconciler saw, in order: "first" for its first pass over an object, else the label "by" or "-". */
    private final List<String> passes = new CopyOnWriteArrayList<>();

    /**
     * A reconciler that, on its first pass over a ConfigMap, marks it with a conditional update
     * through the manager's client and creates a Secret it controls; later passes change nothing.
     */
    private Consumer<Manager> controller(boolean skipOwnWriteEvents, boolean conditional) {
        return m -> m.newController().forKind(ConfigMap.class).owns(Secret.class).skipOwnWriteEvents(skipOwnWriteEvents)
                .complete(cm -> {
                    if (cm.metadata().annotations().containsKey(MARK)) {
                        passes.add(cm.metadata().labels().getOrDefault("by", "-"));
                        return Result.done();
                    }
                    passes.add("first");
                    CachedResources<ConfigMap> cms = m.client().resources(ConfigMap.class);
                    ObjectMeta marked = cm.metadata().withAnnotations(Map.of(MARK, "yes"));
                    ConfigMap written = cms.update(cm.withMetadata(conditional ? marked
                            : marked.toBuilder().resourceVersion(null).build()));
                    m.client().resources(Secret.class).create(Secret.ofStrings(ObjectMeta.builder()
                            .namespace(cm.metadata().namespace()).name(cm.metadata().name() + "-child")
                            .ownerReference(OwnerReference.controllerOf(written)).build(), Map.of("k", "v")));
                    return Result.done();
                });
    }

    private static void changedBySomeoneElse(TestEnvironment env, String name) {
        var cms = env.resources(ConfigMap.class);
        ConfigMap marked = env.awaitObject(ConfigMap.class, "default", name,
                cm -> cm.metadata().annotations().containsKey(MARK));
        env.awaitObject(io.kardia.core.model.Secret.class, "default", name + "-child", s -> true);
        cms.update(marked.withMetadata(marked.metadata().withLabels(Map.of("by", "someone-else"))));
    }

    @Test
    void theOwnConditionalUpdateAndTheOwnChildsCreationDoNotReconcileAgain(TestEnvironment env) throws Exception {
        env.startManager(controller(true, true));
        env.resources(ConfigMap.class).create(configMap("default", "own"));
        changedBySomeoneElse(env, "own");
        await().untilAsserted(() -> assertThat(passes).contains("someone-else"));
        // first pass, then only the other writer's change: neither own write's event reconciled again
        assertThat(passes).containsExactly("first", "someone-else");
    }

    @Test
    void optedOutTheOwnWritesReconcileAgain(TestEnvironment env) throws Exception {
        env.startManager(controller(false, true));
        env.resources(ConfigMap.class).create(configMap("default", "opted-out"));
        // Nobody else changes the object, so a pass that sees the mark ("-") was queued by the
        // reconciler's own update or by its child's creation. A second "first" may come before it:
        // the child's event can arrive before the ConfigMap informer has the update, and that pass
        // reads the stale cached object (its conditional update then conflicts), as in kube.
        await().untilAsserted(() -> assertThat(passes).contains("-"));
        assertThat(passes.getFirst()).isEqualTo("first");
        assertThat(passes).doesNotContain("someone-else");
    }

    /**
     * The default is controller-runtime's: every write's event reconciles again. A reconciler
     * ported from it that adds its finalizer through the client, returns done and acts on the
     * next pass (the event of its own update) must not stall.
     */
    @Test
    void byDefaultAReconcilerThatAddsItsFinalizerAndReturnsRunsAgainOnItsOwnWrite(TestEnvironment env) throws Exception {
        String finalizer = "example.io/cleanup";
        env.startManager(m -> m.newController().forKind(ConfigMap.class).complete(cm -> {
            if (!cm.metadata().finalizers().contains(finalizer)) {
                passes.add("finalizer added");
                m.client().resources(ConfigMap.class).update(cm.withMetadata(
                        cm.metadata().toBuilder().finalizers(List.of(finalizer)).build()));
                return Result.done(); // counts on this update's event for the next pass
            }
            passes.add("acted");
            return Result.done();
        }));
        env.resources(ConfigMap.class).create(configMap("default", "with-finalizer"));
        await().untilAsserted(() -> assertThat(passes).contains("acted"));
        assertThat(passes.getFirst()).isEqualTo("finalizer added");
    }

    /** An unconditional update's event may carry someone else's change made in between: it reconciles again. */
    @Test
    void anUnconditionalUpdateReconcilesAgain(TestEnvironment env) throws Exception {
        env.startManager(controller(true, false));
        env.resources(ConfigMap.class).create(configMap("default", "unconditional"));
        await().untilAsserted(() -> assertThat(passes).hasSizeGreaterThanOrEqualTo(2));
        assertThat(passes.subList(0, 2)).containsExactly("first", "-");
    }
}
