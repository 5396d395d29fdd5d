package io.kardia.controllers.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.model.Deployment;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.Pod;
import io.kardia.core.model.ReplicaSet;
import io.kardia.runtime.Manager;
import io.kardia.runtime.testkit.Eventually;
import io.kardia.store.ReferenceStore;
import io.kardia.store.testkit.KubectlHarness;
import io.kardia.store.testkit.KubectlHarness.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    @TempDir
    Path dir;
    private ReferenceStore store;
    private KubectlHarness kubectl;
    private Manager manager;

    @BeforeEach
    void start() throws Exception {
        store = ReferenceStore.inMemory();
        kubectl = KubectlHarness.start(store, dir, "kubectl-driven rollout test");
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
        if (kubectl != null) {
            kubectl.close();
        }
        if (store != null) {
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
        assertThat(run("rollout", "status", "deployment/web", "-n", "demo", "--timeout=60s").stdout())
                .contains("successfully rolled out");

        run("set", "image", "deployment/web", "nginx=nginx:1.27", "-n", "demo");
        assertThat(run("rollout", "status", "deployment/web", "-n", "demo", "--timeout=60s").stdout())
                .contains("successfully rolled out");
        Eventually.eventually("3 nginx:1.27 pods", this::pods,
                l -> l.size() == 3 && l.stream().allMatch(p -> "nginx:1.27".equals(image(p))));
        String history = run("rollout", "history", "deployment/web", "-n", "demo").stdout();
        assertThat(history).contains("1", "2");

        run("rollout", "undo", "deployment/web", "-n", "demo");
        assertThat(run("rollout", "status", "deployment/web", "-n", "demo", "--timeout=60s").stdout())
                .contains("successfully rolled out");
        Eventually.eventually("3 nginx:1.26 pods again", this::pods,
                l -> l.size() == 3 && l.stream().allMatch(p -> "nginx:1.26".equals(image(p))));
        Deployment d = store.client().resources(Deployment.class).get("demo", "web");
        assertThat(d.metadata().annotations()).containsEntry(DeploymentController.REVISION, "3");

        run("delete", "deployment", "web", "-n", "demo", "--timeout=60s");
        Eventually.eventually("nothing left", () -> pods().size()
                + store.client().resources(ReplicaSet.class).list("demo").items().size(), n -> n == 0);
    }

    private Result run(String... args) throws IOException, InterruptedException {
        return kubectl.run(args);
    }
}
