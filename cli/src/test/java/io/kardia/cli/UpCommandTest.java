package io.kardia.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.model.Container;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.Node;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kardia up} in process: a whole control plane over HTTPS, stopped and started again on its data. */
class UpCommandTest {

    private record Running(Shutdown shutdown, CompletableFuture<Integer> exit, StringWriter out) {
        int stopAndWait() throws Exception {
            shutdown.request();
            return exit.get(60, TimeUnit.SECONDS);
        }
    }

    private static Running up(Path dataDir) {
        Shutdown shutdown = Shutdown.onRequest();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // Its own thread: the command blocks until stopped, and the common pool may have a single worker.
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread.ofPlatform().name("kardia-up").start(() -> {
            try {
                exit.complete(KardiaMain.run(new KardiaCommand(shutdown), Map.of(), new PrintWriter(out, true),
                        new PrintWriter(err, true), "up", "--data-dir", dataDir.toString(), "--port", "0", "--nodes", "2"));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        });
        // The first start makes TLS material with several keytool JVMs: on a busy machine that alone can take a minute.
        await().atMost(Duration.ofSeconds(180)).until(() -> out.toString().contains("Kardia is up") || exit.isDone());
        assertThat(exit).as("up exited early: %s", err).isNotDone();
        return new Running(shutdown, exit, out);
    }

    @Test
    void runsAControlPlaneAndKeepsItsObjectsAcrossARestart(@TempDir Path dataDir) throws Exception {
        Running first = up(dataDir);
        Path kubeconfig = dataDir.resolve("kubeconfig");
        // Ready means: the address, the kubeconfig and what to type next.
        assertThat(first.out().toString()).containsPattern("API: +https://127\\.0\\.0\\.1:\\d+")
                .contains("kubeconfig: " + kubeconfig, "export KUBECONFIG=" + kubeconfig, "kubectl get nodes");
        assertThat(Files.readString(kubeconfig)).contains("server: https://127.0.0.1:");
        try (KubeClient client = HttpKubeClient.fromKubeConfig(kubeconfig)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> client.resources(Node.class).list(null).items().stream()
                    .filter(Node::ready).count() == 2);
            client.resources(Pod.class).create(Pod.of(ObjectMeta.of("default", "hello"),
                    PodSpec.of(new Container("c", "nginx", null, null, null, null, null, null, null, null))));
            // scheduled by the scheduler, started by a simulated node
            await().atMost(Duration.ofSeconds(60)).until(() -> client.resources(Pod.class).get("default", "hello").ready());
        }
        assertThat(first.stopAndWait()).isZero();

        Running second = up(dataDir);
        try (KubeClient client = HttpKubeClient.fromKubeConfig(kubeconfig)) {
            Pod hello = client.resources(Pod.class).get("default", "hello");
            assertThat(hello.spec().nodeName()).startsWith("node-");
            assertThat(client.resources(Node.class).list(null).items()).hasSize(2);

            // up's store leaves namespace deletion to the namespace controller, which up runs:
            // deleting a namespace with a running pod completes.
            client.resources(Namespace.class).create(Namespace.named("scratch"));
            client.resources(Pod.class).create(Pod.of(ObjectMeta.of("scratch", "temp"),
                    PodSpec.of(new Container("c", "nginx", null, null, null, null, null, null, null, null))));
            await().atMost(Duration.ofSeconds(60)).until(() -> client.resources(Pod.class).get("scratch", "temp").ready());
            Namespace terminating = client.resources(Namespace.class).delete(null, "scratch");
            assertThat(terminating.status()).containsEntry("phase", "Terminating");
            await().atMost(Duration.ofSeconds(60)).until(() -> client.resources(Namespace.class).find(null, "scratch").isEmpty());
        } finally {
            assertThat(second.stopAndWait()).isZero();
        }
    }
}
