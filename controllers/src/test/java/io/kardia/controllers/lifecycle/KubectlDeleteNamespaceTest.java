package io.kardia.controllers.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.controllers.ControllerManager;
import io.kardia.controllers.node.NodeLifecycleOptions;
import io.kardia.controllers.scheduler.SchedulerOptions;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.Pod;
import io.kardia.runtime.Manager;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import io.kardia.store.http.ApiServer;
import io.kardia.store.testkit.KubectlHarness;
import io.kardia.store.testkit.KubectlHarness.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16's done-when, driven by the real {@code kubectl}: against a reference store without its
 * in-store lifecycle (as any API server without a namespace controller), {@code kubectl delete
 * namespace --wait} completes once {@code kardia controllers}' lifecycle controllers run, and
 * times out with the namespace left Terminating while they do not. The controllers reach the store
 * over plain HTTP, as a separate process would; kubectl goes over TLS with its kubeconfig.
 * Skipped when kubectl is not on the PATH.
 */
class KubectlDeleteNamespaceTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** Longer than the 120s kubectl is given to wait, so kubectl's own timeout is what a slow deletion hits. */
    private static final Duration KUBECTL_BOUND = Duration.ofSeconds(180);
    private static final ExecutorService IO = Executors.newVirtualThreadPerTaskExecutor();

    @TempDir
    Path dir;
    private ReferenceStore store;
    private KubectlHarness kubectl;
    private ApiServer controllersServer;
    private KubeClient controllersClient;
    private Manager controllers;

    @BeforeEach
    void startStoreWithoutInStoreLifecycle() throws Exception {
        store = ReferenceStore.inMemory(StoreOptions.defaults().withInStoreLifecycle(false));
        kubectl = KubectlHarness.start(store, dir, "kubectl delete namespace test");
        String token = UUID.randomUUID().toString();
        controllersServer = ApiServer.start(store, "127.0.0.1", 0, token, null);
        controllersClient = HttpKubeClient.create(
                ClientConfig.builder(controllersServer.url()).bearerToken(token).noRateLimit().build());
    }

    @AfterEach
    void stop() {
        if (controllers != null) {
            controllers.close();
        }
        if (controllersClient != null) {
            controllersClient.close();
        }
        if (controllersServer != null) {
            controllersServer.close();
        }
        if (kubectl != null) {
            kubectl.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private void startControllers() throws InterruptedException {
        controllers = ControllerManager.start(controllersClient, NodeLifecycleOptions.defaults(),
                SchedulerOptions.defaults(), false);
    }

    /**
     * Namespace shop, then a ConfigMap and a Pod in it, all by {@code kubectl apply}.
     */
    private void createShopWithContent() throws IOException, InterruptedException {
        Path namespace = dir.resolve("namespace.yaml");
        Files.writeString(namespace, """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: shop
                """);
        kubectl.run("apply", "-f", namespace.toString());
        Path manifest = dir.resolve("content.yaml");
        Files.writeString(manifest, """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                data:
                  color: blue
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                spec:
                  containers:
                  - name: nginx
                    image: nginx:1.27
                """);
        kubectl.run("apply", "-n", "shop", "-f", manifest.toString());
        assertThat(kubectl.run("get", "configmap/settings", "pod/web", "-n", "shop", "-o", "name").stdout())
                .contains("configmap/settings", "pod/web");
    }

    @Test
    void deleteNamespaceWithWaitCompletesWhenTheControllersRun() throws Exception {
        startControllers();
        createShopWithContent();

        Result deleted = runBounded(List.of(0), "delete", "namespace", "shop", "--wait=true", "--timeout=120s");
        assertThat(deleted.stdout()).contains("namespace \"shop\" deleted");

        Result get = kubectl.run(List.of(1), "get", "namespace", "shop");
        assertThat(get.stderr()).contains("NotFound").contains("namespaces \"shop\" not found");
        assertThat(store.client().resources(ConfigMap.class).list("shop").items()).isEmpty();
        assertThat(store.client().resources(Pod.class).list("shop").items()).isEmpty();
    }

    @Test
    void withoutTheControllersDeleteNamespaceTimesOutAndTheNamespaceStaysTerminating() throws Exception {
        createShopWithContent();

        Result timedOut = runBounded(List.of(1), "delete", "namespace", "shop", "--wait=true", "--timeout=5s");
        assertThat(timedOut.stderr()).contains("timed out waiting");
        assertThat(kubectl.run("get", "namespace", "shop", "-o", "jsonpath={.status.phase}").stdout())
                .isEqualTo("Terminating");
        assertThat(kubectl.run("get", "configmap/settings", "pod/web", "-n", "shop", "-o", "name").stdout())
                .contains("configmap/settings", "pod/web");

        // The same namespace, left mid-deletion, completes once the controllers come up.
        startControllers();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
                .until(() -> store.client().resources(Namespace.class).find(null, "shop").isEmpty());
        assertThat(kubectl.run(List.of(1), "get", "namespace", "shop").stderr()).contains("NotFound");
        assertThat(store.client().resources(ConfigMap.class).list("shop").items()).isEmpty();
        assertThat(store.client().resources(Pod.class).list("shop").items()).isEmpty();
    }

    /**
     * Runs kubectl asserting its exit code, bounded by {@link #KUBECTL_BOUND} rather than the
     * harness' shorter per-command bound, since {@code --timeout=120s} may legitimately use it all.
     */
    private Result runBounded(List<Integer> exits, String... args) throws IOException, InterruptedException {
        Process p = kubectl.start(args);
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> KubectlHarness.readAll(p.getErrorStream()), IO);
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> KubectlHarness.readAll(p.getInputStream()), IO);
        if (!p.waitFor(KUBECTL_BOUND.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish within " + KUBECTL_BOUND);
        }
        Result r = new Result(p.exitValue(), out.join(), err.join());
        assertThat(exits).as("exit of kubectl %s\nstdout: %s\nstderr: %s", String.join(" ", args), r.stdout(), r.stderr())
                .contains(r.exit());
        return r;
    }
}
