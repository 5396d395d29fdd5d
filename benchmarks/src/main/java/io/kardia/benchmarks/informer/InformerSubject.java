package io.kardia.benchmarks.informer;

/** One informer implementation under measurement, started fresh for each measurement. */
interface InformerSubject {
    String name();

    /** Starts a new informer over every pod and waits until it has synced; returns the nanoseconds that took. */
    long startAndSync() throws Exception;

    /** Number of objects in the running informer's cache. */
    int cached();

    /** Routes the running informer's updates to {@code recorder}. */
    void attach(LatencyRecorder recorder);

    /** Stops the running informer and drops it. */
    void stop();
}
