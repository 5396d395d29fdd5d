package ${package};

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.runtime.CachedClient;
import io.kardia.runtime.Manager;
import io.kardia.runtime.crd.Crds;
import io.kardia.runtime.micronaut.MicronautControllers;
import io.micronaut.context.BeanContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the operator against the cluster of the current kubeconfig ({@code $KUBECONFIG}, else
 * {@code ~/.kube/config}; in a pod, its service account). Applies the generated CRD (so a field
 * added to the records reaches the cluster), then reconciles until SIGTERM / Ctrl-C, when it
 * shuts down gracefully.
 */
public final class OperatorMain {
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

    /** Creates or updates the CRD and waits until it is served; without the permission, says what to apply. */
    static void installCrd(KubeClient client) {
        try {
            Crds.ensureInstalled(client, ${kind}.class);
        } catch (KubeApiException.ForbiddenException e) {
            log.warn("not allowed to install the CRD of ${kind} ({}): apply"
                    + " target/classes/META-INF/kardia/crds/${plural}.${group}.yaml yourself", e.getMessage());
        }
    }
}
