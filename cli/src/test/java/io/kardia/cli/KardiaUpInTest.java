package io.kardia.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.http.HttpKubeClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@code kardia up} as a user runs it (store over HTTPS, controller manager, simulated nodes),
 * started in this JVM on a free port for a test, and a client through the kubeconfig it writes.
 * {@link #close()} stops it and checks it exited with status 0.
 */
final class KardiaUpInTest implements AutoCloseable {
    /** Generous: the first start makes TLS material and the machine may be busy. */
    private static final Duration READY = Duration.ofSeconds(180);
    private static final Duration STOP = Duration.ofSeconds(60);

    private final Path dataDir;
    private final Shutdown shutdown;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private KubeClient client;

    private KardiaUpInTest(Path dataDir, Shutdown shutdown) {
        this.dataDir = dataDir;
        this.shutdown = shutdown;
    }

    /** {@code kardia up --data-dir dataDir --port 0 args...}, waited for until it says it is up. */
    static KardiaUpInTest start(Path dataDir, String... args) {
        return start(dataDir, KardiaCommand::new, args);
    }

    /** As {@link #start(Path, String...)}, with the command made by {@code command} (e.g. on a test's clock). */
    static KardiaUpInTest start(Path dataDir, Function<Shutdown, KardiaCommand> command, String... args) {
        KardiaUpInTest up = new KardiaUpInTest(dataDir, Shutdown.onRequest());
        List<String> argv = new ArrayList<>(List.of("up", "--data-dir", dataDir.toString(), "--port", "0"));
        argv.addAll(List.of(args));
        // Its own thread: the command blocks until stopped, and the common pool may have a single worker.
        Thread.ofPlatform().name("kardia-up").start(() -> {
            try {
                up.exit.complete(KardiaMain.run(command.apply(up.shutdown), Map.of(), new PrintWriter(up.out, true),
                        new PrintWriter(up.err, true), argv.toArray(String[]::new)));
            } catch (Throwable t) {
                up.exit.completeExceptionally(t);
            }
        });
        await().atMost(READY).until(() -> up.out().contains("Kardia is up") || up.exit.isDone());
        assertThat(up.exit).as("up exited early: %s", up.err).isNotDone();
        return up;
    }

    Path dataDir() {
        return dataDir;
    }

    Path kubeconfig() {
        return dataDir.resolve("kubeconfig");
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }

    /** A client through the kubeconfig up wrote; closed by {@link #close()}. */
    synchronized KubeClient client() {
        if (client == null) {
            client = HttpKubeClient.fromKubeConfig(kubeconfig());
        }
        return client;
    }

    /** Its exit status, once it ended by itself (e.g. after losing its lease). */
    int awaitExit(Duration atMost) throws Exception {
        return exit.get(atMost.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks it to stop and returns its exit status. */
    int stop() throws Exception {
        closeClient();
        shutdown.request();
        return exit.get(STOP.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        assertThat(stop()).as("up's exit status; stderr: %s", err).isZero();
    }

    private synchronized void closeClient() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
