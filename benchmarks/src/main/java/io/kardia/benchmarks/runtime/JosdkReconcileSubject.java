package io.kardia.benchmarks.runtime;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.List;

/** The Java Operator SDK (on fabric8's JDK HTTP client): one controller with a no-op reconciler. */
final class JosdkReconcileSubject implements ReconcileSubject {
    private final KubernetesClient client;
    private final String namespace;
    private Operator operator;

    JosdkReconcileSubject(String url, String token, String namespace) {
        this.client = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(url).withOauthToken(token)
                .withTrustCerts(true).withNamespace(namespace)
                .withOnlyHttpWatches(true) // the reference store speaks no WebSocket: no failed upgrade first
                .build()).build();
        this.namespace = namespace;
    }

    /** The no-op reconciler. */
    @ControllerConfiguration(name = "noop", generationAwareEventProcessing = false)
    static final class Noop implements Reconciler<ConfigMap> {
        private final ReconcileProbe probe;

        Noop(ReconcileProbe probe) {
            this.probe = probe;
        }

        @Override
        public UpdateControl<ConfigMap> reconcile(ConfigMap cm, Context<ConfigMap> context) {
            var m = cm.getMetadata();
            probe.reconciled(m.getNamespace() + "/" + m.getName(),
                    m.getAnnotations() == null ? null : m.getAnnotations().get(ReconcileProbe.SENT));
            return UpdateControl.noUpdate();
        }
    }

    @Override
    public String name() {
        return "Java Operator SDK 5.2.3";
    }

    @Override
    public void start(int workers, ReconcileProbe probe) {
        operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false)
                .withConcurrentReconciliationThreads(workers).withStopOnInformerErrorDuringStartup(true));
        operator.register(new Noop(probe), o -> o.settingNamespaces(namespace));
        operator.start();
    }

    @Override
    public boolean requeueAll(List<String> keys) {
        return false; // JOSDK has no public API to trigger a reconcile without a write
    }

    @Override
    public void stop() {
        if (operator != null) {
            operator.stop();
            operator = null;
        }
    }

    @Override
    public void close() {
        stop();
        client.close();
    }
}
