package io.kardia.store.journal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Run in a separate JVM by {@link JournalCrashTest}, which kills it with SIGKILL: appends the
 * workload from several threads forever, snapshotting now and then, and prints
 * {@code ACK <revision>} once each append's future has completed.
 *
 * <p>Arguments: data directory, seed, threads, segment bytes, snapshot every N revisions.
 */
public final class JournalCrashChild {
    private JournalCrashChild() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        JournalWorkload workload = new JournalWorkload(Long.parseLong(args[1]), 300, 3000);
        int threads = Integer.parseInt(args[2]);
        FileJournal.Options options = FileJournal.Options.defaults().withSegmentBytes(Long.parseLong(args[3]));
        long snapshotEvery = Long.parseLong(args[4]);
        PrintStream out = System.out;

        FileJournal journal = FileJournal.open(dir, options);
        Map<String, JournalRecord> state = new HashMap<>();
        long recovered = journal.recover(r -> JournalWorkload.apply(state, r));
        synchronized (out) {
            out.println("READY " + recovered);
            out.flush();
        }
        Object order = new Object();
        long[] next = {recovered};
        for (int t = 0; t < threads; t++) {
            Thread.ofPlatform().name("appender-" + t).start(() -> {
                while (true) {
                    long revision;
                    CompletableFuture<Void> appended;
                    List<JournalRecord> snapshot = null;
                    synchronized (order) {
                        revision = ++next[0];
                        JournalRecord record = workload.record(revision);
                        JournalWorkload.apply(state, record);
                        appended = journal.append(record);
                        if (revision % snapshotEvery == 0) {
                            snapshot = List.copyOf(state.values());
                        }
                    }
                    if (snapshot != null) {
                        journal.snapshot(revision, snapshot);
                    }
                    appended.join();
                    synchronized (out) {
                        out.println("ACK " + revision);
                        out.flush();
                    }
                }
            });
        }
    }
}
