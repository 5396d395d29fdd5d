package ${package};

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.json.Yaml;
import io.kardia.core.model.CustomResourceDefinition;
import io.kardia.runtime.CachedClient;
import io.kardia.runtime.Manager;
import io.kardia.runtime.micronaut.MicronautControllers;
import io.micronaut.context.BeanContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the operator against the cluster of the current kubeconfig ({@code $KUBECONFIG}, else
 * {@code ~/.kube/config}; in a pod, its service account). Installs the CRD if the cluster lacks it,
 * then reconciles until SIGTERM / Ctrl-C, when it shuts down gracefully.
 */
public final class OperatorMain {
    static final String CRD_RESOURCE = "/crds/${plural}.${group}.yaml";
    private static final Logger log = LoggerFactory.getLogger(OperatorMain.class);

    private OperatorMain() {
    }

    public static void main(String[] args) throws Exception {
        // Closed in reverse: the manager stops first, then the client, then the beans.
        try (BeanContext beans = BeanContext.run();
             KubeClient client = HttpKubeClient.autoConfigure();
             Manager manager = Manager.builder(client).build()) {
            installCrd(client);
            registerControllers(beans, manager);
            manager.run();
        }
    }

    /**
     * Makes the manager's clients injectable (the cached one for reads and writes, the API one for
     * fresh reads) and turns every @KardiaController bean into a controller.
     */
    static void registerControllers(BeanContext beans, Manager manager) {
        beans.registerSingleton(CachedClient.class, manager.client());
        beans.registerSingleton(KubeClient.class, manager.apiClient());
        MicronautControllers.register(beans, manager);
    }

    /** The CRD shipped in src/main/resources/crds. */
    static CustomResourceDefinition crd() {
        try (InputStream in = OperatorMain.class.getResourceAsStream(CRD_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CRD_RESOURCE + " is missing from the class path");
            }
            return Yaml.read(in.readAllBytes(), CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CRD_RESOURCE, e);
        }
    }

    static void installCrd(KubeClient client) {
        CustomResourceDefinition crd = crd();
        var crds = client.resources(CustomResourceDefinition.class);
        try {
            if (crds.find(null, crd.metadata().name()).isEmpty()) {
                crds.create(crd);
                log.info("installed CustomResourceDefinition {}", crd.metadata().name());
            }
        } catch (KubeApiException.AlreadyExistsException raced) {
            log.debug("CustomResourceDefinition {} was installed concurrently", crd.metadata().name());
        } catch (KubeApiException.ForbiddenException e) {
            log.warn("not allowed to install CustomResourceDefinition {}: apply src/main/resources{} yourself",
                    crd.metadata().name(), CRD_RESOURCE);
        }
    }
}
