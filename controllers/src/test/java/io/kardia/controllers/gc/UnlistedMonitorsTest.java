package io.kardia.controllers.gc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.DeleteOptions.PropagationPolicy;
import io.kardia.core.client.ForwardingKubeClient;
import io.kardia.core.client.ForwardingResourceClient;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ListOptions;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.Event;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectList;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.core.model.Secret;
import io.kardia.runtime.Manager;
import io.kardia.runtime.testkit.Eventually;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The collector decides nothing from a monitor whose first list is not in yet: a missing owner
 * may be one in another namespace (reported), and dependents to orphan or wait for may exist. The
 * first list of one kind is held back here until the collector has judged the object at least
 * once; each test fails if that judgement acted on the incomplete cache.
 */
@KardiaTest
class UnlistedMonitorsTest {
    private static final String NS = "ns";

    /** Secret {@code ns/cross}, whose controller is a ConfigMap in namespace {@code other} (not allowed). */
    private static ResourceClient<Secret> crossNamespaceDependent(TestEnvironment env) {
        env.createNamespace(NS);
        env.createNamespace("other");
        ConfigMap owner = env.resources(ConfigMap.class).create(ConfigMap.of(ObjectMeta.of("other", "owner"), Map.of()));
        ResourceClient<Secret> secrets = env.resources(Secret.class);
        secrets.create(Secret.ofStrings(ObjectMeta.builder().namespace(NS).name("cross")
                .ownerReference(OwnerReference.controllerOf(owner)).build(), Map.of()));
        return secrets;
    }

    @Test
    void anOwnerInAnotherNamespaceIsReportedOnceItsKindIsListed(TestEnvironment env) throws Exception {
        ResourceClient<Secret> secrets = crossNamespaceDependent(env);

        try (HeldFirstList configMapsHeld = new HeldFirstList("configmaps")) {
            Manager gc = configMapsHeld.startCollector(env);
            awaitJudgedOnce(gc);
            assertThat(secrets.find(NS, "cross")).as("kept while the owner's kind is not listed").isPresent();
        }
        env.awaitAbsent(Secret.class, NS, "cross");
        awaitEvent(env, "cross", Collection.INVALID_NAMESPACE);
    }

    @Test
    void orphaningWaitsForTheDependentsFirstList(TestEnvironment env) throws Exception {
        env.createNamespace(NS);
        ResourceClient<ConfigMap> configMaps = env.resources(ConfigMap.class);
        ConfigMap owner = configMaps.create(ConfigMap.of(ObjectMeta.of(NS, "owner"), Map.of()));
        ResourceClient<Secret> secrets = env.resources(Secret.class);
        secrets.create(Secret.ofStrings(ObjectMeta.builder().namespace(NS).name("kept")
                .ownerReference(OwnerReference.controllerOf(owner)).build(), Map.of()));
        configMaps.delete(NS, "owner", DeleteOptions.propagation(PropagationPolicy.Orphan)); // waits: no collector yet

        try (HeldFirstList secretsHeld = new HeldFirstList("secrets")) {
            Manager gc = secretsHeld.startCollector(env);
            awaitJudgedOnce(gc);
            assertThat(configMaps.find(NS, "owner")).as("the owner waits with its orphan finalizer")
                    .hasValueSatisfying(o -> assertThat(o.metadata().finalizers()).contains(GarbageCollector.ORPHAN));
        }
        env.awaitAbsent(ConfigMap.class, NS, "owner");
        assertThat(secrets.find(NS, "kept")).as("orphaned, not collected")
                .hasValueSatisfying(s -> assertThat(s.metadata().ownerReferences()).isEmpty());
    }

    @Test
    void aForegroundDeletionWaitsForTheDependentsFirstList(TestEnvironment env) throws Exception {
        env.createNamespace(NS);
        ResourceClient<ConfigMap> configMaps = env.resources(ConfigMap.class);
        ConfigMap owner = configMaps.create(ConfigMap.of(ObjectMeta.of(NS, "owner"), Map.of()));
        env.resources(Secret.class).create(Secret.ofStrings(ObjectMeta.builder().namespace(NS).name("blocking")
                .ownerReference(OwnerReference.controllerOf(owner)).build(), Map.of()));
        configMaps.delete(NS, "owner", DeleteOptions.propagation(PropagationPolicy.Foreground));

        try (HeldFirstList secretsHeld = new HeldFirstList("secrets")) {
            Manager gc = secretsHeld.startCollector(env);
            awaitJudgedOnce(gc);
            assertThat(configMaps.find(NS, "owner")).as("the owner waits for its blocking dependent")
                    .hasValueSatisfying(o -> assertThat(o.metadata().finalizers()).contains(GarbageCollector.FOREGROUND));
        }
        env.awaitAbsent(ConfigMap.class, NS, "owner");
        assertThat(env.resources(Secret.class).find(NS, "blocking")).as("deleted before its owner").isEmpty();
    }

