package io.kardia.store.journal;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A deterministic stream of journal records: the record at a revision is a pure function of
 * (seed, revision), so a test (or a crash-test child process) can regenerate exactly what was
 * written and tell recovered data from anything that was never written.
 */
final class JournalWorkload {
    static final String RESOURCE = "configmaps";
    private final long seed;
    private final int keys;
    private final int maxValueBytes;

    JournalWorkload(long seed, int keys, int maxValueBytes) {
        this.seed = seed;
        this.keys = keys;
        this.maxValueBytes = maxValueBytes;
    }

    JournalRecord record(long revision) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + revision);
        String key = "default/object-" + random.nextInt(keys);
        if (random.nextInt(10) == 0) {
            return JournalRecord.delete(revision, RESOURCE, key);
        }
        int size = 40 + random.nextInt(maxValueBytes - 40);
        StringBuilder json = new StringBuilder(size + 64)
                .append("{\"metadata\":{\"name\":\"").append(key).append("\",\"resourceVersion\":\"")
                .append(revision).append("\"},\"data\":\"");
        while (json.length() < size) {
            json.append((char) ('a' + random.nextInt(26)));
        }
        return JournalRecord.put(revision, RESOURCE, key, json.append("\"}").toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The state after applying revisions 1..{@code revision}. */
    Map<String, JournalRecord> stateAt(long revision) {
        Map<String, JournalRecord> state = new HashMap<>();
        for (long r = 1; r <= revision; r++) {
            apply(state, record(r));
        }
        return state;
    }

    static void apply(Map<String, JournalRecord> state, JournalRecord record) {
        if (record.op() == JournalRecord.Op.PUT) {
            state.put(record.key(), record);
        } else {
            state.remove(record.key());
        }
    }

    static Map<String, JournalRecord> state(List<JournalRecord> records) {
        Map<String, JournalRecord> state = new HashMap<>();
        records.forEach(r -> apply(state, r));
        return state;
    }
}
