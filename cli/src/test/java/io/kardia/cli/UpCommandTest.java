package io.kardia.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.model.Container;
import io.kardia.core.model.Lease;
import io.kardia.core.model.LeaseSpec;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.Node;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kardia up} in process: a whole control plane over HTTPS, stopped and started again on its data. */
class UpCommandTest {

    private static KardiaUpInTest up(Path dataDir) {
        return up(dataDir, "2");
    }

    private static KardiaUpInTest up(Path dataDir, String nodes) {
        return KardiaUpInTest.start(dataDir, "--nodes", nodes);
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
        KardiaUpInTest first = up(dataDir);
        assertPrivate(dataDir);
        Path kubeconfig = dataDir.resolve("kubeconfig");
        // Ready means: the address, the kubeconfig and what to type next.
        assertThat(first.out()).containsPattern("API: +https://127\\.0\\.0\\.1:\\d+")
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
        assertThat(first.stop()).isZero();

        KardiaUpInTest second = up(dataDir);
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
            assertThat(second.stop()).isZero();
        }
    }

    /**
     * The zombie: a controller manager that lost its lease must not linger healthy and idle.
     * Another holder takes the lease; the manager cannot renew, stops, and the whole command ends
     * with exit status 1 and one line saying why (a supervisor restarts it).
     */
    @Test
    void losingTheLeaderLeaseEndsUpWithExitStatusOne(@TempDir Path tmp) throws Exception {
        Path dataDir = tmp.resolve("data");
        KardiaUpInTest running = up(dataDir, "0");
        try (KubeClient client = HttpKubeClient.fromKubeConfig(dataDir.resolve("kubeconfig"))) {
            var leases = client.resources(Lease.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> leases.find("kube-system", "kardia-controller-manager")
                    .map(l -> l.spec().holderIdentity() != null).orElse(false));
            // A renewal may land between our read and write (409): try again until the intruder holds it.
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                Lease held = leases.get("kube-system", "kardia-controller-manager");
                Instant now = Instant.now();
                leases.update(held.withSpec(LeaseSpec.of("intruder", 300, now, now, 1)));
                return true;
            });
        }
        assertThat(running.awaitExit(Duration.ofSeconds(90))).isEqualTo(1);
        assertThat(running.err().lines().toList()).as("stderr: %s", running.err()).anySatisfy(line ->
                assertThat(line).startsWith("kardia up: leadership of lease").contains("was lost", "exit status 1"));
    }
}
