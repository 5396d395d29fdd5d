package io.kardia.benchmarks.informer;

import io.kardia.core.client.KubeClient;
import io.kardia.core.model.Pod;
import io.kardia.core.model.ResourceTypes;
import io.kardia.core.selector.Selector;
import io.kardia.informer.InformerOptions;
import io.kardia.informer.ResourceEventHandler;
import io.kardia.informer.SharedInformer;
import io.kardia.informer.StringInterner;
import io.kardia.informer.Transforms;
import java.time.Duration;

/** Kardia's {@link SharedInformer} over a given client (in-process or HTTP). */
final class KardiaSubject implements InformerSubject {
    private final String name;
    private final KubeClient client;
    private final Slimming slimming;
    private SharedInformer<Pod> informer;

    /** What the transform removes or shares before caching. */
    enum Slimming { NONE, INTERN_LABELS_AND_ANNOTATIONS, DROP_MANAGED_FIELDS, BOTH }

    KardiaSubject(String name, KubeClient client, Slimming slimming) {
        this.name = name;
        this.client = client;
        this.slimming = slimming;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long startAndSync() throws Exception {
        informer = new SharedInformer<>(client.resources(ResourceTypes.of(Pod.class)), null, Selector.EVERYTHING,
                InformerOptions.defaults());
        StringInterner interner = new StringInterner(100_000);
        switch (slimming) {
            case NONE -> { }
            case INTERN_LABELS_AND_ANNOTATIONS -> informer.setTransform(Transforms.internLabelsAndAnnotations(interner));
            case DROP_MANAGED_FIELDS -> informer.setTransform(Transforms.dropManagedFields());
            case BOTH -> informer.setTransform(Transforms.chain(Transforms.dropManagedFields(),
                    Transforms.internLabelsAndAnnotations(interner)));
        }
        long t0 = System.nanoTime();
        informer.start();
        informer.awaitCacheSync(Duration.ofMinutes(5));
        return System.nanoTime() - t0;
    }

    @Override
    public int cached() {
        return informer.indexer().size();
    }

    @Override
    public void attach(LatencyRecorder recorder) {
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onUpdate(Pod oldObj, Pod newObj) {
                recorder.arrived(newObj.metadata().annotations().get(LatencyRecorder.ANNOTATION),
                        oldObj.metadata().annotations().get(LatencyRecorder.ANNOTATION));
            }
        });
    }

    @Override
    public void stop() {
        informer.stop();
        informer = null;
    }
}
