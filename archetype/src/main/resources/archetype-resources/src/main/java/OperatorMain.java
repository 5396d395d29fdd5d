package ${package};

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.runtime.CachedClient;
import io.kardia.runtime.Manager;
import io.kardia.runtime.ManagerBuilder;
import io.kardia.runtime.crd.Crds;
import io.kardia.runtime.leader.LeaderElectionConfig;
import io.kardia.runtime.micronaut.MicronautControllers;
import io.micronaut.context.BeanContext;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the operator against the cluster of the current kubeconfig ({@code --kubeconfig}, else
 * {@code $KUBECONFIG}, else, in a pod, its service account, else {@code ~/.kube/config}) until
 * SIGTERM / Ctrl-C, when it shuts down gracefully. By default it serves {@code /healthz},
 * {@code /readyz} and {@code /metrics} on port 8080, reconciles only while it holds the leader
 * Lease, and applies the generated CRD first (so a field added to the records reaches the
 * cluster); {@link OperatorOptions} lists the flags that change this.
 */
public final class OperatorMain {
    private static final Logger log = LoggerFactory.getLogger(OperatorMain.class);
    /** The Lease the replicas of this operator elect their leader with. */
    static final String LEASE_NAME = "${plural}.${group}";

    private OperatorMain() {
    }

    public static void main(String[] args) throws Exception {
        OperatorOptions options = OperatorOptions.parse(args);
        // Start-up is mostly a cold JVM's CPU (class loading, the first TLS handshake): Micronaut
        // starts on a second thread while this one connects, applies the CRD and builds the manager.
        FutureTask<BeanContext> beansStarting = new FutureTask<>(BeanContext::run);
        Thread.ofPlatform().name("micronaut-start").start(beansStarting);
        Manager manager;
        try {
            manager = newManager(options);
        } catch (RuntimeException e) {
            closeWhenStarted(beansStarting);
            throw e;
        }
        // Closed in reverse: the manager (and its client) first, then the beans.
        try (BeanContext beans = started(beansStarting, manager);
             manager) {
            registerControllers(beans, manager);
            manager.run();
        }
    }

    /** The operator as {@link #main} runs it, ready to start: the client, the CRD, the manager and its controllers. */
    static Manager newManager(BeanContext beans, OperatorOptions options) {
        Manager manager = newManager(options);
        try {
            registerControllers(beans, manager);
            return manager;
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The client, the CRD and the manager, without controllers yet. */
    static Manager newManager(OperatorOptions options) {
        HttpKubeClient client = options.kubeconfig() == null ? HttpKubeClient.autoConfigure()
                : HttpKubeClient.fromKubeConfig(options.kubeconfig());
        try {
            if (options.installCrds()) {
                installCrd(client);
            }
            ManagerBuilder builder = Manager.builder(client).ownsClient(true);
            if (options.httpPort() >= 0) {
                builder.httpPort(options.httpPort());
            }
            if (options.leaderElect()) {
                String namespace = options.leaderElectionNamespace() != null ? options.leaderElectionNamespace() : client.namespace();
                builder.leaderElection(LeaderElectionConfig.of(namespace, LEASE_NAME));
            }
            return builder.build();
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private static BeanContext started(FutureTask<BeanContext> beansStarting, Manager manager) throws InterruptedException {
        try {
            return beansStarting.get();
        } catch (ExecutionException e) {
            manager.close();
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException("Micronaut did not start", e.getCause());
        }
    }

    private static void closeWhenStarted(FutureTask<BeanContext> beansStarting) {
        try {
            beansStarting.get().close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.debug("Micronaut did not start either", e.getCause());
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
                    + " target/deploy/crds/${plural}.${group}.yaml yourself, and start with --install-crds=false", e.getMessage());
        }
    }
}
