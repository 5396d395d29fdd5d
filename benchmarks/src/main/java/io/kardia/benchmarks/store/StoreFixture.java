package io.kardia.benchmarks.store;

import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.ObjectMeta;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import io.kardia.store.journal.FileJournal;
import io.kardia.store.journal.Journal;
import java.nio.file.Path;
import java.util.Map;

/** A reference store for a benchmark: durable in a temporary directory, or in memory. */
final class StoreFixture implements AutoCloseable {
    final ReferenceStore store;
    final Path dir;

    private StoreFixture(ReferenceStore store, Path dir) {
        this.store = store;
        this.dir = dir;
    }

    /** {@code mode} is "file" (durable, fsync group commit) or "memory". */
    static StoreFixture open(String mode, StoreOptions options) {
        if (mode.equals("file")) {
            Path dir = BenchmarkDirs.create("kardia-store-bench");
            return new StoreFixture(ReferenceStore.open(options, FileJournal.open(dir)), dir);
        }
        return new StoreFixture(ReferenceStore.open(options, Journal.inMemory()), null);
    }

    /** A ConfigMap of roughly {@code bytes} bytes of JSON. */
    static ConfigMap configMap(String name, long version, int bytes) {
        StringBuilder payload = new StringBuilder(bytes);
        while (payload.length() < bytes - 150) {
            payload.append("payload-").append(version).append(';');
        }
        return ConfigMap.of(ObjectMeta.of("default", name), Map.of("version", Long.toString(version), "payload", payload.toString()));
    }

    @Override
    public void close() {
        store.close();
        BenchmarkDirs.delete(dir);
    }
}
