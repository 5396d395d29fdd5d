package io.kardia.informer;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Settings shared by the informers of a {@link SharedInformerFactory}.
 *
 * @param reflector          list/watch tuning
 * @param registry           where metrics go; {@link InformerMetrics#noopRegistry()} records nothing
 * @param dropManagedFields  whether {@code metadata.managedFields} is dropped before an object is
 *                           cached ({@link Transforms#dropManagedFields()}, before any transform of
 *                           the informer's own). Off by default, as in client-go; a controller
 *                           {@code Manager} turns it on (see its builder's {@code keepManagedFields})
 */
public record InformerOptions(ReflectorOptions reflector, MeterRegistry registry, boolean dropManagedFields) {

    public static InformerOptions defaults() {
        return new InformerOptions(ReflectorOptions.defaults(), InformerMetrics.noopRegistry(), false);
    }

    public InformerOptions {
        reflector = reflector == null ? ReflectorOptions.defaults() : reflector;
        registry = registry == null ? InformerMetrics.noopRegistry() : registry;
    }

    /** Options that keep managedFields. */
    public InformerOptions(ReflectorOptions reflector, MeterRegistry registry) {
        this(reflector, registry, false);
    }

    public InformerOptions withReflector(ReflectorOptions options) {
        return new InformerOptions(options, registry, dropManagedFields);
    }

    public InformerOptions withRegistry(MeterRegistry r) {
        return new InformerOptions(reflector, r, dropManagedFields);
    }

    /** Whether every informer drops {@code metadata.managedFields} before caching (see the record's docs). */
    public InformerOptions withManagedFieldsDropped(boolean drop) {
        return new InformerOptions(reflector, registry, drop);
    }
}
