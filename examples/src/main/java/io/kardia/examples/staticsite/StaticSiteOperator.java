package io.kardia.examples.staticsite;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.Deployment;
import io.kardia.core.model.GenericObject;
import io.kardia.runtime.Controller;
import io.kardia.runtime.Manager;
import io.kardia.runtime.TypedReconciler;
import io.kardia.runtime.crd.Crds;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the StaticSite operator against the cluster of the current kubeconfig ({@code $KUBECONFIG}
 * or {@code ~/.kube/config}, e.g. the one {@code ./kardia up} writes), installing or updating the
 * CRD first. Stops gracefully on SIGTERM/Ctrl-C.
 */
public final class StaticSiteOperator {
    private static final Logger log = LoggerFactory.getLogger(StaticSiteOperator.class);

    private StaticSiteOperator() {
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
        try {
            int port = Integer.parseInt(args[0]);
            if (args.length == 1 && port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("usage: StaticSiteOperator [metrics-port], with a port from 0 to 65535 (0: any"
                + " free port); got " + String.join(" ", args));
    }

    /** Adds the StaticSite controller to {@code manager}. */
    public static Controller register(Manager manager) {
        return register(manager, UnaryOperator.identity());
    }

    /** {@link #register(Manager)} with the reconciler wrapped, e.g. by a test that watches its outcomes. */
    static Controller register(Manager manager, UnaryOperator<TypedReconciler<GenericObject>> wrap) {
        // The manager's clock: virtual in a simulation, so condition timestamps follow the simulated time.
        StaticSiteReconciler reconciler = new StaticSiteReconciler(manager.client(), manager.apiClient(),
                manager.eventRecorder("staticsite-controller"), manager.clock().wallClock());
        return manager.newController().named("staticsite").forKind(StaticSiteReconciler.GENERIC_TYPE)
                .owns(ConfigMap.class).owns(Deployment.class).complete(wrap.apply(reconciler));
    }

    /**
     * Applies the CRD generated from the records (creating it, or updating an older one so new
     * fields are not pruned) and waits until it is served; an operator without that permission just logs.
     */
    public static void installCrd(KubeClient client) {
        try {
            Crds.ensureInstalled(client, StaticSite.class);
        } catch (KubeApiException.ForbiddenException e) {
            log.warn("cannot install CustomResourceDefinition {} ({}); apply {} yourself",
                    StaticSiteCrd.definition().metadata().name(), e.getMessage(), StaticSiteCrd.RESOURCE);
        }
    }
}
