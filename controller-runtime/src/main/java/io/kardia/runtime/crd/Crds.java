package io.kardia.runtime.crd;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.crd.CustomResources;
import io.kardia.core.json.Yaml;
import io.kardia.core.model.CustomResourceDefinition;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the CustomResourceDefinition of a {@link io.kardia.core.crd.Kind} class, as generated
 * at build time by {@code kardia-crd-generator}: {@code Crds.ensureInstalled(client, Backup.class)}
 * creates it or brings it up to date (server-side apply, so a field added to the records reaches
 * a cluster that has an older CRD) and waits until the API server serves it (Established).
 */
public final class Crds {
    /** The field manager of the CRDs this class applies. */
    public static final String FIELD_MANAGER = "kardia-crd-installer";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(Crds.class);

    private Crds() {
    }

    /** {@link #ensureInstalled(KubeClient, Class, Duration)} waiting up to {@link #DEFAULT_TIMEOUT}. */
    public static CustomResourceDefinition ensureInstalled(KubeClient client, Class<? extends KubeObject> kind) {
        return ensureInstalled(client, kind, DEFAULT_TIMEOUT);
    }

    /**
     * Applies the generated CRD of {@code kind} and waits until it is Established.
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
        CustomResourceDefinition crd = generated(kind);
        ResourceClient<CustomResourceDefinition> crds = client.resources(CustomResourceDefinition.class);
        CustomResourceDefinition applied = crds.apply(crd, WriteOptions.apply(FIELD_MANAGER).withForce(true));
        log.info("applied CustomResourceDefinition {} (generation {})", crd.metadata().name(),
                applied.metadata().generation());
        return awaitEstablished(crds, applied, timeout);
    }

    /** The CRD generated for {@code kind}, read from its class loader ({@code META-INF/kardia/crds/<plural>.<group>.yaml}). */
    public static CustomResourceDefinition generated(Class<? extends KubeObject> kind) {
        ResourceType<?> type = ResourceTypes.of(kind);
        String resource = CustomResources.crdResource(type.plural(), type.group());
        ClassLoader loader = kind.getClassLoader() != null ? kind.getClassLoader() : ClassLoader.getSystemClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no generated CustomResourceDefinition for " + kind.getName() + " ("
                        + resource + " is not on the class path): add io.kardia:kardia-crd-generator to the"
                        + " compiler's annotation processors (see docs/custom-resources.md)");
            }
            return Yaml.read(in.readAllBytes(), CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static CustomResourceDefinition awaitEstablished(ResourceClient<CustomResourceDefinition> crds,
                                                             CustomResourceDefinition applied, Duration timeout) {
        String name = applied.metadata().name();
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = 10;
        CustomResourceDefinition current = applied;
        while (!established(current)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("CustomResourceDefinition " + name + " was not Established within "
                        + timeout + "; its conditions: " + current.status().get("conditions"));
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

    static boolean established(CustomResourceDefinition crd) {
        if (!(crd.status().get("conditions") instanceof List<?> conditions)) {
            return false;
        }
        return conditions.stream().anyMatch(c -> c instanceof Map<?, ?> m && "Established".equals(m.get("type"))
                && "True".equals(m.get("status")));
    }
}
