package io.kardia.cli;

import io.kardia.controllers.ControllerManager;
import io.kardia.controllers.scheduler.SchedulerOptions;
import io.kardia.runtime.Manager;
import io.kardia.runtime.leader.LeadershipLostException;
import io.kardia.simulator.SimulatedNodeOptions;
import io.kardia.simulator.SimulatedNodes;
import io.kardia.store.PrivateFiles;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import io.kardia.store.http.ApiServer;
import io.kardia.store.http.BearerTokenAuthenticator;
import io.kardia.store.http.KubeconfigWriter;
import io.kardia.store.http.TlsMaterial;
import io.kardia.store.journal.FileJournal;
import java.io.IOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;

/**
 * {@code kardia up}: the store (durable in the data directory) and its API server, the controller
 * manager and the simulated nodes, in one process until Ctrl-C; {@code kardia store}: only the
 * store and its API server. The controllers and nodes use the store in process (no HTTP hop).
 */
final class UpCommand {
    /** A start that cannot succeed as asked (port taken, data directory damaged or locked...). */
    static final class StartupException extends RuntimeException {
        StartupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final CommandLine cl;

    UpCommand(CommandLine cl) {
        this.cl = cl;
    }

    static final String NODE_PREFIX = "node";

    private Manager controllers;
    private SimulatedNodes nodes;

    /** Runs until Ctrl-C (SIGINT/SIGTERM). */
    int run() {
        return run(new CountDownLatch(1));
    }

    /** Runs until Ctrl-C or until {@code stopRequested} is counted down (in-process callers, tests). */
    int run(CountDownLatch stopRequested) {
        Path dataDir = Path.of(cl.flag("data-dir", ".kardia")).toAbsolutePath().normalize();
        int port = cl.intFlag("port", 6443, 0, 65535);
        String host = cl.flag("host", "127.0.0.1");
        // kubectl sends bearer tokens only over HTTPS, so TLS is on unless turned off explicitly.
        boolean tls = !"false".equals(cl.flag("tls", "true"));
        boolean whole = "up".equals(cl.command());
        int nodeCount = whole ? cl.intFlag("nodes", 3, 0, 5000) : 0;
        int zones = whole ? cl.intFlag("zones", 1, 1, 26) : 1;
        var lifecycle = whole ? ClusterCommands.lifecycleOptions(cl) : null;
        var onLeaderLoss = whole ? ClusterCommands.leaderLossPolicy(cl) : null;

        ReferenceStore store = openStore(dataDir, cl.has("drop-damaged-journal-tail"));
        ApiServer server = null;
        try {
            String token = token(dataDir);
            SSLContext ssl = null;
            String caPem = null;
            if (tls) {
                TlsMaterial material = TlsMaterial.ensure(dataDir.resolve("tls"));
                ssl = material.sslContext();
                caPem = material.caPem();
            }
            server = startServer(store, host, port, token, ssl);
            Path kubeconfig = dataDir.resolve("kubeconfig");
            KubeconfigWriter.write(kubeconfig, server.url(), token, caPem);
            if (whole) {
                controllers = ControllerManager.start(store.client(), lifecycle,
                        SchedulerOptions.defaults(), true, onLeaderLoss);
                if (nodeCount > 0) {
                    nodes = new SimulatedNodes(store.client(), SimulatedNodes.names(NODE_PREFIX, nodeCount),
                            SimulatedNodeOptions.defaults().withZones(zones));
                    nodes.start();
                }
            }
            printWelcome(server.url(), kubeconfig, whole, nodeCount);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdown(server, store);
            throw new StartupException("interrupted while starting", e);
        } catch (IOException | RuntimeException e) {
            shutdown(server, store);
            if (e instanceof StartupException se) {
                throw se;
            }
            throw new StartupException("could not start: " + e.getMessage(), e);
        }

        ApiServer running = server;
        AtomicBoolean down = new AtomicBoolean();
        Runnable stopAll = () -> {
            if (down.compareAndSet(false, true)) {
                shutdown(running, store);
            }
        };
        Thread hook = new Thread(() -> {
            stopAll.run();
            stopRequested.countDown();
        }, "kardia-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        AtomicBoolean leadershipLost = new AtomicBoolean();
        if (controllers != null) {
            watchLeadership(controllers, leadershipLost, stopRequested);
        }
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopAll.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook did the work
        }
        return leadershipLost.get() ? KardiaMain.EXIT_FAILURE : 0;
    }

