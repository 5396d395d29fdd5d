package io.kardia.operators.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kardia.core.model.Deployment;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.Pod;
import io.kardia.core.model.ReplicaSet;
import io.kardia.runtime.Manager;
import io.kardia.runtime.testkit.Eventually;
import io.kardia.store.ReferenceStore;
import io.kardia.store.http.ApiServer;
import io.kardia.store.http.BearerTokenAuthenticator;
import io.kardia.store.http.KubeconfigWriter;
import io.kardia.store.http.TlsMaterial;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workload controllers driven by the real {@code kubectl} over HTTPS, as the README's
 * walk-through does: apply, rollout status, set image, rollout history/undo, delete. Skipped when
 * kubectl is not on the PATH.
 */
class KubectlRolloutTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final ExecutorService IO = Executors.newVirtualThreadPerTaskExecutor();

    @TempDir
    Path dir;
    private String kubectl;
    private ReferenceStore store;
    private ApiServer server;
    private Manager manager;
    private Path kubeconfig;

    @BeforeEach
    void start() throws Exception {
        kubectl = findOnPath("kubectl");
        assumeTrue(kubectl != null, "kubectl is not on the PATH: kubectl-driven rollout test skipped");
        store = ReferenceStore.inMemory();
        TlsMaterial tls = TlsMaterial.ensure(dir.resolve("tls"));
        String token = BearerTokenAuthenticator.newToken();
        server = ApiServer.start(store, "127.0.0.1", 0, token, tls.sslContext());
        kubeconfig = dir.resolve("kubeconfig");
        KubeconfigWriter.write(kubeconfig, server.url(), token, tls.caPem());
        store.client().resources(Namespace.class).create(Namespace.named("demo"));
        manager = Manager.builder(store.client()).cacheSyncTimeout(Duration.ofSeconds(10))
                .gracefulShutdownTimeout(Duration.ofSeconds(2)).build();
        WorkloadControllers.register(manager);
        TestKubelet.register(manager, store.client().resources(Pod.class));
        manager.start();
    }

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.close();
        }
        if (server != null) {
            server.close();
            store.close();
        }
    }

    private static String deploymentYaml(String image) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: 3
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                      - name: nginx
                        image: %s
                """.formatted(image);
    }

    private List<Pod> pods() {
        return store.client().resources(Pod.class).list("demo").items();
    }

    private static String image(Pod p) {
        return p.spec().containers().get(0).image();
    }

    @Test
    void applyRolloutSetImageUndoAndDelete() throws Exception {
        Path manifest = dir.resolve("web.yaml");
        Files.writeString(manifest, deploymentYaml("nginx:1.26"));
        run("apply", "-n", "demo", "-f", manifest.toString());
        assertThat(run("rollout", "status", "deployment/web", "-n", "demo", "--timeout=60s").stdout)
                .contains("successfully rolled out");

        run("set", "image", "deployment/web", "nginx=nginx:1.27", "-n", "demo");
        assertThat(run("rollout", "status", "deployment/web", "-n", "demo", "--timeout=60s").stdout)
                .contains("successfully rolled out");
        Eventually.eventually("3 nginx:1.27 pods", this::pods,
                l -> l.size() == 3 && l.stream().allMatch(p -> "nginx:1.27".equals(image(p))));
        String history = run("rollout", "history", "deployment/web", "-n", "demo").stdout;
        assertThat(history).contains("1", "2");

        run("rollout", "undo", "deployment/web", "-n", "demo");
        assertThat(run("rollout", "status", "deployment/web", "-n", "demo", "--timeout=60s").stdout)
                .contains("successfully rolled out");
        Eventually.eventually("3 nginx:1.26 pods again", this::pods,
                l -> l.size() == 3 && l.stream().allMatch(p -> "nginx:1.26".equals(image(p))));
        Deployment d = store.client().resources(Deployment.class).get("demo", "web");
        assertThat(d.metadata().annotations()).containsEntry(DeploymentController.REVISION, "3");

        run("delete", "deployment", "web", "-n", "demo", "--timeout=60s");
        Eventually.eventually("nothing left", () -> pods().size()
                + store.client().resources(ReplicaSet.class).list("demo").items().size(), n -> n == 0);
    }

    record Result(int exit, String stdout, String stderr) {
    }

    private Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(kubectl);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().put("HOME", dir.toString());
        Process p = pb.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()), IO);
        String out = readAll(p.getInputStream());
        boolean done = p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        Result r = new Result(done ? p.exitValue() : -1, out, err.join());
        assertThat(r.exit).as("exit code of kubectl %s\nstdout: %s\nstderr: %s", String.join(" ", args), r.stdout, r.stderr)
                .isZero();
        return r;
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(File.pathSeparator)) {
            Path candidate = Path.of(d, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
