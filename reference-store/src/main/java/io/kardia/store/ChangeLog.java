package io.kardia.store;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * Every visible change of the history window, keyed by revision. Revisions are gapless (one change
 * per revision), which is how a reader detects that compaction removed what it was reading.
 */
final class ChangeLog {
    private final ConcurrentSkipListMap<Long, ChangeEvent> events = new ConcurrentSkipListMap<>();

    void add(ChangeEvent e) {
        events.put(e.revision(), e);
    }

    /** Events with {@code from < revision <= to}, in order (weakly consistent under compaction). */
    Collection<ChangeEvent> range(long from, long to) {
        return events.subMap(from, false, to, true).values();
    }

    /** Removes events at or before {@code revision}, handing each to {@code removed}. */
    void trim(long revision, Consumer<ChangeEvent> removed) {
        Map.Entry<Long, ChangeEvent> first;
        while ((first = events.firstEntry()) != null && first.getKey() <= revision) {
            events.remove(first.getKey());
            removed.accept(first.getValue());
        }
    }

    /** Highest revision written at or before {@code millis}, or -1. */
    long lastRevisionBefore(long millis) {
        long found = -1;
        for (ChangeEvent e : events.values()) {
            if (e.timeMillis() > millis) {
                break;
            }
            found = e.revision();
        }
        return found;
    }

    int size() {
        return events.size();
    }
}
