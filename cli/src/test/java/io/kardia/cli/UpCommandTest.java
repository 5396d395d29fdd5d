package io.kardia.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.model.Container;
import io.kardia.core.model.Lease;
import io.kardia.core.model.LeaseSpec;
import io.kardia.core.model.Node;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kardia up} in process: a whole control plane over HTTPS, stopped and started again on its data. */
class UpCommandTest {

    private record Running(CountDownLatch stop, CompletableFuture<Integer> exit) {
        int stopAndWait() throws Exception {
            stop.countDown();
            return exit.get(30, TimeUnit.SECONDS);
        }
    }

    private static Running up(Path dataDir) throws Exception {
        return up(dataDir, "2");
    }

    private static Running up(Path dataDir, String nodes) throws Exception {
        Files.deleteIfExists(dataDir.resolve("kubeconfig"));
        CommandLine cl = KardiaMain.parse("up", "--data-dir", dataDir.toString(), "--port", "0", "--nodes", nodes);
        CountDownLatch stop = new CountDownLatch(1);
        // Its own thread: the command blocks until stopped, and the common pool may have a single worker.
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread.ofPlatform().name("kardia-up").start(() -> {
            try {
                exit.complete(new UpCommand(cl).run(stop));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        });
        // The first start makes TLS material with several keytool JVMs: on a busy machine that alone can take a minute.
        await().atMost(Duration.ofSeconds(180)).until(() -> Files.exists(dataDir.resolve("kubeconfig")) || exit.isDone());
        assertThat(exit).isNotDone();
        return new Running(stop, exit);
    }

    /** The data directory is 0700 and every file in it (journal, keys, token, kubeconfig) 0600. */
    private static void assertPrivate(Path dataDir) throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
        try (var files = Files.walk(dataDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString())
                        .isEqualTo("rw-------");
            }
        }
        assertThat(dataDir.resolve("token")).exists();
        assertThat(dataDir.resolve("tls").resolve("keystore-password")).exists();
    }

    @Test
    void runsAControlPlaneAndKeepsItsObjectsAcrossARestart(@TempDir Path tmp) throws Exception {
        Path dataDir = tmp.resolve("data"); // made by the command, so its mode is the command's
        Running first = up(dataDir);
        assertPrivate(dataDir);
        try (KubeClient client = HttpKubeClient.fromKubeConfig(dataDir.resolve("kubeconfig"))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> client.resources(Node.class).list(null).items().stream()
                    .filter(Node::ready).count() == 2);
            client.resources(Pod.class).create(Pod.of(ObjectMeta.of("default", "hello"),
                    PodSpec.of(new Container("c", "nginx", null, null, null, null, null, null, null, null))));
            // scheduled by the scheduler, started by a simulated node
            await().atMost(Duration.ofSeconds(20)).until(() -> client.resources(Pod.class).get("default", "hello").ready());
        }
        assertThat(first.stopAndWait()).isZero();

        Running second = up(dataDir);
        try (KubeClient client = HttpKubeClient.fromKubeConfig(dataDir.resolve("kubeconfig"))) {
            Pod hello = client.resources(Pod.class).get("default", "hello");
            assertThat(hello.spec().nodeName()).startsWith("node-");
            assertThat(client.resources(Node.class).list(null).items()).hasSize(2);
        } finally {
            assertThat(second.stopAndWait()).isZero();
        }
    }

    /**
     * The zombie: a controller manager that lost its lease must not linger healthy and idle.
     * Another holder takes the lease; the manager cannot renew, stops, and the whole command ends
     * with exit status 1 (a supervisor restarts it).
     */
    @Test
    void losingTheLeaderLeaseEndsUpWithExitStatusOne(@TempDir Path tmp) throws Exception {
        Path dataDir = tmp.resolve("data");
        Running running = up(dataDir, "0");
        try (KubeClient client = HttpKubeClient.fromKubeConfig(dataDir.resolve("kubeconfig"))) {
            var leases = client.resources(Lease.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> leases.find("kube-system", "kardia-controller-manager")
                    .map(l -> l.spec().holderIdentity() != null).orElse(false));
            // A renewal may land between our read and write (409): try again until the intruder holds it.
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                Lease held = leases.get("kube-system", "kardia-controller-manager");
                java.time.Instant now = java.time.Instant.now();
                leases.update(held.withSpec(LeaseSpec.of("intruder", 300, now, now, 1)));
                return true;
            });
        }
        assertThat(running.exit().get(90, TimeUnit.SECONDS)).isEqualTo(1);
    }
}
