package io.kardia.controllers.gc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.controllers.workload.WorkloadControllers;
import io.kardia.core.client.ForwardingKubeClient;
import io.kardia.core.client.ForwardingResourceClient;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ListOptions;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.CustomResourceDefinition;
import io.kardia.core.model.Event;
import io.kardia.core.model.CustomResourceDefinition.Names;
import io.kardia.core.model.CustomResourceDefinition.Spec;
import io.kardia.core.model.CustomResourceDefinition.Subresources;
import io.kardia.core.model.CustomResourceDefinition.Version;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectList;
import io.kardia.core.model.PartialObjectMetadata;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.runtime.Manager;
import io.kardia.runtime.testkit.Eventually;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Collection of dependents of any kind owned by custom resources and typed kinds, and the references it refuses to judge. */
@KardiaTest
class CustomResourceOwnersTest {
    private static final String NS = "ns";
    private static final ResourceType<GenericObject> WIDGET = ResourceType.generic("example.com", "v1", "Widget", "widgets", true);

    private static ResourceClient<GenericObject> widgets(TestEnvironment env) {
        Map<String, Object> schema = Map.of("type", "object", "x-kubernetes-preserve-unknown-fields", true);
        env.resources(CustomResourceDefinition.class).create(CustomResourceDefinition.of(Spec.of(WIDGET.group(),
                Names.of(WIDGET.plural(), WIDGET.singular(), WIDGET.kind()), CustomResourceDefinition.NAMESPACED,
                List.of(new Version("v1", true, true, Map.of("openAPIV3Schema", schema), Subresources.withStatus(), null)))));
        var client = env.client().resources(WIDGET);
        Eventually.eventually("the Widget kind to be served", () -> {
            try {
                client.list(NS);
                return true;
            } catch (RuntimeException notYet) {
                return false;
            }
        }, ok -> ok);
        return client;
    }

    private static GenericObject owned(ResourceType<GenericObject> type, String name, OwnerReference... owners) {
        ObjectMeta.Builder meta = ObjectMeta.builder().namespace(NS).name(name);
        for (OwnerReference o : owners) {
            meta.ownerReference(o);
        }
        return GenericObject.of(type, meta.build());
    }

    private static GenericObject service(String name, OwnerReference... owners) {
        return owned(ResourceTypes.SERVICE, name, owners).withAt("spec.ports", List.of(Map.of("port", 80)));
    }

    @Test
    void dependentsOfADeletedCustomResourceAreCollectedAndSharedOnesKeepTheirOtherOwner(TestEnvironment env)
            throws Exception {
        env.createNamespace(NS);
        ResourceClient<GenericObject> widgets = widgets(env);
        GenericObject widget = widgets.create(GenericObject.of(WIDGET, ObjectMeta.of(NS, "w")));
        GenericObject keeper = widgets.create(GenericObject.of(WIDGET, ObjectMeta.of(NS, "keeper")));
        ConfigMap other = env.resources(ConfigMap.class).create(ConfigMap.of(ObjectMeta.of(NS, "other"), Map.of()));
        var services = env.client().resources(ResourceTypes.SERVICE);
        var accounts = env.client().resources(ResourceTypes.SERVICE_ACCOUNT);
        services.create(service("only-w", OwnerReference.controllerOf(widget)));
        accounts.create(owned(ResourceTypes.SERVICE_ACCOUNT, "shared", OwnerReference.controllerOf(widget),
                new OwnerReference("v1", "ConfigMap", "other", other.metadata().uid(), false, false, null)));
        services.create(service("of-keeper", OwnerReference.controllerOf(keeper)));
        env.startManager(WorkloadControllers::register);

        widgets.delete(NS, "w");
        env.awaitAbsent(ResourceTypes.SERVICE, NS, "only-w");
        GenericObject shared = env.awaitObject(ResourceTypes.SERVICE_ACCOUNT, NS, "shared",
                sa -> sa.metadata().ownerReferences().size() == 1);
        assertThat(shared.metadata().ownerReferences()).singleElement()
                .satisfies(r -> assertThat(r.uid()).isEqualTo(other.metadata().uid()));
        assertThat(services.find(NS, "of-keeper")).as("its owner still exists").isPresent();
    }

    @Test
    void aDependentWhoseOwnerWentWhileTheCollectorWasDownIsCollectedOnStart(TestEnvironment env) throws Exception {
        env.createNamespace(NS);
        ResourceClient<GenericObject> widgets = widgets(env);
        GenericObject widget = widgets.create(GenericObject.of(WIDGET, ObjectMeta.of(NS, "gone")));
        var roles = env.client().resources(ResourceTypes.ROLE);
        roles.create(owned(ResourceTypes.ROLE, "orphaned", OwnerReference.controllerOf(widget)));
        // An owner of a kind the server does not serve cannot be judged: its dependent stays.
        OwnerReference unknown = new OwnerReference("nowhere.example.com/v1", "Ghost", "g", "uid-1", true, true, null);
        roles.create(owned(ResourceTypes.ROLE, "unjudged", unknown));
        widgets.delete(NS, "gone");

        env.startManager(WorkloadControllers::register);
        env.awaitAbsent(ResourceTypes.ROLE, NS, "orphaned");
        awaitEvent(env, NS, "unjudged", Collection.UNKNOWN_KIND);
        assertThat(roles.find(NS, "unjudged")).isPresent();
    }