    @Test
    void anOwnerWhoseKindsMonitorIsStillBeingMadeIsJudgedOnlyOnceItIsListed(TestEnvironment env) throws Exception {
        ResourceClient<Secret> secrets = crossNamespaceDependent(env);

        // Every other monitor is made (the Secret one starts and queues the Secret) while the
        // ConfigMap monitor is still being made: the Secret's owner must not be judged without it
        // (a live read in the Secret's namespace finds nothing and would delete it unreported).
        try (HeldMonitorCreation configMapsHeld = new HeldMonitorCreation("configmaps")) {
            Manager gc = env.startManager(Manager.builder(env.client()).ownsClient(false)
                    .cacheSyncTimeout(Duration.ofSeconds(10)).gracefulShutdownTimeout(Duration.ofSeconds(5)),
                    m -> GarbageCollector.register(m, configMapsHeld));
            configMapsHeld.awaitHeld();
            // The discovery is held in one worker, so any finished reconcile is a judgement of the
            // Secret; one waiting for the sync in progress to look the monitor up is a second active worker.
            Eventually.eventually(Duration.ofSeconds(60), "the Secret to be judged while the ConfigMap monitor is being made",
                    () -> reconciles(gc) >= 1 || activeWorkers(gc) >= 2, judged -> judged);
            assertThat(secrets.find(NS, "cross")).as("kept while its owner's kind has no monitor yet").isPresent();
        }
        env.awaitAbsent(Secret.class, NS, "cross");
        awaitEvent(env, "cross", Collection.INVALID_NAMESPACE); // judged from the listed ConfigMap cache
    }

    private static double activeWorkers(Manager gc) {
        var gauge = gc.meterRegistry().find("controller.runtime.active.workers").tag("controller", GarbageCollector.NAME)
                .gauge();
        return gauge == null ? 0 : gauge.value();
    }

    private static double reconciles(Manager gc) {
        return gc.meterRegistry().find("controller.runtime.reconcile").tag("controller", GarbageCollector.NAME)
                .counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /**
     * The collector has finished at least two reconciles: its discovery and a judgement. Only the
     * object under test can be judged (it is the only one with an owner or a collector finalizer,
     * and with no CRD there is no other discovery), so it has been judged at least once.
     */
    private static void awaitJudgedOnce(Manager gc) {
        assertThat(gc.apiClient().resources(ResourceTypes.CUSTOM_RESOURCE_DEFINITION).list(null).items()).isEmpty();
        Eventually.eventually("the collector to judge the object", () -> reconciles(gc), n -> n >= 2);
    }

    private static void awaitEvent(TestEnvironment env, String involved, String reason) {
        Eventually.eventually("a " + reason + " Event about " + involved,
                () -> env.resources(Event.class).list(NS).items(),
                events -> events.stream().anyMatch(e -> reason.equals(e.reason())
                        && involved.equals(e.involvedObject().name())));
    }

    /**
     * Makes the monitor of one kind last, and only once the test closes it: the other monitors
     * exist and run meanwhile, whatever order discovery lists the kinds in. Later syncs are not held.
     */
    private static final class HeldMonitorCreation implements ResourceMonitors.MonitorStarts, AutoCloseable {
        private final String groupResource;
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        HeldMonitorCreation(String groupResource) {
            this.groupResource = groupResource;
        }

        @Override
        public void startAll(List<String> groupResources, Consumer<String> make) {
            if (!groupResources.contains(groupResource) || held.getCount() == 0) {
                groupResources.forEach(make);
                return;
            }
            groupResources.stream().filter(gr -> !gr.equals(groupResource)).forEach(make);
            held.countDown();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the " + groupResource + " monitor was held", e);
            }
            make.accept(groupResource);
        }

        void awaitHeld() throws InterruptedException {
            assertThat(held.await(30, TimeUnit.SECONDS)).as("the collector to come to the " + groupResource + " monitor")
                    .isTrue();
        }

        @Override
        public void close() {
            released.countDown();
        }
    }

    /**
     * A client whose lists and watches of one resource wait until it is closed, so the collector's
     * monitor of that kind stays unlisted while the test looks.
     */
    private static final class HeldFirstList implements AutoCloseable {
        private final String plural;
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        HeldFirstList(String plural) {
            this.plural = plural;
        }

        /** Starts a manager with only the collector on the held client, once its monitor of the held kind is waiting. */
        Manager startCollector(TestEnvironment env) throws InterruptedException {
            KubeClient held = new ForwardingKubeClient(env.client()) {
                @Override
                public <T extends KubeObject> ResourceClient<T> resources(ResourceType<T> type) {
                    ResourceClient<T> plain = super.resources(type);
                    if (!type.plural().equals(plural)) {
                        return plain;
                    }
                    return new ForwardingResourceClient<>(plain) {
                        @Override
                        public ObjectList<T> list(String namespace, ListOptions options) {
                            hold();
                            return super.list(namespace, options);
                        }

                        @Override
                        public Watch<T> watch(String namespace, WatchOptions options) {
                            hold();
                            return super.watch(namespace, options);
                        }
                    };
                }
            };
            Manager gc = env.startManager(Manager.builder(held).ownsClient(false).cacheSyncTimeout(Duration.ofSeconds(10))
                    .gracefulShutdownTimeout(Duration.ofSeconds(5)), GarbageCollector::register);
            assertThat(reached.await(30, TimeUnit.SECONDS)).as("the collector to list " + plural).isTrue();
            return gc;
        }

        private void hold() {
            reached.countDown();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the list of " + plural + " was held", e);
            }
        }

        @Override
        public void close() {
            released.countDown();
        }
    }
}
