package ${package};

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.model.Condition;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import io.kardia.runtime.CachedClient;
import io.kardia.runtime.CachedResources;
import io.kardia.runtime.Result;
import io.kardia.runtime.StatusUpdates;
import io.kardia.runtime.TypedReconciler;
import io.kardia.runtime.micronaut.KardiaController;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one ConfigMap per ${kind}, named {@code <name>-config}, holding {@code spec.data} and
 * controlled by the ${kind}: Kubernetes' garbage collector deletes it with its owner, and a change
 * to it (a hand edit, a deletion) brings the ${kind} back here, so it is put right.
 *
 * <p>Reconcile is level-triggered: it compares what is with what should be and acts on the
 * difference, whatever event caused it. Replace the ConfigMap with what your operator manages.
 *
 * <p>Writes use server-side apply: the operator sends only the fields it owns (as field manager
 * {@value #FIELD_MANAGER}); the API server merges them into the object, keeps fields others own
 * (a label someone added by hand), and removes what the operator stopped setting.
 */
@KardiaController(forKind = ${kind}.class, owns = ConfigMap.class)
public final class ${kind}Reconciler implements TypedReconciler<${kind}> {
    private static final Logger log = LoggerFactory.getLogger(${kind}Reconciler.class);
    /** The name this operator's writes are recorded under in {@code metadata.managedFields}. */
    static final String FIELD_MANAGER = "${artifactId}";
    /**
     * Forced, as Kubernetes recommends for controllers: the operator is the authority on the fields
     * it applies, so a hand edit of one of them is taken back instead of failing with a conflict.
     */
    private static final WriteOptions APPLY = WriteOptions.apply(FIELD_MANAGER).withForce(true);

    private final ResourceClient<${kind}> resources;
    private final CachedResources<ConfigMap> configMaps;
    private final Clock clock;

    /**
     * @param client reads from the manager's cache (may lag a little) and writes to the API
     * @param api    the API itself: the status is applied through it
     * @param clock  the manager's wall clock ({@code manager.clock().wallClock()}), for the
     *               conditions' timestamps: the system's in production, the virtual one under
     *               simulation (where {@code Instant.now()} would be real time)
     */
    public ${kind}Reconciler(CachedClient client, KubeClient api, Clock clock) {
        this.resources = api.resources(${kind}.class);
        this.configMaps = client.resources(ConfigMap.class);
        this.clock = clock;
    }

    static String configMapName(${kind} resource) {
        return resource.metadata().name() + "-config";
    }

    @Override
    public Result reconcile(${kind} resource) {
        if (resource.metadata().isBeingDeleted()) {
            return Result.done(); // the garbage collector removes the owned ConfigMap
        }
        ObjectMeta meta = resource.metadata();
        String name = configMapName(resource);
        Optional<ConfigMap> existing = configMaps.find(meta.namespace(), name);
        if (existing.isPresent() && !isControlledBy(existing.get(), resource)) {
            return setReady(resource, false, "NameConflict", "ConfigMap " + name + " exists and belongs to someone else");
        }
        if (existing.isEmpty() || !existing.get().data().equals(resource.spec().data())) {
            // exactly the fields this operator owns; the API server creates the ConfigMap if it is missing
            ConfigMap desired = ConfigMap.of(ObjectMeta.builder().namespace(meta.namespace()).name(name)
                    .label("app.kubernetes.io/managed-by", "${artifactId}")
                    .ownerReference(OwnerReference.controllerOf(resource)).build(), resource.spec().data());
            configMaps.apply(desired, APPLY);
            log.info("applied ConfigMap {}/{} for ${kind} {}", meta.namespace(), name, resource.key());
        }
        return setReady(resource, true, "ConfigMapReady", "ConfigMap " + name + " holds spec.data");
    }

    private static boolean isControlledBy(ConfigMap configMap, ${kind} owner) {
        return configMap.metadata().controllerRef().map(r -> Objects.equals(r.uid(), owner.metadata().uid())).orElse(false);
    }

    /**
     * Applies the status (through the status subresource, as this operator's field manager) only
     * if it changed: an unchanged status causes no write and no new event. An apply needs no
     * resourceVersion, so it cannot fail on a concurrent change of the object.
     */
    private Result setReady(${kind} resource, boolean ready, String reason, String message) {
        Condition condition = Condition.of("Ready", ready ? Condition.TRUE : Condition.FALSE, reason, message, null);
        ${kind}.Status before = resource.status() == null ? ${kind}.Status.EMPTY : resource.status();
        ${kind}.Status after = before.withObservedGeneration(resource.metadata().generation())
                .withConfigMapName(configMapName(resource))
                .withConditions(Condition.set(before.conditions(), condition, clock.instant().truncatedTo(ChronoUnit.SECONDS)));
        if (StatusUpdates.statusChanged(resource, resource.withStatus(after))) {
            ObjectMeta meta = resource.metadata();
            // only what this operator owns: the object's name and its status
            resources.applyStatus(${kind}Builder.builder().metadata(ObjectMeta.of(meta.namespace(), meta.name()))
                    .status(after).build(), APPLY);
        }
        return Result.done();
    }
}