    /**
     * A controller manager that lost its lease stops (never lingers healthy and idle): the whole
     * process then stops with exit status 1 and a line saying why, so a supervisor restarts it.
     */
    static void watchLeadership(Manager manager, AtomicBoolean lost, CountDownLatch stop) {
        Thread.ofVirtual().name("kardia-leadership-watch").start(() -> {
            try {
                manager.awaitTermination();
            } catch (InterruptedException e) {
                return;
            }
            manager.failure().filter(f -> f instanceof LeadershipLostException).ifPresent(f -> {
                lost.set(true);
                System.err.println("kardia: " + f.getMessage() + "; stopping (exit status 1) so a fresh start can campaign again");
                stop.countDown();
            });
        });
    }

    /** Nodes first (they stop writing), then the controllers (they release the leader lease), then the API. */
    private void shutdown(ApiServer server, ReferenceStore store) {
        if (nodes != null) {
            nodes.close();
        }
        if (controllers != null) {
            controllers.close();
        }
        if (server != null) {
            server.close();
        }
        store.close();
    }

    private static ReferenceStore openStore(Path dataDir, boolean dropDamagedTail) {
        try {
            // Owner-only from the moment it exists: it holds the journal (Secrets), keys and token.
            PrivateFiles.directory(dataDir);
            FileJournal.Options journal = FileJournal.Options.defaults().withDropDamagedLastRecord(dropDamagedTail);
            return ReferenceStore.open(StoreOptions.defaults(), FileJournal.open(dataDir.resolve("store"), journal));
        } catch (IOException e) {
            throw new StartupException("cannot use data directory " + dataDir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Corruption and lock errors name the file; say so plainly and refuse to start.
            throw new StartupException("cannot open the store in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static ApiServer startServer(ReferenceStore store, String host, int port, String token, SSLContext ssl)
            throws IOException {
        try {
            return ApiServer.start(store, host, port, token, ssl);
        } catch (BindException e) {
            throw new StartupException("cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "); is another Kardia running? Choose another port with --port", e);
        }
    }

    /** The API token, made once and kept (owner-only) so the kubeconfig stays valid across restarts. */
    private static String token(Path dataDir) throws IOException {
        Path file = dataDir.resolve("token");
        if (Files.exists(file)) {
            String t = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (t.length() >= 16) {
                return t;
            }
        }
        String t = BearerTokenAuthenticator.newToken();
        PrivateFiles.writeString(file, t + "\n"); // created 0600, never readable by others
        return t;
    }

    private static void printWelcome(String url, Path kubeconfig, boolean whole, int nodeCount) {
        String kc = kubeconfig.toString();
        if (!whole) {
            System.out.println("""
                    Kardia store is up.
                      API:        %s
                      kubeconfig: %s

                    Try:
                      export KUBECONFIG=%s
                      kubectl get namespaces
                      ./kardia controllers --kubeconfig %s     # controllers and scheduler, in another terminal
                      ./kardia nodes --kubeconfig %s --count 3 # simulated nodes, in another terminal

                    Ctrl-C stops it; objects are kept in the data directory for the next start.
                    """.formatted(url, kc, kc, kc, kc));
            return;
        }
        String stopNode = nodeCount >= 2 ? NODE_PREFIX + "-2" : NODE_PREFIX + "-1";
        System.out.println("""
                Kardia is up: API store, controller manager, scheduler and %d simulated node(s).
                  API:        %s
                  kubeconfig: %s

                Try:
                  export KUBECONFIG=%s
                  kubectl get nodes
                  kubectl apply -f %s
                  kubectl scale deployment web --replicas=6
                  kubectl rollout status deployment/web
                  kubectl get pods -o wide
                  ./kardia node stop %s --kubeconfig %s    # the node dies: its pods move
                  kubectl get nodes; kubectl get pods -o wide -w
                  ./kardia node start %s --kubeconfig %s   # it comes back
                  kubectl set image deployment/web nginx=nginx:1.29; kubectl rollout status deployment/web
                  kubectl rollout undo deployment/web

                Ctrl-C stops it; objects are kept in the data directory for the next start.
                """.formatted(nodeCount, url, kc, kc, exampleDeployment(), stopNode, kc, stopNode, kc));
    }

    /** The repository's example manifest (./kardia runs from the repository root); kubectl create sends protobuf. */
    private static String exampleDeployment() {
        Path example = Path.of("examples", "web-deployment.yaml").toAbsolutePath();
        return Files.isRegularFile(example) ? example.toString() : "web-deployment.yaml   # a Deployment named web";
    }
}
