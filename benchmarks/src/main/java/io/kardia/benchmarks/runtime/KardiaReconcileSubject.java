package io.kardia.benchmarks.runtime;

import io.kardia.core.client.KubeClient;
import io.kardia.core.model.ConfigMap;
import io.kardia.runtime.Controller;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Request;
import io.kardia.runtime.Result;
import java.time.Duration;
import java.util.List;

/** Kardia's controller-runtime: a manager with one controller whose typed reconciler does nothing. */
final class KardiaReconcileSubject implements ReconcileSubject {
    private final KubeClient client;
    private final String namespace;
    private Manager manager;

    KardiaReconcileSubject(KubeClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    @Override
    public String name() {
        return "Kardia controller-runtime";
    }

    @Override
    public void start(int workers, ReconcileProbe probe) throws Exception {
        manager = Manager.builder(client).namespace(namespace).cacheSyncTimeout(Duration.ofMinutes(2)).build();
        manager.newController().forKind(ConfigMap.class).named("noop").maxConcurrentReconciles(workers)
                .complete(cm -> {
                    probe.reconciled(cm.key(), cm.metadata().annotations().get(ReconcileProbe.SENT));
                    return Result.done();
                });
        manager.start();
    }

    @Override
    public boolean requeueAll(List<String> keys) {
        Controller c = manager.controllers().getFirst();
        for (String k : keys) {
            c.enqueue(Request.fromKey(k));
        }
        return true;
    }

    @Override
    public void stop() {
        if (manager != null) {
            manager.close();
            manager = null;
        }
    }
}
