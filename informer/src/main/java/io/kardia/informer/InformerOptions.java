package io.kardia.informer;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Settings shared by the informers of a {@link SharedInformerFactory}.
 *
 * @param reflector list/watch tuning
 * @param registry  where metrics go; {@link InformerMetrics#noopRegistry()} records nothing
 */
public record InformerOptions(ReflectorOptions reflector, MeterRegistry registry) {

    public static InformerOptions defaults() {
        return new InformerOptions(ReflectorOptions.defaults(), InformerMetrics.noopRegistry());
    }

    public InformerOptions {
        reflector = reflector == null ? ReflectorOptions.defaults() : reflector;
        registry = registry == null ? InformerMetrics.noopRegistry() : registry;
    }

    public InformerOptions withReflector(ReflectorOptions options) {
        return new InformerOptions(options, registry);
    }

    public InformerOptions withRegistry(MeterRegistry r) {
        return new InformerOptions(reflector, r);
    }
}
