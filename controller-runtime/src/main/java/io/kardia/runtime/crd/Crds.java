package io.kardia.runtime.crd;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.crd.CustomResources;
import io.kardia.core.json.Json;
import io.kardia.core.json.Yaml;
import io.kardia.core.model.CustomResourceDefinition;
import io.kardia.core.model.FieldTrees;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the CustomResourceDefinition of a {@link io.kardia.core.crd.Kind} class, as generated
 * at build time by {@code kardia-crd-generator}: {@code Crds.ensureInstalled(client, Backup.class)}
 * creates it or brings it up to date (server-side apply, so a field added to the records reaches
 * a cluster that has an older CRD) and waits until the API server serves it (Established).
 *
 * <p>An operator installs its CRD at every start, and usually it is there already, as generated:
 * so the CRD is read first, and applied only when it differs. It is up to date when the server's
 * copy carries the {@value #DIGEST_ANNOTATION} annotation of this very generated YAML (so a field
 * the generator no longer writes, which the apply would remove, forces an apply), still holds
 * every field of it (a hand edit of one of them forces an apply, as the forced apply would take
 * it back), and is Established. Fields others added, and the defaults the server filled in, do
 * not count: an apply would not touch them either.
 */
public final class Crds {
    /** The field manager of the CRDs this class applies. */
    public static final String FIELD_MANAGER = "kardia-crd-installer";
    /** The annotation holding the SHA-256 of the generated YAML this class last applied. */
    public static final String DIGEST_ANNOTATION = "kardia.io/crd-sha256";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(Crds.class);
    /** CRDs read as trees: compared field by field with the generated one, applied as generated. */
    private static final ResourceType<GenericObject> CRDS = ResourceType.generic(
            ResourceTypes.CUSTOM_RESOURCE_DEFINITION.group(), ResourceTypes.CUSTOM_RESOURCE_DEFINITION.version(),
            ResourceTypes.CUSTOM_RESOURCE_DEFINITION.kind(), ResourceTypes.CUSTOM_RESOURCE_DEFINITION.plural(), false);

    private Crds() {
    }

    /** {@link #ensureInstalled(KubeClient, Class, Duration)} waiting up to {@link #DEFAULT_TIMEOUT}. */
    public static CustomResourceDefinition ensureInstalled(KubeClient client, Class<? extends KubeObject> kind) {
        return ensureInstalled(client, kind, DEFAULT_TIMEOUT);
    }

    /**
     * Applies the generated CRD of {@code kind}, unless the server's is up to date (see above),
     * and waits until it is Established.
     *
     * @return the CRD as the server holds it, Established
     * @throws IllegalStateException if the class path has no generated CRD for the kind, or it was
     *         not Established within {@code timeout}
     * @throws KubeApiException if the server refused it (e.g. Forbidden: the operator may not
     *         install CRDs; apply the YAML from the jar's {@code META-INF/kardia/crds/} yourself)
     */
    public static CustomResourceDefinition ensureInstalled(KubeClient client, Class<? extends KubeObject> kind,
                                                           Duration timeout) {
        Objects.requireNonNull(client, "client");
        byte[] yaml = generatedYaml(kind);
        GenericObject generated = Yaml.read(yaml, GenericObject.class);
        GenericObject wanted = generated.withMetadata(generated.metadata().toBuilder()
                .annotation(DIGEST_ANNOTATION, sha256(yaml)).build());
        String name = wanted.metadata().name();
        ResourceClient<GenericObject> crds = client.resources(CRDS);
        Optional<GenericObject> current = crds.find(null, name);
        if (current.isPresent() && upToDate(current.get(), wanted) && established(current.get())) {
            log.info("CustomResourceDefinition {} is up to date (generation {})", name,
                    current.get().metadata().generation());
            return typed(current.get());
        }
        GenericObject applied = crds.apply(wanted, WriteOptions.apply(FIELD_MANAGER).withForce(true));
        log.info("applied CustomResourceDefinition {} (generation {})", name, applied.metadata().generation());
        return typed(awaitEstablished(crds, applied, timeout));
    }

    /** The CRD generated for {@code kind}, read from its class loader ({@code META-INF/kardia/crds/<plural>.<group>.yaml}). */
    public static CustomResourceDefinition generated(Class<? extends KubeObject> kind) {
        return Yaml.read(generatedYaml(kind), CustomResourceDefinition.class);
    }

    private static byte[] generatedYaml(Class<? extends KubeObject> kind) {
        ResourceType<?> type = ResourceTypes.of(kind);
        String resource = CustomResources.crdResource(type.plural(), type.group());
        ClassLoader loader = kind.getClassLoader() != null ? kind.getClassLoader() : ClassLoader.getSystemClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no generated CustomResourceDefinition for " + kind.getName() + " ("
                        + resource + " is not on the class path): add io.kardia:kardia-crd-generator to the"
                        + " compiler's annotation processors (see docs/custom-resources.md)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /**
     * Whether the server's CRD already is what an apply of {@code wanted} would make it: the
     * same generated YAML was applied last (its digest) and every field of it is still there.
     */
    static boolean upToDate(GenericObject current, GenericObject wanted) {
        ObjectMeta have = current.metadata();
        ObjectMeta want = wanted.metadata();
        return !have.isBeingDeleted()
                && have.annotations().entrySet().containsAll(want.annotations().entrySet())
                && have.labels().entrySet().containsAll(want.labels().entrySet())
                && FieldTrees.contains(current.fields(), wanted.fields());
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static CustomResourceDefinition typed(GenericObject crd) {
        return Json.mapper().convertValue(crd, CustomResourceDefinition.class);
    }

    private static GenericObject awaitEstablished(ResourceClient<GenericObject> crds, GenericObject applied,
                                                  Duration timeout) {
        String name = applied.metadata().name();
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = 10;
        GenericObject current = applied;
        while (!established(current)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("CustomResourceDefinition " + name + " was not Established within "
                        + timeout + "; its conditions: " + current.at("status.conditions").orElse(null));
            }
            try {
                Thread.sleep(pauseMillis); // polling, as client-go's wait.Poll does for CRDs
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for CustomResourceDefinition " + name, e);
            }
            pauseMillis = Math.min(pauseMillis * 2, 500);
            current = crds.get(null, name);
        }
        return current;
    }

    static boolean established(GenericObject crd) {
        return crd.at("status.conditions").orElse(null) instanceof List<?> conditions
                && conditions.stream().anyMatch(c -> c instanceof Map<?, ?> m && "Established".equals(m.get("type"))
                && "True".equals(m.get("status")));
    }
}
