package io.kardia.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ListOptions;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.Status;
import io.kardia.store.client.InProcessKubeClient;
import io.kardia.store.admission.AdmissionChain;
import io.kardia.store.admission.MutatingPolicies;
import io.kardia.store.admission.ValidatingPolicies;
import io.kardia.store.admission.ValidatingPolicyStatus;
import io.kardia.store.admission.WebhookConfigurations;
import io.kardia.store.journal.Journal;
import io.kardia.store.patch.Patches;
import io.kardia.store.strategy.KindStrategy;
import io.kardia.store.strategy.Strategies;
import io.kardia.store.validation.Validators;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference API store: kube-apiserver + etcd semantics in process. One global revision, MVCC
 * history for lists at a revision, paging and watches, per-kind validation and strategies,
 * custom resources from CustomResourceDefinitions, and durability through a {@link Journal}.
 *
 * <p>Every operation maps 1:1 onto a Kubernetes REST request: it takes the resource type, the
 * namespace and name from the path, the body as JSON, and core's option records; it returns
 * {@link StoredObject}s (JSON tree and bytes) and fails with {@link KubeApiException}s carrying
 * the {@link Status} kube-apiserver would answer. Writes are acknowledged only once durable in
 * the journal and visible to readers and watchers.
 */
public final class ReferenceStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceStore.class);
    private static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");
    private static final long FUTURE_REVISION_WAIT_NANOS = TimeUnit.SECONDS.toNanos(3);

    private final StoreOptions options;
    private final Journal journal;
    final MvccIndex index = new MvccIndex();
    private final ChangeLog log = new ChangeLog();
    private final WatchHub hub = new WatchHub();
    final TypeRegistry types = new TypeRegistry();
    private final Validators validators = Validators.builtIns();
    /** The write limits and the size limit every stored object is held to. */
    private final DraftChecks draftChecks;
    private final CommitPipeline pipeline;
    /** The background thread: bookmarks, compaction, watch timeouts, in-store lifecycle. */
    private final StoreTimers timers;
    final ScheduledExecutorService background;
    private final CustomKinds customKinds;
    private final SubresourceWrites subresources = new SubresourceWrites(this);
    private final PodEviction evictions = new PodEviction(this);
    private final HistoryCompactor compactor;
    private final Snapshotter snapshotter;
    volatile boolean closed;
    /** The store's own namespace and CRD cleanup, used when {@link StoreOptions#inStoreLifecycle()} is on. */
    private final InStoreLifecycle lifecycle = new InStoreLifecycle(this);
    /** kube-apiserver's generic delete rules (preconditions, grace, finalizers, marking deleted). */
    final DeletionRules deletionRules;
    /** kube-apiserver's generic update rules (preconditions, system fields, status, finalizers, generation). */
    private final UpdateRules updateRules;
    /** kube-apiserver's generic create rules (system fields, namespace admission, defaults, validation). */
    private final CreateRules createRules;
    /** Server-side apply. */
    private final ApplyRules applyRules;
    /** Field ownership (metadata.managedFields) of every write. */
    final ManagedFieldsTracker managedFields;
    /** Cluster IPs and node ports of Services. */
    final ServiceAllocator serviceAllocator;
    /** LIST: the revision a list is served at, and its pages. */
    private final ListReader lists;
    private final WatchStarter watches;
    /** Admission (ValidatingAdmissionPolicies now; webhooks later), run by every write path before commit. */
    final AdmissionChain admission = new AdmissionChain(new StoreAdmissionContext(this));
    /** ValidatingAdmissionPolicies' status.typeChecking, written as kube's status controller writes it. */
    private final ValidatingPolicyStatus policyStatus = new ValidatingPolicyStatus(new StoreAdmissionContext(this),
            name -> java.util.Optional.ofNullable(index.latest(POLICIES, MvccIndex.key("", name))).map(StoredObject::tree),
            this::applyPolicyStatus);
    {
        customKinds = new CustomKinds(types, validators, hub, admission); // after the admission chain: conversion webhooks use its caller
    }

    /** Source of generated names and uids; null: {@link java.util.concurrent.ThreadLocalRandom} (see {@link #inMemory(StoreOptions, java.util.random.RandomGenerator)}). */
    final java.util.random.RandomGenerator random;

    private ReferenceStore(StoreOptions options, Journal journal) {
        this(options, journal, null);
    }

    private ReferenceStore(StoreOptions options, Journal journal, java.util.random.RandomGenerator random) {
        this(options, journal, random, new StoreTimers());
    }

    private ReferenceStore(StoreOptions options, Journal journal, java.util.random.RandomGenerator random,
                           StoreTimers timers) {
        this.timers = timers;
        this.background = timers.executor();
        this.random = random;
        this.options = options;
        this.journal = journal;
        this.draftChecks = new DraftChecks(WriteLimits.defaults(), options.maxObjectBytes());
        this.serviceAllocator = new ServiceAllocator(index, options.serviceNetwork());
        this.deletionRules = new DeletionRules(this, options);
        this.updateRules = new UpdateRules(this, validators);
        this.createRules = new CreateRules(this, validators);
        this.managedFields = new ManagedFieldsTracker(types);
        this.applyRules = new ApplyRules(this, updateRules, createRules);
        this.pipeline = new CommitPipeline(index, log, hub, journal, this::onVisible);
        this.lists = new ListReader(this, index, pipeline);
        this.compactor = new HistoryCompactor(index, log, pipeline, options);
        this.snapshotter = new Snapshotter(index, journal, pipeline, options.snapshotEveryWrites());
        this.watches = new WatchStarter(this, index, log, hub, pipeline, background, options.watchBufferSize(),
                options.watchList());
    }

    /** A store that keeps everything in memory (tests, benchmarks). */
    public static ReferenceStore inMemory() {
        return open(StoreOptions.defaults(), Journal.inMemory());
    }

    public static ReferenceStore inMemory(StoreOptions options) {
        return open(options, Journal.inMemory());
    }

    /**
     * An in-memory store whose generated names ({@code generateName}) and uids come from
     * {@code random}: with a seeded one (and a fixed clock in the options) two runs of the same
     * requests store the same objects, as the simulation test kit needs. Not for concurrent use
     * unless {@code random} is thread-safe.
     */
    public static ReferenceStore inMemory(StoreOptions options, java.util.random.RandomGenerator random) {
        return open(new ReferenceStore(options, Journal.inMemory(), java.util.Objects.requireNonNull(random, "random")),
                options);
    }

    /**
     * {@link #inMemory(StoreOptions, java.util.random.RandomGenerator)} whose timed work (watch
     * timeouts, bookmarks, compaction, in-store lifecycle) runs on {@code background} instead of
     * the store's own thread: a simulation hands in one on its virtual time.
     */
    public static ReferenceStore inMemory(StoreOptions options, java.util.random.RandomGenerator random,
                                          ScheduledExecutorService background) {
        return open(options, Journal.inMemory(), random, background);
    }

    /**
     * {@link #inMemory(StoreOptions, java.util.random.RandomGenerator, ScheduledExecutorService)}
     * over {@code journal}, whose state it recovers first: a simulation restarts its store from a
     * {@link io.kardia.store.journal.RetainedJournal} this way.
     */
    public static ReferenceStore open(StoreOptions options, Journal journal, java.util.random.RandomGenerator random,
                                      ScheduledExecutorService background) {
        return open(new ReferenceStore(options, journal, java.util.Objects.requireNonNull(random, "random"),
                new StoreTimers(java.util.Objects.requireNonNull(background, "background"))), options);
    }

    /**
     * Opens a store over a journal: recovers the state it holds, creates the system namespaces on a
     * fresh store, and starts compaction and bookmark timers.
     */
    public static ReferenceStore open(StoreOptions options, Journal journal) {
        return open(new ReferenceStore(options, journal), options);
    }

    private static ReferenceStore open(ReferenceStore s, StoreOptions options) {
        try {
            s.recover();
            s.timers.start(options, s.pipeline, s.hub, s.compactor);
        } catch (RuntimeException | Error e) {
            // Release the journal (and its data-directory lock) so the caller can report and retry.
            s.close();
            throw e;
        }
        return s;
    }

    // ------------------------------------------------------------------ public API

    /** The served kinds (built-ins and those of established CustomResourceDefinitions). */
    public TypeRegistry types() {
        return types;
    }

    /** The newest visible revision. */
    public long currentRevision() {
        return pipeline.committedRevision();
    }

    /** Watch streams open now (every transport's): a stream a client abandons must leave this count. */
    public int openWatches() {
        return hub.watcherCount();
    }

    /** Oldest revision still readable: lists at, continue tokens from and watches after older ones get 410. */
    public long compactedRevision() {
        return index.compactRevision();
    }

    /**
     * Null while the store is open and accepting writes; otherwise why it is not (closed, or
     * stopped after a journal failure such as a full disk, worded for an operator). Health probes
     * answer from this.
     */
    public String unhealthyReason() {
        if (closed) {
            return "the store is closed";
        }
        Throwable f = pipeline.failure();
        return f == null ? null : "the store stopped accepting writes after a journal failure: " + JournalFailures.describe(f);
    }

    /** core's {@link KubeClient} over this store, with the same typed errors the HTTP transport raises. */
    public KubeClient client() {
        return new InProcessKubeClient(this);
    }

    /** GET of one object; {@code resourceVersion} null/""/"0" or N (served at the latest revision, not older than N). */
    public StoredObject get(ResourceType<?> type, String namespace, String name, String resourceVersion) {
        Resolved r = resolve(type);
        String ns = r.namespaceFor(namespace);
        long rev = pipeline.committedRevision();
        if (resourceVersion != null && !resourceVersion.isEmpty() && !resourceVersion.equals("0")) {
            waitFor(RequestChecks.parseRevision(resourceVersion));
            rev = pipeline.committedRevision();
        }
        StoredObject o = index.at(r.resource, MvccIndex.key(ns, name), rev);
        if (o == null) {
            throw KubeApiException.of(Status.notFound(r.type.named(name)));
        }
        return r.out(o);
    }

    /** The object, if it exists (any namespace rules of {@link #get} apply). */
    public java.util.Optional<StoredObject> find(ResourceType<?> type, String namespace, String name) {
        try {
            return java.util.Optional.of(get(type, namespace, name, null));
        } catch (KubeApiException.NotFoundException e) {
            return java.util.Optional.empty();
        }
    }

    /** LIST with kube-apiserver's resourceVersion / resourceVersionMatch / limit / continue semantics. */
    public StoreList list(ResourceType<?> type, String namespace, ListOptions options) {
        Resolved r = resolve(type);
        return r.out(lists.list(r, namespace, options == null ? ListOptions.all() : options));
    }

    /**
     * WATCH. Without a resourceVersion (or "0") the stream starts with synthetic ADDED events for
     * the current state; with N it replays every change after N. A revision older than the history
     * window yields, as kube-apiserver's watch cache does, a stream with a single ERROR event
     * (410, reason Expired, "too old resource version: N (M)").
     */
    public StoreWatch watch(ResourceType<?> type, String namespace, WatchOptions options) {
        return watches.open(resolve(type), namespace, options);
    }

    /** POST: creates an object in {@code namespace} (or the body's namespace when null). */
    public StoredObject create(ResourceType<?> type, String namespace, ObjectNode body, WriteOptions options) {
        return create(type, namespace, body, options, FieldValidation.ignore());
    }

    /** POST with {@code fieldValidation}: unknown fields are found in the body's type check; Warn leaves its warnings in {@code fields}. */
    public StoredObject create(ResourceType<?> type, String namespace, ObjectNode body, WriteOptions options,
                               FieldValidation fields) {
        Resolved r = resolve(type, fields);
        ObjectNode obj = r.in(JsonBodies.canonicalCopy(body));
        RequestChecks.checkTypeMeta(r, obj);
        RequestChecks.checkDecodable(r, obj);
        String ns = RequestChecks.createNamespace(r, namespace, RequestChecks.metadataOf(obj));
        return r.out(createRules.create(r, ns, obj, dry(options), Ownership.update(manager(options), "")));
    }

    /** PUT: replaces an object; status is kept as stored for kinds with a status subresource. */
    public StoredObject update(ResourceType<?> type, String namespace, String name, ObjectNode body, WriteOptions options) {
        return update(type, namespace, name, body, options, FieldValidation.ignore());
    }

    /** PUT with {@code fieldValidation}. */
    public StoredObject update(ResourceType<?> type, String namespace, String name, ObjectNode body, WriteOptions options,
                               FieldValidation fields) {
        Resolved r = resolve(type, fields);
        String ns = r.namespaceFor(namespace);
        // One private copy per attempt: an attempt that loses a race must start from the caller's body again.
        try (ServiceAllocator.Reservation reservation = serviceAllocator.reservation()) {
            return r.out(writeLoop(r, ns, name, dry(options), cur -> updateRules.update(r, ns, name, cur,
                    r.in(JsonBodies.canonicalCopy(body)), UpdateRules.Part.MAIN, reservation, Ownership.update(manager(options), ""), dry(options))));
        }
    }

    /** PUT .../status: writes only the status. */
    public StoredObject updateStatus(ResourceType<?> type, String namespace, String name, ObjectNode body, WriteOptions options) {
        return updateStatus(type, namespace, name, body, options, FieldValidation.ignore());
    }

    /** PUT .../status with {@code fieldValidation}. */
    public StoredObject updateStatus(ResourceType<?> type, String namespace, String name, ObjectNode body, WriteOptions options,
                                     FieldValidation fields) {
        Resolved r = resolve(type, fields);
        RequestChecks.requireStatus(r);
        String ns = r.namespaceFor(namespace);
        return r.out(writeLoop(r, ns, name, dry(options), cur -> updateRules.update(r, ns, name, cur,
                r.in(JsonBodies.canonicalCopy(body)), UpdateRules.Part.STATUS, null, Ownership.update(manager(options), "status"), dry(options))));
    }

    /**
     * PUT .../scale, as the parent: the new replicas, recorded as the {@code scale} subresource's write.
     * {@code parent} is the parent object with the new {@code spec.replicas}.
     */
    public StoredObject updateScale(ResourceType<?> type, String namespace, String name, ObjectNode parent, WriteOptions options) {
        Resolved r = resolve(type);
        String ns = r.namespaceFor(namespace);
        return r.out(writeLoop(r, ns, name, dry(options), cur -> updateRules.update(r, ns, name, cur,
                r.in(JsonBodies.canonicalCopy(parent)), UpdateRules.Part.MAIN, null, Ownership.update(manager(options), "scale"), dry(options))));
    }

    /** As {@link #apply(ResourceType, String, String, ObjectNode, WriteOptions, String, FieldValidation)} without fieldValidation. */
    public StoredObject apply(ResourceType<?> type, String namespace, String name, ObjectNode config, WriteOptions options,
                              String subresource) {
        return apply(type, namespace, name, config, options, subresource, FieldValidation.ignore());
    }

    /**
     * PATCH with {@code application/apply-patch+yaml} (server-side apply) of the main resource, the
     * {@code status} or the {@code scale} subresource (for scale, {@code config} is already the parent's
     * configuration). Creates the object when it does not exist (main resource only). The applied
     * configuration is checked for unknown fields as {@code fields} asks.
     *
     * @throws KubeApiException 409 with one cause per conflicting field and manager unless {@code options.force()}
     */
    public StoredObject apply(ResourceType<?> type, String namespace, String name, ObjectNode config, WriteOptions options,
                              String subresource, FieldValidation fields) {
        Resolved r = resolve(type, fields);
        String sub = subresource == null ? "" : subresource;
        if (sub.equals("status")) {
            RequestChecks.requireStatus(r);
        }
        String ns = r.namespaceFor(namespace);
        String manager = options == null ? null : options.fieldManager();
        ApplyRules.checkRequest(r, name, config, manager);
        ObjectNode body = r.in(JsonBodies.canonicalCopy(config));
        RequestChecks.checkTypeMeta(r, body);
        if (sub.isEmpty()) {
            RequestChecks.checkDecodable(r, body);
        }
        boolean force = options != null && options.force();
        try (ServiceAllocator.Reservation reservation = serviceAllocator.reservation()) {
            return r.out(writeLoop(r, ns, name, dry(options), cur -> applyRules.apply(r, ns, name, cur, body, manager, sub, force,
                    reservation, dry(options))));
        }
    }

    /** PATCH: merge, JSON or strategic merge patch, applied to the latest object, then stored like an update. */
    public StoredObject patch(ResourceType<?> type, String namespace, String name, PatchType patchType, byte[] patch,
                              WriteOptions options) {
        return patch(type, namespace, name, patchType, patch, options, false, FieldValidation.ignore());
    }

    /**
     * PATCH with {@code fieldValidation}: the patched object is checked (for every patch type, JSON
     * patches included, as kube-apiserver does); fields the object had before are not the patch's.
     */
    public StoredObject patch(ResourceType<?> type, String namespace, String name, PatchType patchType, byte[] patch,
                              WriteOptions options, FieldValidation fields) {
        return patch(type, namespace, name, patchType, patch, options, false, fields);
    }

    /** PATCH .../status. */
    public StoredObject patchStatus(ResourceType<?> type, String namespace, String name, PatchType patchType, byte[] patch,
                                    WriteOptions options) {
        return patch(type, namespace, name, patchType, patch, options, true, FieldValidation.ignore());
    }

    /** PATCH .../status with {@code fieldValidation}. */
    public StoredObject patchStatus(ResourceType<?> type, String namespace, String name, PatchType patchType, byte[] patch,
                                    WriteOptions options, FieldValidation fields) {
        return patch(type, namespace, name, patchType, patch, options, true, fields);
    }

    /**
     * DELETE with preconditions, propagation policy (Foreground and Orphan add their finalizers for
     * the garbage collector) and graceful deletion of bound pods. Returns the object's last state:
     * still present with {@code deletionTimestamp} when finalizers or a grace period keep it.
     */
    public StoredObject delete(ResourceType<?> type, String namespace, String name, DeleteOptions options) {
        Resolved r = resolve(type);
        String ns = r.namespaceFor(namespace);
        DeleteOptions o = options == null ? DeleteOptions.DEFAULT : options;
        String forbidden = r.strategy.deletionForbidden(name);
        if (forbidden != null) {
            throw KubeApiException.of(Status.forbidden(r.type.named(name), forbidden));
        }
        boolean cascades = this.options.inStoreLifecycle()
                && (r.resource.equals("namespaces") || r.resource.equals(TypeRegistry.CRDS));
        if (!o.dryRun() && cascades) {
            // The store's own namespace and CRD lifecycle (StoreOptions.inStoreLifecycle); with it
            // off, the namespace and CRD cleanup controllers do this through the API.
            // Check existence and preconditions before touching what the object contains.
            writeLoop(r, ns, name, true, cur -> deletionRules.delete(r, name, cur, o));
            if (r.resource.equals("namespaces")) {
                return lifecycle.deleteNamespace(r, name);
            }
            lifecycle.removeCustomObjects(name);
        }
        return r.out(writeLoop(r, ns, name, o.dryRun(), cur -> deletionRules.delete(r, name, cur, o)));
    }

    /**
     * DELETE on a collection (deletecollection): deletes every object in {@code namespace} that the
     * label and field selectors of {@code selection} match, each by the rules of {@link #delete}.
     * Returns the objects as they were listed.
     */
    public StoreList deleteCollection(ResourceType<?> type, String namespace, ListOptions selection, DeleteOptions options) {
        Resolved r = resolve(type);
        String ns = r.type.namespaced() ? r.namespaceFor(namespace) : null;
        ListOptions sel = selection == null ? ListOptions.all() : selection;
        StoreList all = list(type, ns, new ListOptions(sel.labelSelector(), sel.fieldSelector(), 0, null, null, null));
        for (StoredObject o : all.items()) {
            try {
                delete(type, ns, o.name(), options);
            } catch (KubeApiException.NotFoundException gone) {
                // deleted meanwhile: that is what was asked
            }
        }
        return all;
    }

    /**
     * PUT namespaces/{name}/finalize: replaces the namespace's {@code spec.finalizers} (nothing else
     * changes). A Terminating namespace whose last finalizer goes is removed, as in kube-apiserver.
     */
    public StoredObject finalizeNamespace(String name, ObjectNode body) {
        return subresources.finalizeNamespace(name, body);
    }

    /** Removes the {@code kubernetes} spec finalizer (the in-store namespace lifecycle's last step). */
    StoredObject removeNamespaceFinalizer(String name) {
        return subresources.removeNamespaceFinalizer(name);
    }

    /**
     * POST pods/{name}/binding: sets {@code spec.nodeName} of an unbound pod (the scheduler's write).
     *
     * @param preconditionResourceVersion if set, the pod must still be at this version
     * @throws KubeApiException.ConflictException if the pod is already bound or being deleted
     */
    public StoredObject bind(String namespace, String podName, String nodeName, String preconditionResourceVersion) {
        return subresources.bind(namespace, podName, nodeName, preconditionResourceVersion);
    }

    /**
     * POST pods/{name}/eviction: deletes the pod with {@code options} unless its
     * PodDisruptionBudget forbids it (429 TooManyRequests, reason in a {@code DisruptionBudget} cause).
     */
    public void evict(String namespace, String podName, ObjectNode eviction, DeleteOptions options) {
        evictions.evict(namespace, podName, eviction, options == null ? DeleteOptions.DEFAULT : options);
    }

    /**
     * How admission webhooks' service references are reached: map a service port to an address
     * (a webhook server in this JVM, an operator on this machine); see docs/admission.md.
     */
    public io.kardia.store.admission.WebhookServices webhookServices() {
        return admission.webhooks().services();
    }

    /** Compacts history up to the newest revision (tests; servers rely on the automatic policy). */
    public long compact() {
        return compact(pipeline.committedRevision());
    }

    /** Drops history older than {@code revision} (not past any read in progress); returns the new compacted revision. */
    public long compact(long revision) {
        return compactor.compact(revision);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        policyStatus.close(); // before the journal: a status write in flight finishes first
        timers.stop();
        hub.closeAll();
        journal.close();
        admission.close();
    }

    // ------------------------------------------------------------------ write operations

    sealed interface Outcome {
        record NoOp(StoredObject current) implements Outcome { }

        record Put(Draft draft, StoreEvent.Type type) implements Outcome { }

        record Remove(Draft lastState) implements Outcome { }
    }

    /** Optimistic loop: compute the outcome from the newest version outside the lock, commit if still newest. */
    StoredObject writeLoop(Resolved r, String ns, String name, boolean dryRun, Function<StoredObject, Outcome> step) {
        String key = MvccIndex.key(ns, name);
        while (true) {
            checkOpen();
            pipeline.checkHealthy();
            StoredObject cur = index.latest(r.resource, key);
            Outcome o = step.apply(cur);
            CompletableFuture<ChangeEvent> f;
            switch (o) {
                case Outcome.NoOp n -> {
                    waitFor(n.current().revision());
                    return n.current();
                }
                case Outcome.Put p -> {
                    if (dryRun) {
                        // as kube-apiserver: a dry-run update answers with the current resourceVersion
                        return cur == null ? p.draft().unsealed() : p.draft().unsealed(cur.resourceVersion());
                    }
                    f = pipeline.commit(r.resource, key, cur, p.draft(), null, p.type());
                }
                case Outcome.Remove d -> {
                    if (dryRun) {
                        return d.lastState().unsealed();
                    }
                    f = pipeline.commit(r.resource, key, cur, null, d.lastState(), StoreEvent.Type.DELETED);
                }
            }
            if (f != null) {
                return await(f).object();
            }
        }
    }

    private StoredObject patch(ResourceType<?> type, String namespace, String name, PatchType patchType, byte[] patch,
                               WriteOptions options, boolean status, FieldValidation fields) {
        Resolved r = resolve(type, fields);
        if (status) {
            RequestChecks.requireStatus(r);
        }
        String ns = r.namespaceFor(namespace);
        if (patchType == null) {
            throw KubeApiException.of(Status.unsupportedMediaType("a patch type is required"));
        }
        if (options != null && options.force() && patchType != PatchType.APPLY) {
            throw KubeApiException.of(Status.invalid(new Status.ResourceName("meta.k8s.io", "PatchOptions", ""),
                    "PatchOptions.meta.k8s.io", List.of(new Status.Cause("FieldValueForbidden",
                            "Forbidden: may not be specified for non-apply patch", "force"))));
        }
        if (patchType == PatchType.APPLY) {
            return apply(type, namespace, name, Patches.parseApply(patch), options, status ? "status" : "", fields);
        }
        JsonNode parsed = Patches.parse(patch);
        try (ServiceAllocator.Reservation reservation = serviceAllocator.reservation()) {
            return r.out(writeLoop(r, ns, name, dry(options), cur -> {
                if (cur == null) {
                    throw KubeApiException.of(Status.notFound(r.type.named(name)));
                }
                // a patch applies to the object in the version it was sent for, as in kube-apiserver
                ObjectNode base = r.view == null ? cur.tree() : r.view.toRequested(cur.tree());
                fields.before(base, before -> unknownFields(r, before));
                ObjectNode patched = Patches.apply(r.resource, types.isBuiltIn(r.resource), patchType, base, parsed, draftChecks.patchBudget());
                return updateRules.update(r, ns, name, cur, r.in(patched), status ? UpdateRules.Part.STATUS : UpdateRules.Part.MAIN,
                        reservation, Ownership.update(manager(options), status ? "status" : ""), dry(options));
            }));
        }
    }

    // ------------------------------------------------------------------ lifecycle

    private void recover() {
        long max = JournalReplay.into(index, journal);
        pipeline.restore(max);
        index.setCompactRevision(max);
        customKinds.serveStored(index);
        for (String policyResource : List.of("validatingadmissionpolicies.admissionregistration.k8s.io",
                "validatingadmissionpolicybindings.admissionregistration.k8s.io",
                "mutatingadmissionpolicies.admissionregistration.k8s.io",
                "mutatingadmissionpolicybindings.admissionregistration.k8s.io",
                "mutatingwebhookconfigurations.admissionregistration.k8s.io",
                "validatingwebhookconfigurations.admissionregistration.k8s.io")) {
            for (KeyHistory h : index.range(policyResource, null).values()) {
                StoredObject o = h.latest();
                if (o != null) {
                    admissionChanged(policyResource, o.name(), o.tree());
                }
            }
        }
        ResourceType<?> nsType = types.byGroupResource("namespaces").orElseThrow();
        for (String ns : SYSTEM_NAMESPACES) {
            if (index.latest("namespaces", ns) == null) {
                ObjectNode body = Json.mapper().createObjectNode();
                body.putObject("metadata").put("name", ns);
                create(nsType, null, body, WriteOptions.DEFAULT);
            }
        }
        LOG.info("reference store open at revision {} ({} custom kinds)", pipeline.committedRevision(), types.customTypes().size());
    }

    /** An admission policy, binding or webhook configuration written or removed ({@code object} null). */
    private void admissionChanged(String resource, String name, ObjectNode object) {
        if (WebhookConfigurations.isWebhookResource(resource)) {
            admission.webhooks().onChange(resource, name, object);
        } else if (MutatingPolicies.isPolicyResource(resource)) {
            admission.mutatingPolicies().onChange(resource, name, object);
        } else {
            admission.policies().onChange(resource, name, object);
            if (resource.equals(POLICIES)) {
                policyStatus.onChange(name, object);
            }
        }
    }

    private static final String POLICIES = "validatingadmissionpolicies.admissionregistration.k8s.io";

    private void applyPolicyStatus(String name, ObjectNode config) {
        if (closed) {
            return;
        }
        types.byGroupResource(POLICIES).ifPresent(t -> apply(t, "", name, config,
                WriteOptions.apply(ValidatingPolicyStatus.FIELD_MANAGER).withForce(true), "status"));
    }

    /** Called in revision order as each change becomes visible. */
    private void onVisible(ChangeEvent e) {
        customKinds.onVisible(e);
        if (ValidatingPolicies.isPolicyResource(e.resource()) || MutatingPolicies.isPolicyResource(e.resource())
                || WebhookConfigurations.isWebhookResource(e.resource())) {
            admissionChanged(e.resource(), e.object().name(), e.type() == StoreEvent.Type.DELETED ? null : e.object().tree());
        }
        if (options.inStoreLifecycle() && e.type() == StoreEvent.Type.DELETED && !e.object().namespace().isEmpty()) {
            lifecycle.finishNamespaceIfEmpty(e.object().namespace());
        }
        snapshotter.afterWrite();
    }

    // ------------------------------------------------------------------ helpers

    /**
     * A served type (in its storage version) with what the store needs to handle it; {@code view}
     * converts for a resource served in several versions, null for the others.
     */
    record Resolved(ResourceType<?> type, String resource, KindStrategy strategy, VersionView view, FieldValidation fields) {
        /** The type as the request names it: its version may not be the storage version. */
        ResourceType<?> requestedType() {
            return view == null ? type : view.requested();
        }

        /** The version whose schema validates a write: the request's, as kube-apiserver validates before storing. */
        String validationVersion() {
            return view == null ? null : view.requested().version();
        }

        /** A storage-version object as the request's version sees it, to validate it with that version's schema. */
        ObjectNode forValidation(ObjectNode storage) {
            return view == null || storage == null ? storage : view.inRequestedVersion(storage);
        }

        /** A request body in the storage version. */
        ObjectNode in(ObjectNode body) {
            return view == null ? body : view.toStorage(body, fields);
        }

        /** A stored object in the requested version. */
        StoredObject out(StoredObject o) {
            return view == null ? o : view.read(o);
        }

        StoreList out(StoreList page) {
            return view == null ? page : view.read(page);
        }

        String namespaceFor(String namespace) {
            if (!type.namespaced()) {
                return "";
            }
            if (namespace == null || namespace.isEmpty()) {
                throw StoreErrors.namespaceRequired(resource);
            }
            return namespace;
        }

        String qualifiedKind() {
            return type.group().isEmpty() ? type.kind() : type.kind() + "." + type.group();
        }
    }

    Resolved resolve(ResourceType<?> requested) {
        return resolve(requested, FieldValidation.ignore());
    }

    /** As {@link #resolve(ResourceType)}, for a write checked as {@code fields} asks. */
    Resolved resolve(ResourceType<?> requested, FieldValidation fields) {
        checkOpen();
        ResourceType<?> t = types.byGroupResource(requested.groupResource()).orElseThrow(() ->
                StoreErrors.notServed(requested.group(), requested.plural()));
        KindStrategy s = types.isBuiltIn(t.groupResource()) ? Strategies.forBuiltIn(t.groupResource()) : Strategies.forCustom(t.hasStatus());
        if (fields.mode() != FieldValidation.Mode.Ignore && !types.isBuiltIn(t.groupResource())) {
            fields.forCustomResource(types.customSchema(requested).orElse(null)); // the request's version's fields
        }
        return new Resolved(t, t.groupResource(), s, view(requested, t), fields);
    }

    /** The fields of an object (in the requested version) that its schema does not declare. */
    private static java.util.Set<String> unknownFields(Resolved r, JsonNode object) {
        FieldValidation probe = FieldValidation.of(FieldValidation.Mode.Warn, List.of());
        if (object instanceof ObjectNode o) {
            try {
                RequestChecks.checkDecodable(r.requestedType(), o, probe);
            } catch (KubeApiException e) {
                // a stored object of another shape: its unknown fields so far are what there is
            }
        }
        return probe.unknown();
    }

    /** The conversion a request in {@code requested}'s version needs; null for resources served in one version. */
    private VersionView view(ResourceType<?> requested, ResourceType<?> storage) {
        return types.converter(storage.groupResource()).map(c -> {
            ResourceType<?> asRequested = requested.version().equals(storage.version()) ? storage
                    : types.find(storage.group(), requested.version(), storage.plural()).orElse(null);
            return asRequested == null ? null : new VersionView(asRequested, storage.version(), c,
                    body -> validators.pruneAndDefault(storage.groupResource(), asRequested.version(), body));
        }).orElse(null);
    }

    /**
     * A deletion's draft: the last state of a removed object, or an object marked for deletion
     * (deletionTimestamp, a propagation finalizer, Terminating). Deleting never adds content, so it
     * is not held to the write limits: an object stored under older, looser limits can always be
     * deleted.
     */
    static Draft deletionDraft(ObjectNode obj) {
        return Draft.of(obj);
    }

    /** Every object the store writes passes here (deletions: {@link #deletionDraft}); see {@link DraftChecks}. */
    Draft draft(Resolved r, ObjectNode obj) {
        return draftChecks.draft(r, obj);
    }

    /** Refuses {@code obj} when it breaks the write limits (see {@link DraftChecks#checkLimits}). */
    void checkLimits(Resolved r, ObjectNode obj) {
        draftChecks.checkLimits(r, obj);
    }

    static void throwIfInvalid(Resolved r, String name, List<Status.Cause> causes) {
        if (!causes.isEmpty()) {
            throw KubeApiException.of(Status.invalid(r.type.named(name), r.qualifiedKind(), causes));
        }
    }

    private static String manager(WriteOptions o) {
        return o == null ? null : o.fieldManager();
    }

    private static boolean dry(WriteOptions o) {
        return o != null && o.dryRun();
    }

    /** A read at a revision not yet visible waits for it (briefly), as kube-apiserver's watch cache does. */
    void waitFor(long revision) {
        pipeline.awaitCommittedOrTimeout(revision, FUTURE_REVISION_WAIT_NANOS);
    }

    private static ChangeEvent await(CompletableFuture<ChangeEvent> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof KubeApiException k) {
                throw k;
            }
            throw KubeApiException.of(Status.internalError("write failed: " + JournalFailures.describe(e.getCause())));
        }
    }

    private void checkOpen() {
        if (closed) {
            throw KubeApiException.of(Status.serviceUnavailable("the store is closed"));
        }
    }

    String now() {
        return format(options.clock().instant());
    }

    static String format(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }
}
