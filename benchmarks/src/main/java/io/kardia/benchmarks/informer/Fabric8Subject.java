package io.kardia.benchmarks.informer;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** fabric8's {@link SharedIndexInformer} (JDK HTTP client), listing in pages of 500 like Kardia's. */
final class Fabric8Subject implements InformerSubject, AutoCloseable {
    private SharedIndexInformer<Pod> informer;

    private final Config config;
    private KubernetesClient client;

    Fabric8Subject(String url, String token) {
        config = new ConfigBuilder().withMasterUrl(url).withOauthToken(token).withTrustCerts(true)
                .withRequestTimeout(300_000)
                // the reference store serves watches as HTTP streams (as Kardia uses them), not WebSockets
                .withOnlyHttpWatches(true).build();
    }

    @Override
    public String name() {
        return "fabric8 " + io.fabric8.kubernetes.client.Version.clientVersion() + " SharedIndexInformer (HTTP)";
    }

    @Override
    public long startAndSync() throws Exception {
        // A fresh client per informer (created before the clock starts): with one client reused,
        // fabric8's sync slowed from ~300 ms to over 1 s after a few informers had come and gone.
        client = new KubernetesClientBuilder().withConfig(config).build();
        informer = client.pods().inAnyNamespace().withLimit(500L).runnableInformer(0);
        long t0 = System.nanoTime();
        informer.start().toCompletableFuture().get(5, TimeUnit.MINUTES);
        return System.nanoTime() - t0;
    }

    @Override
    public int cached() {
        return informer.getStore().list().size();
    }

    @Override
    public void attach(LatencyRecorder recorder) {
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod obj) {
            }

            @Override
            public void onUpdate(Pod oldObj, Pod newObj) {
                recorder.arrived(annotation(newObj), annotation(oldObj));
            }

            @Override
            public void onDelete(Pod obj, boolean deletedFinalStateUnknown) {
            }
        });
    }

    private static String annotation(Pod p) {
        Map<String, String> a = p.getMetadata().getAnnotations();
        return a == null ? null : a.get(LatencyRecorder.ANNOTATION);
    }

    @Override
    public void stop() {
        informer.stop();
        informer = null;
        client.close();
        client = null;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
