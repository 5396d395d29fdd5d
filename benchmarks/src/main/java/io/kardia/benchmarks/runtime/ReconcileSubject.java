package io.kardia.benchmarks.runtime;

/** A controller framework running a no-op reconciler over the benchmark namespace. */
interface ReconcileSubject extends AutoCloseable {

    String name();

    /** Starts reconciling every ConfigMap of the namespace with {@code workers} concurrent reconciles. */
    void start(int workers, ReconcileProbe probe) throws Exception;

    /** Re-reconciles every object once without any write, if the framework can be told to (else false). */
    boolean requeueAll(java.util.List<String> keys);

    void stop() throws Exception;

    @Override
    default void close() throws Exception {
        stop();
    }
}
