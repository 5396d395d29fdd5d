package io.kardia.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ListOptions;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.json.Json;
import io.kardia.core.model.Deployment;
import io.kardia.core.model.Lease;
import io.kardia.core.model.Pod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader pause, at process level and bounded: {@code kardia up} in a child JVM with a
 * 4 s lease is stopped with SIGSTOP for longer than the lease, then continued. By default it must
 * exit with status 1 (a supervisor restarts it), never linger; with {@code --on-leader-loss
 * campaign} it must campaign again, win and act on a scale. Skipped where there are no POSIX signals.
 */
@Timeout(180)
class LeaderPauseProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    /** Longer than the 4 s lease below: what the pause must outlast. */
    private static final Duration PAUSE = Duration.ofSeconds(6);
    private static final Path KILL = Path.of("/bin/kill");

    @BeforeAll
    static void needsSignals() {
        Assumptions.assumeTrue(!System.getProperty("os.name", "").startsWith("Windows") && Files.isExecutable(KILL),
                "needs POSIX signals and /bin/kill to pause a process");
    }

    /** A child {@code kardia up}; its output (logs included) goes to a file that is read as it grows. */
    private record Child(Process process, Path log, Path dataDir) implements AutoCloseable {
        static Child up(Path tmp, String... extra) throws IOException {
            Path dataDir = tmp.resolve("data");
            Path log = tmp.resolve("up.log");
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", // (or slf4j-simple, when the test classpath brings it)
                    "-cp", System.getProperty("java.class.path"), KardiaMain.class.getName(),
                    "up", "--data-dir", dataDir.toString(), "--port", "0", "--nodes", "0",
                    // Short, yet with a renew deadline a busy CI machine's hiccups do not reach.
                    "--leader-elect-lease-duration", "4s", "--leader-elect-renew-deadline", "3s",
                    "--leader-elect-retry-period", "500ms"));
            command.addAll(List.of(extra));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("KARDIA_LOG_LEVEL", "INFO"); // the test reads the manager's INFO lines (logback)
            Process p = builder.start();
            Child child = new Child(p, log, dataDir);
            await().atMost(WAIT).until(() -> child.output().contains("Kardia is up") || !p.isAlive());
            assertThat(p.isAlive()).as("kardia up exited early:%n%s", child.output()).isTrue();
            return child;
        }

        String output() throws IOException {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        }

        KubeClient client() {
            return HttpKubeClient.fromKubeConfig(dataDir.resolve("kubeconfig"));
        }

        /** SIGSTOP for {@link #PAUSE}, then SIGCONT. */
        void pause() throws Exception {
            signal("-STOP");
            try {
                Thread.sleep(PAUSE); // the pause itself is what is tested: wall time must pass while the process is stopped
            } finally {
                signal("-CONT");
            }
        }

        private void signal(String which) throws Exception {
            Process kill = new ProcessBuilder(KILL.toString(), which, Long.toString(process.pid())).inheritIO().start();
            assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(kill.exitValue()).as("kill %s", which).isZero();
        }

        @Override
        public void close() throws Exception {
            process.destroy(); // SIGTERM: a graceful stop
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void awaitLeader(Child child, KubeClient client) throws IOException {
        await().atMost(WAIT).ignoreExceptions().until(() -> !child.process().isAlive() || client.resources(Lease.class)
                .find("kube-system", "kardia-controller-manager").map(l -> l.spec().holderIdentity() != null).orElse(false));
        assertThat(child.process().isAlive()).as("kardia up exited before the pause:%n%s", child.output()).isTrue();
    }

    @Test
    void byDefaultAPauseLongerThanTheLeaseEndsTheProcessWithStatusOne(@TempDir Path tmp) throws Exception {
        try (Child child = Child.up(tmp); KubeClient client = child.client()) {
            awaitLeader(child, client);
            child.pause();
            assertThat(child.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("exited after the pause:%n%s", child.output()).isTrue();
            assertThat(child.process().exitValue()).isEqualTo(1);
            assertThat(child.output()).contains("kardia up: leadership of lease").contains("was lost");
        }
    }

    @Test
    void withCampaignAPausedProcessCampaignsAgainWinsAndActsOnAScale(@TempDir Path tmp) throws Exception {
        try (Child child = Child.up(tmp, "--on-leader-loss", "campaign"); KubeClient client = child.client()) {
            awaitLeader(child, client);
            var deployments = client.resources(Deployment.class);
            deployments.create(Json.fromString("""
                    {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},
                     "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
                      "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx"}]}}}}
                    """, Deployment.class));
            await().atMost(WAIT).until(() -> pods(client) == 1);

            child.pause();
            await().atMost(WAIT).until(() -> child.output().contains("campaigning again") || !child.process().isAlive());
            assertThat(child.process().isAlive()).as("still running after the pause:%n%s", child.output()).isTrue();

            // kubectl scale --replicas=3: no precondition, so the controller's status write after
            // its resume (racing this one) cannot make it conflict
            deployments.patch("default", "web", PatchType.MERGE, "{\"spec\":{\"replicas\":3}}");
            await().atMost(WAIT).until(() -> pods(client) == 3);
            assertThat(child.output()).contains("leading again");
        }
    }

    private static int pods(KubeClient client) {
        return client.resources(Pod.class).list("default", ListOptions.all().withLabelSelector("app=web")).items().size();
    }
}
