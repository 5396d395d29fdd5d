package io.kardia.examples.staticsite;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import io.kardia.core.model.Condition;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.Container;
import io.kardia.core.model.ContainerPort;
import io.kardia.core.model.Deployment;
import io.kardia.core.model.DeploymentSpec;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.LabelSelector;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.PodTemplateSpec;
import io.kardia.core.model.ResourceType;
import io.kardia.core.validation.Causes;
import io.kardia.core.validation.CrdSchemaValidator;
import io.kardia.runtime.CachedClient;
import io.kardia.runtime.CachedResources;
import io.kardia.runtime.Finalizers;
import io.kardia.runtime.Result;
import io.kardia.runtime.StatusUpdates;
import io.kardia.runtime.TerminalException;
import io.kardia.runtime.TypedReconciler;
import io.kardia.runtime.event.EventRecorder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a StaticSite into a ConfigMap holding its content and an nginx Deployment mounting
 * it, both controlled by the site (so the garbage collector would remove them too); reports
 * Ready/Progressing/Degraded conditions and cleans up under a finalizer on delete. The objects and
 * the status are written with server-side apply (field manager {@value #FIELD_MANAGER}, forced).
 *
 * <p>Sites are read as {@link GenericObject}s and validated against the CRD's schema before
 * being decoded: the store refuses writes that break the schema, but a site stored before the
 * schema tightened may still hold, say, {@code replicas: "three"}, which a typed cache would fail
 * to decode, stalling the controller.
 */
public final class StaticSiteReconciler implements TypedReconciler<GenericObject> {
    public static final String FINALIZER = StaticSite.GROUP + "/cleanup";
    /** The sites, read as free-form objects (see the class comment). */
    public static final ResourceType<GenericObject> GENERIC_TYPE = ResourceType.generic(
            StaticSite.GROUP, StaticSite.VERSION, StaticSite.KIND, StaticSite.TYPE.plural(), true);
    static final String CONTENT_HASH = StaticSite.GROUP + "/content-hash";
    static final String HTML_DIR = "/usr/share/nginx/html";
    private static final Logger log = LoggerFactory.getLogger(StaticSiteReconciler.class);
    /** The name the operator's writes are recorded under in {@code metadata.managedFields}. */
    static final String FIELD_MANAGER = "staticsite-controller";
    /**
     * Forced, as Kubernetes' own controllers apply: the operator is the authority on the fields it
     * applies, so a hand edit of one of them is taken back instead of failing with a conflict.
     */
    private static final WriteOptions APPLY = WriteOptions.apply(FIELD_MANAGER).withForce(true);
    private static final JsonNode SPEC_SCHEMA = Json.mapper().valueToTree(StaticSiteCrd.specSchema());

    private final ResourceClient<GenericObject> sites;
    private final CachedResources<ConfigMap> configMaps;
    private final CachedResources<Deployment> deployments;
    private final ResourceClient<ConfigMap> liveConfigMaps;
    private final ResourceClient<Deployment> liveDeployments;
    private final EventRecorder events;
    private final Clock clock;

    /**
     * @param client    reads (from the manager's caches) and writes the site's objects
     * @param apiClient reads straight from the API server, where a cache may lag: the last cleanup
     *                  before the site goes must see objects created moments ago, and the site's
     *                  finalizer and status writes re-read it after a conflict
     */
    public StaticSiteReconciler(CachedClient client, KubeClient apiClient, EventRecorder events, Clock clock) {
        this.sites = apiClient.resources(GENERIC_TYPE);
        this.configMaps = client.resources(ConfigMap.class);
        this.deployments = client.resources(Deployment.class);
        this.liveConfigMaps = apiClient.resources(ConfigMap.class);
        this.liveDeployments = apiClient.resources(Deployment.class);
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The ConfigMap holding a site's content. */
    public static String configMapName(String siteName) {
        return siteName + "-content";
    }

    @Override
    public Result reconcile(GenericObject object) throws Exception {
        Optional<GenericObject> live = Finalizers.handle(sites, object, FINALIZER, this::cleanUp);
        if (live.isEmpty()) {
            return Result.done();
        }
        GenericObject site = live.get();
        // The store checks writes against the CRD's schema; this catches sites stored under a looser one.
        Causes causes = new Causes();
        CrdSchemaValidator.validate("spec", Json.mapper().valueToTree(site.fields().getOrDefault("spec", Map.of())),
                SPEC_SCHEMA, causes);
        if (!causes.isEmpty()) {
            String message = causes.list().stream().map(c -> c.field() + ": " + c.message())
                    .collect(java.util.stream.Collectors.joining("; "));
            degrade(site, "InvalidSpec", message);
            throw new TerminalException("StaticSite " + site.key() + " has an invalid spec: " + message);
        }
        StaticSiteSpec spec = Json.mapper().convertValue(site.fields().getOrDefault("spec", Map.of()),
                StaticSiteSpec.class);
        ConfigMap content;
        Deployment deployment;
        try {
            content = applyOwned(configMaps, desiredConfigMap(site, spec), (have, want) -> have.data().equals(want.data()));
            deployment = applyOwned(deployments, desiredDeployment(site, spec, content),
                    StaticSiteReconciler::sameDeploymentSpec);
        } catch (KubeApiException.InvalidException e) {
            degrade(site, "InvalidChild", e.getMessage());
            throw new TerminalException("the objects of StaticSite " + site.key() + " were refused: " + e.getMessage(), e);
        } catch (NotOwnedException e) {
            degrade(site, "NameConflict", e.getMessage());
            throw new TerminalException(e.getMessage(), e);
        }
        reportProgress(site, spec, deployment);
        return Result.done();
    }

    /**
     * Applies {@code desired} (exactly the fields the operator owns; the API server creates the
     * object if it is missing, keeps fields others set and removes what the operator stopped
     * setting) unless the object already holds them; refuses objects controlled by someone else.
     */
    private <T extends KubeObject> T applyOwned(CachedResources<T> client, T desired, Same<T> same) {
        ObjectMeta meta = desired.metadata();
        OwnerReference owner = meta.ownerReferences().getFirst();
        Optional<T> existing = client.find(meta.namespace(), meta.name());
        if (existing.isPresent()) {
            T have = existing.get();
            boolean ours = have.metadata().controllerRef().map(r -> Objects.equals(r.uid(), owner.uid())).orElse(false);
            if (!ours) {
                throw new NotOwnedException(desired.kind() + " " + have.key() + " already exists and is not controlled by "
                        + "StaticSite " + owner.name() + "; delete or rename it");
            }
            boolean labelled = have.metadata().labels().entrySet().containsAll(meta.labels().entrySet());
            if (same.test(have, desired) && labelled) {
                return have;
            }
        }
        T applied = client.apply(desired, APPLY);
        log.info("applied {} {}", desired.kind(), applied.key());
        return applied;
    }

    private static ConfigMap desiredConfigMap(GenericObject site, StaticSiteSpec spec) {
        return ConfigMap.of(childMeta(site, configMapName(site.metadata().name())), spec.content());
    }

    private static Deployment desiredDeployment(GenericObject site, StaticSiteSpec spec, ConfigMap content) {
        Map<String, String> selectorLabels = selectorLabels(site);
        Container web = Container.of("web", spec.effectiveImage())
                .withPorts(List.of(new ContainerPort("http", 80, "TCP", null, null, null)));
        // volumeMounts and volumes are not modelled fields: they travel as the records' free-form extras.
        web = new Container(web.name(), web.image(), null, null, null, web.ports(), null, null, null,
                Map.of("volumeMounts", List.of(Map.of("name", "content", "mountPath", HTML_DIR, "readOnly", true))));
        PodSpec pod = PodSpec.builder().container(web)
                .extra("volumes", List.of(Map.of("name", "content", "configMap", Map.of("name", content.metadata().name()))))
                .build();
        // The content hash in the pod template rolls the pods when the content changes.
        ObjectMeta podMeta = ObjectMeta.builder().labels(selectorLabels)
                .annotation(CONTENT_HASH, contentHash(spec.content())).build();
        DeploymentSpec deploymentSpec = DeploymentSpec.of(spec.effectiveReplicas(), LabelSelector.of(selectorLabels),
                PodTemplateSpec.of(podMeta, pod));
        return Deployment.of(childMeta(site, site.metadata().name()), deploymentSpec);
    }

    private static boolean sameDeploymentSpec(Deployment have, Deployment want) {
        DeploymentSpec h = have.spec();
        DeploymentSpec w = want.spec();
        return h != null && Objects.equals(h.replicas(), w.replicas()) && Objects.equals(h.selector(), w.selector())
                && Json.toTree(h.template()).equals(Json.toTree(w.template()));
    }

    private static ObjectMeta childMeta(GenericObject site, String name) {
        return ObjectMeta.builder().namespace(site.metadata().namespace()).name(name).labels(selectorLabels(site))
                .ownerReference(OwnerReference.controllerOf(site)).build();
    }

    private static Map<String, String> selectorLabels(GenericObject site) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "static-site");
        labels.put("app.kubernetes.io/instance", site.metadata().name());
        labels.put("app.kubernetes.io/managed-by", "kardia-static-site-operator");
        return labels;
    }

    static String contentHash(Map<String, String> content) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(content).forEach((k, v) -> {
                digest.update(k.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(v.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            });
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    private void reportProgress(GenericObject site, StaticSiteSpec spec, Deployment deployment) {
        long generation = deployment.metadata().generation() == null ? 0 : deployment.metadata().generation();
        var ds = deployment.status();
        boolean observed = ds != null && ds.observedGeneration() != null && ds.observedGeneration() >= generation;
        int available = ds == null || ds.availableReplicas() == null ? 0 : ds.availableReplicas();
        int updated = ds == null || ds.updatedReplicas() == null ? 0 : ds.updatedReplicas();
        boolean ready = observed && available >= spec.effectiveReplicas() && updated >= spec.effectiveReplicas();
        String message = available + " of " + spec.effectiveReplicas() + " pods available";
        StaticSiteStatus before = status(site);
        StaticSiteStatus after = before.withAvailableReplicas(available).withConditions(conditions(before,
                ready ? cond(StaticSiteStatus.READY, true, "Available", message)
                        : cond(StaticSiteStatus.READY, false, "Unavailable", message),
                ready ? cond(StaticSiteStatus.PROGRESSING, false, "RolledOut", message)
                        : cond(StaticSiteStatus.PROGRESSING, true, "RollingOut", message),
                cond(StaticSiteStatus.DEGRADED, false, "Reconciled", "the ConfigMap and the Deployment are up to date")));
        GenericObject written = writeStatus(site, after);
        if (ready && !Condition.isTrue(before.conditions(), StaticSiteStatus.READY)) {
            events.normal(written, "Ready", "StaticSite is serving: " + message);
        } else if (Condition.isTrue(before.conditions(), StaticSiteStatus.DEGRADED)) {
            events.normal(written, "Recovered", "the spec is valid again; " + message);
        }
    }

    private void degrade(GenericObject site, String reason, String message) {
        StaticSiteStatus before = status(site);
        StaticSiteStatus after = before.withConditions(conditions(before,
                cond(StaticSiteStatus.READY, false, reason, message),
                cond(StaticSiteStatus.PROGRESSING, false, reason, message),
                cond(StaticSiteStatus.DEGRADED, true, reason, message)));
        writeStatus(site, after);
        Optional<Condition> was = Condition.find(before.conditions(), StaticSiteStatus.DEGRADED);
        if (was.isEmpty() || !was.get().isTrue() || !Objects.equals(was.get().message(), message)) {
            events.warning(site, reason, message);
        }
        log.warn("StaticSite {} is degraded ({}): {}", site.key(), reason, message);
    }

    private List<Condition> conditions(StaticSiteStatus before, Condition... updates) {
        List<Condition> out = before.conditions();
        for (Condition c : updates) {
            out = Condition.set(out, c, clock.instant().truncatedTo(ChronoUnit.SECONDS)); // metav1.Time has seconds
        }
        return out;
    }

    private static Condition cond(String type, boolean status, String reason, String message) {
        return Condition.of(type, status ? Condition.TRUE : Condition.FALSE, reason, message, null);
    }

    /** Applies the status with this generation observed; a status that did not change is not written. */
    private GenericObject writeStatus(GenericObject site, StaticSiteStatus status) {
        StaticSiteStatus observed = status.withObservedGeneration(site.metadata().generation());
        // Through bytes, so numbers have the same JSON node types as the stored object (no spurious diff).
        Object tree = Json.fromBytes(Json.toBytes(observed), Map.class);
        if (!StatusUpdates.statusChanged(site, site.with("status", tree))) {
            return site;
        }
        // Applied through the status subresource: no resourceVersion, so no conflict with a concurrent spec change.
        ObjectMeta meta = site.metadata();
        return sites.applyStatus(GenericObject.of(GENERIC_TYPE, ObjectMeta.of(meta.namespace(), meta.name()))
                .with("status", tree), APPLY);
    }

    private static StaticSiteStatus status(GenericObject site) {
        Map<String, Object> status = site.status();
        if (status.isEmpty()) {
            return StaticSiteStatus.EMPTY;
        }
        try {
            return Json.mapper().convertValue(status, StaticSiteStatus.class);
        } catch (IllegalArgumentException e) {
            return StaticSiteStatus.EMPTY; // someone wrote a malformed status: the operator rewrites it
        }
    }

    /** Deletes the site's objects before the site goes (the garbage collector would too, but later). */
    private void cleanUp(GenericObject site) {
        String ns = site.metadata().namespace();
        boolean deleted = deleteIfOwned(liveDeployments, ns, site.metadata().name(), site)
                | deleteIfOwned(liveConfigMaps, ns, configMapName(site.metadata().name()), site);
        if (deleted) {
            events.normal(site, "CleanedUp", "deleted the Deployment and the ConfigMap of the site");
        }
        log.info("cleaned up StaticSite {}", site.key());
    }

    private static boolean deleteIfOwned(ResourceClient<? extends KubeObject> client, String ns, String name,
                                         GenericObject site) {
        Optional<? extends KubeObject> child = client.find(ns, name);
        if (child.isEmpty() || !child.get().metadata().controllerRef()
                .map(r -> Objects.equals(r.uid(), site.metadata().uid())).orElse(false)) {
            return false;
        }
        try {
            client.delete(ns, name);
            return true;
        } catch (KubeApiException.NotFoundException gone) {
            return false;
        }
    }

    @FunctionalInterface
    private interface Same<T> {
        boolean test(T have, T want);
    }

    /** The object the site needs exists but belongs to someone else. */
    private static final class NotOwnedException extends RuntimeException {
        NotOwnedException(String message) {
            super(message);
        }
    }
}
