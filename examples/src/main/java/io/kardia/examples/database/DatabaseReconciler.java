package io.kardia.examples.database;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.model.Condition;
import io.kardia.core.model.Container;
import io.kardia.core.model.ContainerPort;
import io.kardia.core.model.EnvVar;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.PodTemplateSpec;
import io.kardia.core.model.ResourceTypes;
import io.kardia.runtime.CachedClient;
import io.kardia.runtime.Result;
import io.kardia.runtime.StatusUpdates;
import io.kardia.runtime.TerminalException;
import io.kardia.runtime.TypedReconciler;
import io.kardia.runtime.event.EventRecorder;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a {@link Database} into the built-in objects that run it, all controlled by the
 * database (so Kubernetes' garbage collector removes them with it):
 * <ul>
 *   <li>a ServiceAccount the pods run as, a Role granting it read access to the database's own
 *       ConfigMap and Secret, and a RoleBinding tying the two;</li>
 *   <li>a headless Service giving each pod a stable DNS name;</li>
 *   <li>a StatefulSet ({@code serviceName}: that Service) with a data volume per pod;</li>
 *   <li>a one-shot Job that initialises the schema; once it has succeeded the database records
 *       {@code SchemaInitialized} and the Job is not run again.</li>
 * </ul>
 * None of these kinds has a typed model in Kardia: they are {@link GenericObject}s of
 * {@link ResourceTypes#STATEFUL_SET} and its neighbours. Each is written with server-side apply
 * (field manager {@value #FIELD_MANAGER}, forced) when one of the fields the operator owns differs
 * ({@link OwnedObjects}); the status reports readiness from the StatefulSet's status and is applied
 * too.
 */
public final class DatabaseReconciler implements TypedReconciler<Database> {
    public static final int PORT = 5432;
    static final String DATA_VOLUME = "data";
    private static final Logger log = LoggerFactory.getLogger(DatabaseReconciler.class);

    /** The name the operator's writes are recorded under in {@code metadata.managedFields}. */
    static final String FIELD_MANAGER = "database-controller";
    /** Forced, as Kubernetes' controllers apply: the operator is the authority on the fields it applies. */
    private static final WriteOptions APPLY = WriteOptions.apply(FIELD_MANAGER).withForce(true);

    private final ResourceClient<Database> databases;
    private final OwnedObjects owned;
    private final EventRecorder events;
    private final Clock clock;

    /**
     * @param client    reads the children from the manager's caches and writes them
     * @param apiClient writes the database's status (re-reading it after a conflict)
     */
    public DatabaseReconciler(CachedClient client, KubeClient apiClient, EventRecorder events, Clock clock) {
        this.databases = apiClient.resources(Database.class);
        this.owned = new OwnedObjects(client, FIELD_MANAGER);
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The name of the schema-init Job of a database. */
    public static String initJobName(String database) {
        return database + "-init-schema";
    }

    /** The ConfigMap and the Secret the database's pods may read (created by its users, not by the operator). */
    public static List<String> readableNames(String database) {
        return List.of(database + "-config", database + "-credentials");
    }

    @Override
    public Result reconcile(Database db) {
        if (db.metadata().deletionTimestamp() != null) {
            return Result.done(); // the garbage collector removes the children
        }
        GenericObject statefulSet;
        Optional<GenericObject> initJob;
        try {
            owned.ensure(db, ResourceTypes.SERVICE_ACCOUNT, serviceAccount(db));
            owned.ensure(db, ResourceTypes.ROLE, role(db));
            owned.ensure(db, ResourceTypes.ROLE_BINDING, roleBinding(db), "roleRef");
            // A headless Service stays headless.
            owned.ensure(db, ResourceTypes.SERVICE, service(db), "spec.clusterIP");
            statefulSet = owned.ensure(db, ResourceTypes.STATEFUL_SET, statefulSet(db), "spec.selector", "spec.serviceName",
                    "spec.volumeClaimTemplates");
            // A succeeded schema-init Job is not run again.
            initJob = db.status() != null && db.status().isTrue(DatabaseStatus.SCHEMA_INITIALIZED)
                    ? owned.findOwned(db, ResourceTypes.JOB, db.metadata().namespace(), initJobName(db.metadata().name()))
                    : Optional.of(owned.ensure(db, ResourceTypes.JOB, initJob(db), "spec.template"));
        } catch (OwnedObjects.NotOwnedException e) {
            degrade(db, "NameConflict", e.getMessage());
            throw new TerminalException(e.getMessage(), e);
        }
        reportStatus(db, statefulSet, initJob);
        return Result.done();
    }

    private static ObjectMeta childMeta(Database db, String name) {
        return ObjectMeta.builder().namespace(db.metadata().namespace()).name(name).labels(labels(db))
                .ownerReference(OwnerReference.controllerOf(db)).build();
    }

    /** The labels of every child; the StatefulSet's selector is the pods' copy of them. */
    static Map<String, String> labels(Database db) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "database");
        labels.put("app.kubernetes.io/instance", db.metadata().name());
        labels.put("app.kubernetes.io/managed-by", "kardia-database-operator");
        return labels;
    }

    private static GenericObject serviceAccount(Database db) {
        return GenericObject.of(ResourceTypes.SERVICE_ACCOUNT, childMeta(db, db.metadata().name()));
    }

    private static GenericObject role(Database db) {
        return GenericObject.of(ResourceTypes.ROLE, childMeta(db, db.metadata().name()))
                .withAt("rules", List.of(Map.of(
                        "apiGroups", List.of(""),
                        "resources", List.of("configmaps", "secrets"),
                        "resourceNames", readableNames(db.metadata().name()),
                        "verbs", List.of("get", "watch"))));
    }

    private static GenericObject roleBinding(Database db) {
        String name = db.metadata().name();
        return GenericObject.of(ResourceTypes.ROLE_BINDING, childMeta(db, name))
                .withAt("roleRef", Map.of("apiGroup", ResourceTypes.ROLE.group(), "kind", ResourceTypes.ROLE.kind(),
                        "name", name))
                .withAt("subjects", List.of(Map.of("kind", ResourceTypes.SERVICE_ACCOUNT.kind(), "name", name,
                        "namespace", db.metadata().namespace())));
    }

    private static GenericObject service(Database db) {
        return GenericObject.of(ResourceTypes.SERVICE, childMeta(db, db.metadata().name()))
                .withAt("spec.clusterIP", "None")
                .withAt("spec.selector", labels(db))
                .withAt("spec.ports", List.of(Map.of("name", "db", "port", PORT, "targetPort", PORT)))
                // Peers find each other while starting, before they are ready.
                .withAt("spec.publishNotReadyAddresses", true);
    }

    private static GenericObject statefulSet(Database db) {
        String name = db.metadata().name();
        DatabaseSpec spec = db.spec();
        Container server = Container.of("db", spec.effectiveImage())
                .withPorts(List.of(new ContainerPort("db", PORT, "TCP", null, null, null)))
                .withEnv(List.of(EnvVar.of("PGDATA", "/var/lib/postgresql/data/pgdata")));
        // volumeMounts is not a modelled field of Container: it travels in the record's free-form extras.
        server = new Container(server.name(), server.image(), null, null, null, server.ports(), server.env(), null, null,
                Map.of("volumeMounts", List.of(Map.of("name", DATA_VOLUME, "mountPath", "/var/lib/postgresql/data"))));
        PodTemplateSpec template = PodTemplateSpec.of(ObjectMeta.builder().labels(labels(db)).build(),
                PodSpec.builder().serviceAccountName(name).container(server).build());
        return GenericObject.of(ResourceTypes.STATEFUL_SET, childMeta(db, name))
                .withAt("spec.serviceName", name)
                .withAt("spec.replicas", spec.effectiveReplicas())
                .withAt("spec.selector.matchLabels", labels(db))
                .withAt("spec.template", template)
                .withAt("spec.volumeClaimTemplates", List.of(Map.of(
                        "metadata", Map.of("name", DATA_VOLUME),
                        "spec", Map.of("accessModes", List.of("ReadWriteOnce"),
                                "resources", Map.of("requests", Map.of("storage", spec.effectiveStorageSize()))))));
    }

    private static GenericObject initJob(Database db) {
        String name = db.metadata().name();
        // The first pod's stable name through the headless Service.
        String host = name + "-0." + name;
        Container init = Container.of("init-schema", db.spec().effectiveImage())
                .withCommand(List.of("sh", "-c", "until pg_isready -h " + host + "; do sleep 2; done; "
                        + "psql -h " + host + " -U postgres -c 'CREATE SCHEMA IF NOT EXISTS app'"));
        PodTemplateSpec template = PodTemplateSpec.of(ObjectMeta.builder().labels(labels(db)).build(),
                PodSpec.builder().serviceAccountName(name).restartPolicy("OnFailure").container(init).build());
        return GenericObject.of(ResourceTypes.JOB, childMeta(db, initJobName(name)))
                .withAt("spec.backoffLimit", 6)
                .withAt("spec.template", template);
    }

    private void reportStatus(Database db, GenericObject statefulSet, Optional<GenericObject> initJob) {
        int wanted = db.spec().effectiveReplicas();
        long generation = statefulSet.metadata().generation() == null ? 0 : statefulSet.metadata().generation();
        boolean observed = statefulSet.at("status.observedGeneration", Long.class).orElse(0L) >= generation;
        int ready = statefulSet.at("status.readyReplicas", Integer.class).orElse(0);
        int updated = statefulSet.at("status.updatedReplicas", Integer.class).orElse(0);
        boolean isReady = observed && ready >= wanted && updated >= wanted;
        String podsMessage = ready + " of " + wanted + " pods ready";

        DatabaseStatus before = db.status() == null ? DatabaseStatus.EMPTY : db.status();
        boolean schemaDone = before.isTrue(DatabaseStatus.SCHEMA_INITIALIZED) || initJob.map(DatabaseReconciler::succeeded).orElse(false);
        boolean schemaFailed = !schemaDone && initJob.map(DatabaseReconciler::failed).orElse(false);
        Condition schema = schemaDone ? cond(DatabaseStatus.SCHEMA_INITIALIZED, true, "JobSucceeded", "the schema-init Job succeeded")
                : schemaFailed ? cond(DatabaseStatus.SCHEMA_INITIALIZED, false, "JobFailed", "the schema-init Job failed; "
                        + "delete Job " + initJobName(db.metadata().name()) + " to run it again")
                : cond(DatabaseStatus.SCHEMA_INITIALIZED, false, "JobRunning", "the schema-init Job has not succeeded yet");
        DatabaseStatus after = before.withReadyReplicas(ready).withConditions(conditions(before,
                cond(DatabaseStatus.READY, isReady, isReady ? "PodsReady" : "PodsNotReady", podsMessage),
                schema,
                cond(DatabaseStatus.DEGRADED, false, "Reconciled", "every object of the database is up to date")));
        writeStatus(db, after);
        if (isReady && !before.isTrue(DatabaseStatus.READY)) {
            events.normal(db, "Ready", "Database is ready: " + podsMessage);
        }
        if (schemaDone && !before.isTrue(DatabaseStatus.SCHEMA_INITIALIZED)) {
            events.normal(db, "SchemaInitialized", "the schema-init Job succeeded");
        }
    }

    private static boolean succeeded(GenericObject job) {
        return job.at("status.succeeded", Integer.class).orElse(0) > 0 || jobCondition(job, "Complete");
    }

    private static boolean failed(GenericObject job) {
        return jobCondition(job, "Failed");
    }

    private static boolean jobCondition(GenericObject job, String type) {
        List<?> conditions = job.at("status.conditions", List.class).orElse(List.of());
        return conditions.stream().anyMatch(c -> c instanceof Map<?, ?> m && type.equals(m.get("type"))
                && Condition.TRUE.equals(m.get("status")));
    }

    private void degrade(Database db, String reason, String message) {
        DatabaseStatus before = db.status() == null ? DatabaseStatus.EMPTY : db.status();
        DatabaseStatus after = before.withConditions(conditions(before,
                cond(DatabaseStatus.READY, false, reason, message),
                cond(DatabaseStatus.DEGRADED, true, reason, message)));
        writeStatus(db, after);
        Optional<Condition> was = Condition.find(before.conditions(), DatabaseStatus.DEGRADED);
        if (was.isEmpty() || !was.get().isTrue() || !Objects.equals(was.get().message(), message)) {
            events.warning(db, reason, message);
        }
        log.warn("Database {} is degraded ({}): {}", db.key(), reason, message);
    }

    private List<Condition> conditions(DatabaseStatus before, Condition... updates) {
        List<Condition> out = before.conditions();
        for (Condition c : updates) {
            out = Condition.set(out, c, clock.instant().truncatedTo(ChronoUnit.SECONDS)); // metav1.Time has seconds
        }
        return out;
    }

    private static Condition cond(String type, boolean status, String reason, String message) {
        return Condition.of(type, status ? Condition.TRUE : Condition.FALSE, reason, message, null);
    }

    /**
     * Applies the status with this generation observed (through the status subresource; an apply
     * carries no resourceVersion, so a concurrent change of the database is no conflict); an
     * unchanged status is not written.
     */
    private void writeStatus(Database db, DatabaseStatus status) {
        DatabaseStatus observed = status.withObservedGeneration(db.metadata().generation());
        if (StatusUpdates.statusChanged(db, db.withStatus(observed))) {
            databases.applyStatus(Database.of(ObjectMeta.of(db.metadata().namespace(), db.metadata().name()), null)
                    .withStatus(observed), APPLY);
        }
    }
}
