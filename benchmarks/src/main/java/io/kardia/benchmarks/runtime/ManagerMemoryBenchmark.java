package io.kardia.benchmarks.runtime;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Secret;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Result;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import io.kardia.store.http.ApiServer;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Heap retained by a running manager with 3 controllers (two over ConfigMaps, sharing one
 * informer, one over Secrets) and {@code objects} cached objects, over HTTP: used heap after GC
 * once every object was reconciled, minus the same before the manager started (the store, which
 * lives in the same JVM, is in both). Arguments: {@code objects=50000}.
 */
public final class ManagerMemoryBenchmark {
    private static final String TOKEN = "memory-benchmark-token";

    private ManagerMemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int objects = 50_000;
        for (String a : args) {
            String[] kv = a.split("=", 2);
            if (!kv[0].equals("objects")) {
                throw new IllegalArgumentException("unknown argument " + a + "; use objects=");
            }
            objects = Integer.parseInt(kv[1]);
        }
        int configMaps = objects / 2;
        int secrets = objects - configMaps;
        try (ReferenceStore store = ReferenceStore.inMemory(StoreOptions.defaults());
             ApiServer server = ApiServer.start(store, "127.0.0.1", 0, TOKEN, null);
             KubeClient client = HttpKubeClient.create(ClientConfig.builder(server.url()).bearerToken(TOKEN)
                     .noRateLimit().build())) {
            KubeClient local = store.client();
            local.resources(Namespace.class).create(Namespace.named("mem"));
            ResourceClient<ConfigMap> cms = local.resources(ConfigMap.class);
            ResourceClient<Secret> sec = local.resources(Secret.class);
            for (int i = 0; i < configMaps; i++) {
                cms.create(ConfigMap.of(ObjectMeta.builder().namespace("mem").name("cm-" + i).label("app", "a" + i % 50)
                        .build(), Map.of("key", "value-" + i)));
            }
            for (int i = 0; i < secrets; i++) {
                sec.create(Secret.ofStrings(ObjectMeta.builder().namespace("mem").name("s-" + i).label("app", "a" + i % 50)
                        .build(), Map.of("password", "secret-" + i)));
            }
            long before = usedHeapAfterGc();
            AtomicInteger reconciles = new AtomicInteger();
            try (Manager manager = Manager.builder(client).build()) {
                manager.newController().forKind(ConfigMap.class).named("cm-a").complete(cm -> count(reconciles));
                manager.newController().forKind(ConfigMap.class).named("cm-b").complete(cm -> count(reconciles));
                manager.newController().forKind(Secret.class).named("secrets").complete(s -> count(reconciles));
                manager.start();
                int expected = 2 * configMaps + secrets;
                while (reconciles.get() < expected) {
                    LockSupport.parkNanos(1_000_000L); // waiting for the initial reconciles
                }
                long after = usedHeapAfterGc();
                System.out.printf(Locale.ROOT, "manager with 3 controllers, %,d cached objects (%,d ConfigMaps, %,d Secrets): "
                        + "%,.1f MB retained, %,.0f bytes per cached object%n", objects, configMaps, secrets,
                        (after - before) / 1e6, (after - before) / (double) objects);
            }
        }
        System.exit(0);
    }

    private static Result count(AtomicInteger reconciles) {
        reconciles.incrementAndGet();
        return Result.done();
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 6; i++) {
            System.gc();
            Thread.sleep(150); // lets concurrent GC phases finish before reading; not synchronisation
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (Math.abs(last - used) < 256 * 1024) {
                return used;
            }
            last = used;
        }
        return last;
    }
}
