package io.kardia.benchmarks.runtime;

import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.Lease;
import io.kardia.core.model.LeaseSpec;
import io.kardia.core.model.ObjectMeta;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Result;
import io.kardia.runtime.leader.LeaderElectionConfig;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Leader takeover with {@code objects} cached ConfigMaps (a main, not JMH): a leader and a standby
 * manager (in process, one store) each run a controller over ConfigMaps; the leader closes
 * (releasing its lease) and the standby's first reconcile is timed from the moment it acquired
 * the lease (the Lease's {@code acquireTime}, which the standby writes from this JVM's clock in
 * microseconds: the "within one second of acquiring the lease") and from the moment the
 * leader began to close (which adds the leader's drain and release and the standby's next try),
 * with a warm standby (informers synced before it leads, the default) and a cold one.
 *
 * <p>Arguments: {@code objects=50000 runs=3}.
 */
public final class TakeoverBenchmark {
    private TakeoverBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int objects = 50_000;
        int runs = 3;
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "objects" -> objects = Integer.parseInt(kv[1]);
                case "runs" -> runs = Integer.parseInt(kv[1]);
                default -> throw new IllegalArgumentException("unknown argument " + a + "; use objects=, runs=");
            }
        }
        List<String> report = new ArrayList<>();
        try (ReferenceStore store = ReferenceStore.inMemory(StoreOptions.defaults())) {
            ResourceClient<ConfigMap> cms = store.client().resources(ConfigMap.class);
            for (int i = 0; i < objects; i++) {
                cms.create(ConfigMap.of(ObjectMeta.builder().namespace("default").name("cm-" + i).build(), Map.of("k", "v")));
            }
            int round = 0;
            for (boolean warm : new boolean[] {true, false, true, false}) {
                round++;
                for (int r = 0; r < runs; r++) {
                    Takeover t = takeover(store, warm, "lock-" + round + "-" + r);
                    report.add(String.format(Locale.ROOT, "%s standby, %,d ConfigMaps: lease acquired -> first reconcile %.1f ms;"
                                    + " leader starts closing -> first reconcile %.0f ms (the leader's close took %.0f ms) (load %.1f)",
                            warm ? "warm" : "cold", objects, t.acquiredToReconcileMs(), t.closeToReconcileMs(), t.leaderCloseMs(),
                            java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
                    System.out.println(report.getLast());
                }
            }
        }
        System.out.println();
        report.forEach(System.out::println);
        System.exit(0);
    }

    /** One takeover's times, in milliseconds. */
    private record Takeover(double acquiredToReconcileMs, double closeToReconcileMs, double leaderCloseMs) {
    }

    private static Takeover takeover(ReferenceStore store, boolean warm, String lock) throws Exception {
        LeaderElectionConfig election = LeaderElectionConfig.of("default", lock)
                .withTimings(Duration.ofSeconds(60), Duration.ofSeconds(50), Duration.ofMillis(50));
        CountDownLatch leaderReconciled = new CountDownLatch(1);
        Manager leader = Manager.builder(store.client()).leaderElection(election.withIdentity("leader")).build();
        leader.newController().forKind(ConfigMap.class).complete(cm -> {
            leaderReconciled.countDown();
            return Result.done();
        });
        leader.start();
        if (!leaderReconciled.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the leader never reconciled");
        }
        CountDownLatch standbyReconciled = new CountDownLatch(1);
        AtomicReference<Instant> firstReconcile = new AtomicReference<>();
        Manager standby = Manager.builder(store.client()).leaderElection(election.withIdentity("standby"))
                .warmStandby(warm).build();
        standby.newController().forKind(ConfigMap.class).complete(cm -> {
            // the wall clock, to compare with the Lease's acquireTime (micro-seconds, same JVM and clock)
            firstReconcile.compareAndSet(null, Instant.now());
            standbyReconciled.countDown();
            return Result.done();
        });
        standby.start();
        if (warm) {
            // the standby's caches are synced before the takeover: that is what warm means
            if (!standby.informers().waitForCacheSync(Duration.ofMinutes(5))) {
                throw new IllegalStateException("the warm standby never synced");
            }
        }
        long t0 = System.nanoTime();
        leader.close();
        double leaderCloseMs = (System.nanoTime() - t0) / 1e6;
        if (!standbyReconciled.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the standby never reconciled");
        }
        double closeToReconcileMs = (System.nanoTime() - t0) / 1e6;
        LeaseSpec lease = store.client().resources(Lease.class).get("default", lock).spec();
        if (!"standby".equals(lease.holderIdentity())) {
            throw new IllegalStateException("the lease is held by " + lease.holderIdentity() + ", not the standby");
        }
        double acquiredToReconcileMs = Duration.between(lease.acquireTime(), firstReconcile.get()).toNanos() / 1e6;
        standby.close();
        return new Takeover(acquiredToReconcileMs, closeToReconcileMs, leaderCloseMs);
    }
}
