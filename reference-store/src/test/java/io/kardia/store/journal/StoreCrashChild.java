package io.kardia.store.journal;

import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.ObjectMeta;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * Run in a separate JVM by {@link StoreCrashTest}, which kills it with SIGKILL: creates and
 * updates ConfigMaps through the durable store's in-process client from several threads, and
 * prints {@code ACK <name> <resourceVersion> <seq>} for each acknowledged write. Each thread owns
 * its objects, so it always updates from the version it last wrote.
 *
 * <p>Arguments: data directory, seed, threads.
 */
public final class StoreCrashChild {
    static final String NAMESPACE = "default";
    static final int OBJECTS_PER_THREAD = 25;

    private StoreCrashChild() {
    }

    /** The content written at {@code seq}: lets the parent check every byte that comes back. */
    static Map<String, String> data(String name, long seq) {
        return Map.of("seq", Long.toString(seq), "payload", (name + ":" + seq + ";").repeat(20 + (int) (seq % 50)));
    }

    static String name(int thread, int index) {
        return "crash-t" + thread + "-" + index;
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        int threads = Integer.parseInt(args[2]);
        PrintStream out = System.out;

        FileJournal journal = FileJournal.open(dir, FileJournal.Options.defaults().withSegmentBytes(256 * 1024));
        ReferenceStore store = ReferenceStore.open(StoreOptions.defaults().withSnapshotEveryWrites(500), journal);
        ResourceClient<ConfigMap> configMaps = store.client().resources(ConfigMap.class);
        synchronized (out) {
            out.println("READY " + store.currentRevision());
            out.flush();
        }
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread.ofPlatform().name("writer-" + t).start(() -> {
                Random random = new Random(seed * 31 + thread);
                ConfigMap[] last = new ConfigMap[OBJECTS_PER_THREAD];
                for (int i = 0; i < OBJECTS_PER_THREAD; i++) {
                    last[i] = configMaps.find(NAMESPACE, name(thread, i)).orElse(null);
                }
                while (true) {
                    int i = random.nextInt(OBJECTS_PER_THREAD);
                    String name = name(thread, i);
                    ConfigMap written;
                    long seq;
                    if (last[i] == null) {
                        seq = 1;
                        written = configMaps.create(ConfigMap.of(ObjectMeta.of(NAMESPACE, name), data(name, seq)));
                    } else {
                        seq = Long.parseLong(last[i].data().get("seq")) + 1;
                        written = configMaps.update(last[i].withData(data(name, seq)));
                    }
                    last[i] = written;
                    synchronized (out) {
                        out.println("ACK " + name + " " + written.metadata().resourceVersion() + " " + seq);
                        out.flush();
                    }
                }
            });
        }
    }
}