    /**
     * The collector's own monitors (kinds no controller of the process shares) list and watch
     * metadata only: a custom resource's spec never crosses the wire into the collector's cache.
     */
    @Test
    void customResourcesAreMonitoredThroughMetadataOnlyListsAndWatches(TestEnvironment env) throws Exception {
        env.createNamespace(NS);
        ResourceClient<GenericObject> widgets = widgets(env);
        GenericObject widget = widgets.create(GenericObject.of(WIDGET, ObjectMeta.of(NS, "big"))
                .withAt("spec.payload", "x".repeat(10_000)));
        env.client().resources(ResourceTypes.SERVICE).create(service("of-big", OwnerReference.controllerOf(widget)));
        Map<String, Set<Class<?>>> listedOrWatched = new ConcurrentHashMap<>();
        KubeClient recording = new ForwardingKubeClient(env.client()) {
            @Override
            public <T extends KubeObject> ResourceClient<T> resources(ResourceType<T> type) {
                return new ForwardingResourceClient<>(super.resources(type)) {
                    @Override
                    public ObjectList<T> list(String namespace, ListOptions options) {
                        record(type);
                        return super.list(namespace, options);
                    }

                    @Override
                    public Watch<T> watch(String namespace, WatchOptions options) {
                        record(type);
                        return super.watch(namespace, options);
                    }
                };
            }

            private void record(ResourceType<?> type) {
                listedOrWatched.computeIfAbsent(type.plural(), p -> ConcurrentHashMap.newKeySet()).add(type.javaType());
            }
        };
        env.startManager(Manager.builder(recording).ownsClient(false).cacheSyncTimeout(Duration.ofSeconds(10))
                .gracefulShutdownTimeout(Duration.ofSeconds(5)), GarbageCollector::register);
        Eventually.eventually("the collector to watch widgets", () -> listedOrWatched.containsKey(WIDGET.plural()), w -> w);

        widgets.delete(NS, "big");
        env.awaitAbsent(ResourceTypes.SERVICE, NS, "of-big");
        assertThat(listedOrWatched.get(WIDGET.plural())).containsExactly(PartialObjectMetadata.class);
    }

    /** kube: a cluster-scoped dependent cannot have a namespaced owner; it is reported and never collected. */
    @Test
    void aClusterScopedDependentOfANamespacedKindIsReportedAndKept(TestEnvironment env) throws Exception {
        env.createNamespace(NS);
        env.startManager(GarbageCollector::register);
        ConfigMap owner = env.resources(ConfigMap.class).create(ConfigMap.of(ObjectMeta.of(NS, "owner"), Map.of()));
        var clusterRoles = env.client().resources(ResourceTypes.CLUSTER_ROLE);
        clusterRoles.create(GenericObject.of(ResourceTypes.CLUSTER_ROLE, ObjectMeta.builder().name("invalid")
                .ownerReference(OwnerReference.controllerOf(owner)).build()));
        env.resources(ConfigMap.class).delete(NS, "owner");
        awaitEvent(env, null, "invalid", Collection.INVALID_NAMESPACE);
        assertThat(clusterRoles.find(null, "invalid")).as("never collected").isPresent();
    }

    /** As kube: an owner reference designates an object in the dependent's namespace only; one elsewhere is reported. */
    @Test
    void anOwnerInAnotherNamespaceDoesNotKeepItsDependent(TestEnvironment env) throws Exception {
        env.createNamespace(NS);
        env.createNamespace("other");
        // The event needs the collector's ConfigMap cache to hold the owner when it judges the
        // dependent (else the dependent is only dangling, as in kube): the owner exists before
        // the collector starts, so its monitor's first list has it, and the collector judges
        // nothing before that list is in (UnlistedMonitorsTest).
        ConfigMap owner = env.resources(ConfigMap.class).create(ConfigMap.of(ObjectMeta.of("other", "owner"), Map.of()));
        env.startManager(GarbageCollector::register);
        var services = env.client().resources(ResourceTypes.SERVICE);
        services.create(service("cross", OwnerReference.controllerOf(owner)));
        env.awaitAbsent(ResourceTypes.SERVICE, NS, "cross");
        awaitEvent(env, NS, "cross", Collection.INVALID_NAMESPACE);
        assertThat(env.resources(ConfigMap.class).find("other", "owner")).isPresent();
    }

    private static void awaitEvent(TestEnvironment env, String namespace, String involved, String reason) {
        Eventually.eventually("a " + reason + " Event about " + involved,
                () -> env.resources(Event.class).list(namespace).items(),
                events -> events.stream().anyMatch(e -> reason.equals(e.reason())
                        && involved.equals(e.involvedObject().name())));
    }

    @Test
    void aServiceOwnedByATypedKindGoesWithIt(TestEnvironment env) throws Exception {
        env.createNamespace(NS);
        env.startManager(WorkloadControllers::register);
        var configMaps = env.resources(ConfigMap.class);
        ConfigMap owner = configMaps.create(ConfigMap.of(ObjectMeta.of(NS, "owner"), Map.of()));
        var services = env.client().resources(ResourceTypes.SERVICE);
        services.create(service("svc", OwnerReference.controllerOf(owner)));
        env.awaitObject(ResourceTypes.SERVICE, NS, "svc", s -> true);
        configMaps.delete(NS, "owner");
        env.awaitAbsent(ResourceTypes.SERVICE, NS, "svc");
    }
}
