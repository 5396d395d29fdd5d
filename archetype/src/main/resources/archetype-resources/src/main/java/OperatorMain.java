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
import io.kardia.runtime.micronaut.MicronautWebhooks;
import io.kardia.runtime.webhook.WebhookTls;
import io.kardia.runtime.webhook.Webhooks;
import io.micronaut.context.BeanContext;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the operator against the cluster of the current kubeconfig ({@code --kubeconfig}, else
 * {@code $KUBECONFIG}, else, in a pod, its service account, else {@code ~/.kube/config}) until
 * SIGTERM / Ctrl-C, when it shuts down gracefully. By default it serves {@code /healthz},
 * {@code /readyz} and {@code /metrics} on port 8080, reconciles only while it holds the leader
 * Lease, applies the generated CRD first (so a field added to the records reaches the cluster),
 * and serves the admission webhooks of its {@code @KardiaWebhook} beans, if it has any, on port
 * 9443; {@link OperatorOptions} lists the flags that change this.
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
        // starts on a second thread while this one connects and applies the CRD.
        FutureTask<BeanContext> beansStarting = new FutureTask<>(BeanContext::run);
        Thread.ofPlatform().name("micronaut-start").start(beansStarting);
        Manager manager;
        try {
            manager = newManager(() -> started(beansStarting), options);
        } catch (RuntimeException e) {
            closeWhenStarted(beansStarting);
            throw e;
        }
        // Closed in reverse: the manager (and its client) first, then the beans.
        try (BeanContext beans = beansStarting.get();
             manager) {
            manager.run();
        }
    }

    /** The operator as {@link #main} runs it, ready to start: the client, the CRD, the manager, its controllers and webhooks. */
    static Manager newManager(BeanContext beans, OperatorOptions options) {
        return newManager(() -> beans, options);
    }

    private static Manager newManager(Supplier<BeanContext> beans, OperatorOptions options) {
        HttpKubeClient client = options.kubeconfig() == null ? HttpKubeClient.autoConfigure()
                : HttpKubeClient.fromKubeConfig(options.kubeconfig());
        // The CRD's round trips (the process's first TLS handshake among them) run beside building
        // the manager; it is installed before the manager starts its informers.
        CompletableFuture<Void> crdInstalled = options.installCrds()
                ? CompletableFuture.runAsync(() -> installCrd(client), task -> Thread.ofVirtual().name("install-crd").start(task))
                : CompletableFuture.completedFuture(null);
        try {
            ManagerBuilder builder = Manager.builder(client).ownsClient(true);
            if (options.httpPort() >= 0) {
                builder.httpPort(options.httpPort());
            }
            if (options.leaderElect()) {
                String namespace = options.leaderElectionNamespace() != null ? options.leaderElectionNamespace() : client.namespace();
                builder.leaderElection(LeaderElectionConfig.of(namespace, LEASE_NAME));
            }
            BeanContext context = beans.get();
            webhooks(context, options).ifPresent(builder::webhooks);
            Manager manager = builder.build();
            try {
                registerControllers(context, manager);
                crdInstalled.join();
            } catch (RuntimeException e) {
                manager.close();
                throw e;
            }
            return manager;
        } catch (RuntimeException e) {
            crdInstalled.exceptionally(failed -> null).join(); // before the client it uses closes
            client.close();
            throw e instanceof CompletionException c && c.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * The admission webhooks of the {@code @KardiaWebhook} beans, if there are any, served over
     * HTTPS on {@code --webhook-port} with the certificate in {@code --webhook-cert-dir} (in the
     * cluster, the cert-manager Secret the Deployment mounts there; it is read again when it
     * changes); without one, a self-signed certificate for localhost, for a local run.
     */
    static Optional<Webhooks> webhooks(BeanContext beans, OperatorOptions options) {
        Webhooks.Builder builder = Webhooks.builder().address(new InetSocketAddress(options.webhookPort()));
        List<String> registered = MicronautWebhooks.register(beans, builder);
        if (registered.isEmpty()) {
            return Optional.empty();
        }
        if (Files.isRegularFile(options.webhookCertDir().resolve("tls.crt"))) {
            builder.tls(WebhookTls.fromCertDir(options.webhookCertDir()));
        } else {
            log.warn("no tls.crt in {}: the webhooks ({}) are served with a self-signed certificate for localhost",
                    options.webhookCertDir(), String.join(", ", registered));
            builder.tls(WebhookTls.selfSigned(List.of("127.0.0.1", "localhost")));
        }
        return Optional.of(builder.build());
    }

    private static BeanContext started(FutureTask<BeanContext> beansStarting) {
        try {
            return beansStarting.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while Micronaut starts", e);
        } catch (ExecutionException e) {
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
     * fresh reads) and its wall clock (for timestamps; a simulation's is virtual), and turns every
     * @KardiaController bean into a controller.
     */
    static void registerControllers(BeanContext beans, Manager manager) {
        beans.registerSingleton(CachedClient.class, manager.client());
        beans.registerSingleton(KubeClient.class, manager.apiClient());
        beans.registerSingleton(Clock.class, manager.clock().wallClock());
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
