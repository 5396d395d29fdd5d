package io.kardia.benchmarks.informer;

import io.kardia.core.client.KubeClient;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.PartialObjectMetadata;
import io.kardia.core.model.Pod;
import io.kardia.core.model.ResourceTypes;
import io.kardia.core.selector.Selector;
import io.kardia.informer.InformerOptions;
import io.kardia.informer.ReflectorOptions;
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
    private final boolean watchList;
    private final boolean metadataOnly;
    private SharedInformer<? extends KubeObject> informer;

    /** What the transform removes or shares before caching. */
    enum Slimming { NONE, INTERN_LABELS_AND_ANNOTATIONS, DROP_MANAGED_FIELDS, BOTH }

    /** A full-object informer that syncs by LIST (the rows measured before WatchList existed). */
    KardiaSubject(String name, KubeClient client, Slimming slimming) {
        this(name, client, slimming, false, false);
    }

    /**
     * @param watchList    sync by streaming list (the default since #20) instead of LIST
     * @param metadataOnly cache PartialObjectMetadata ({@code SharedInformerFactory.metadataInformer}), managedFields dropped
     */
    KardiaSubject(String name, KubeClient client, Slimming slimming, boolean watchList, boolean metadataOnly) {
        this.name = name;
        this.client = client;
        this.slimming = slimming;
        this.watchList = watchList;
        this.metadataOnly = metadataOnly;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long startAndSync() throws Exception {
        InformerOptions options = InformerOptions.defaults()
                .withReflector(ReflectorOptions.defaults().withWatchList(watchList));
        if (metadataOnly) {
            SharedInformer<PartialObjectMetadata> partial = new SharedInformer<>(
                    client.resources(ResourceTypes.metadataOf(ResourceTypes.of(Pod.class))), null, Selector.EVERYTHING, options);
            partial.setTransform(Transforms.metadataOnly()); // as SharedInformerFactory.metadataInformer
            informer = partial;
        } else {
            SharedInformer<Pod> pods = new SharedInformer<>(client.resources(ResourceTypes.of(Pod.class)), null,
                    Selector.EVERYTHING, options);
            StringInterner interner = new StringInterner(100_000);
            switch (slimming) {
                case NONE -> { }
                case INTERN_LABELS_AND_ANNOTATIONS -> pods.setTransform(Transforms.internLabelsAndAnnotations(interner));
                case DROP_MANAGED_FIELDS -> pods.setTransform(Transforms.dropManagedFields());
                case BOTH -> pods.setTransform(Transforms.chain(Transforms.dropManagedFields(),
                        Transforms.internLabelsAndAnnotations(interner)));
            }
            informer = pods;
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
        attach(informer, recorder);
    }

    private static <T extends KubeObject> void attach(SharedInformer<T> informer, LatencyRecorder recorder) {
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onUpdate(T oldObj, T newObj) {
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
