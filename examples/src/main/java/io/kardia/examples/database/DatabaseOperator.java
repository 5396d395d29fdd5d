package io.kardia.examples.database;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.model.CustomResourceDefinition;
import io.kardia.core.model.ResourceTypes;
import io.kardia.runtime.Controller;
import io.kardia.runtime.Manager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the Database operator against the cluster of the current kubeconfig ({@code $KUBECONFIG}
 * or {@code ~/.kube/config}, e.g. the one {@code ./kardia up} writes), installing the CRD first if
 * the cluster does not have it. Stops gracefully on SIGTERM/Ctrl-C.
 */
public final class DatabaseOperator {
    private static final Logger log = LoggerFactory.getLogger(DatabaseOperator.class);

    private DatabaseOperator() {
    }

    public static void main(String[] args) throws Exception {
        int httpPort = httpPort(args);
        try (KubeClient client = HttpKubeClient.autoConfigure();
             Manager manager = Manager.builder(client).httpPort(httpPort).build()) {
            installCrd(client);
            register(manager);
            manager.run();
        }
    }

    /** The optional single argument: the port of /metrics and the health endpoints (0: any free port). */
    static int httpPort(String[] args) {
        if (args.length == 0) {
            return 8080;
        }
        if (args.length == 1 && args[0].matches("\\d{1,5}") && Integer.parseInt(args[0]) <= 65535) {
            return Integer.parseInt(args[0]);
        }
        throw new IllegalArgumentException("usage: DatabaseOperator [metrics-port], with a port from 0 to 65535 (0: any"
                + " free port); got " + String.join(" ", args));
    }

    /**
     * Adds the Database controller to {@code manager}: it reconciles each Database, and the
     * Database that controls a changed child of any of the six owned kinds.
     */
    public static Controller register(Manager manager) {
        // The manager's clock: virtual in a simulation, so condition timestamps follow the simulated time.
        DatabaseReconciler reconciler = new DatabaseReconciler(manager.client(), manager.apiClient(),
                manager.eventRecorder("database-controller"), manager.clock().wallClock());
        return manager.newController().named("database").forKind(Database.class)
                .owns(ResourceTypes.SERVICE_ACCOUNT)
                .owns(ResourceTypes.ROLE)
                .owns(ResourceTypes.ROLE_BINDING)
                .owns(ResourceTypes.SERVICE)
                .owns(ResourceTypes.STATEFUL_SET)
                .owns(ResourceTypes.JOB)
                .complete(reconciler);
    }

    /** Creates the CRD unless the cluster already serves it (an operator without that permission just logs). */
    public static void installCrd(KubeClient client) {
        CustomResourceDefinition crd = DatabaseCrd.definition();
        var crds = client.resources(CustomResourceDefinition.class);
        try {
            if (crds.find(null, crd.metadata().name()).isEmpty()) {
                crds.create(crd);
                log.info("installed CustomResourceDefinition {}", crd.metadata().name());
            }
        } catch (KubeApiException.AlreadyExistsException raced) {
            log.debug("CustomResourceDefinition {} was installed concurrently", crd.metadata().name());
        } catch (KubeApiException.ForbiddenException e) {
            log.warn("cannot install CustomResourceDefinition {} ({}); apply {} yourself", crd.metadata().name(),
                    e.getMessage(), DatabaseCrd.RESOURCE);
        }
    }
}
