package io.kardia.informer;

import io.kardia.core.model.Pod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks, as events arrive, that each key's events make sense in order: adds only of absent keys,
 * updates and deletes only of present ones, each update's old object the last one delivered, and
 * resourceVersions strictly increasing per key (a tombstone carries the last known state, so its
 * version equals the last one). Keeps the handler's view of the world (key -> resourceVersion).
 */
final class OrderCheckingHandler implements ResourceEventHandler<Pod> {
    final String name;
    final Map<String, String> view = new ConcurrentHashMap<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    final AtomicLong events = new AtomicLong();
    final AtomicLong tombstones = new AtomicLong();
    /** Last version delivered per key, kept after a delete so a re-created key is checked too. */
    private final Map<String, Long> last = new HashMap<>();

    OrderCheckingHandler(String name) {
        this.name = name;
    }

    @Override
    public void onAdd(Pod obj, boolean isInInitialList) {
        checkKind(obj);
        String key = obj.key();
        if (view.containsKey(key)) {
            violation("add of present " + key);
        }
        advance(key, rv(obj), true);
        view.put(key, obj.metadata().resourceVersion());
    }

    @Override
    public void onUpdate(Pod oldObj, Pod newObj) {
        checkKind(newObj);
        String key = newObj.key();
        if (!view.containsKey(key)) {
            violation("update of absent " + key);
        } else if (!view.get(key).equals(oldObj.metadata().resourceVersion())) {
            violation("update of " + key + " with old@" + oldObj.metadata().resourceVersion() + " but last delivered @" + view.get(key));
        }
        advance(key, rv(newObj), true);
        view.put(key, newObj.metadata().resourceVersion());
    }

    @Override
    public void onDelete(Pod obj, boolean finalStateUnknown) {
        checkKind(obj);
        String key = obj.key();
        if (!view.containsKey(key)) {
            violation("delete of absent " + key);
        }
        if (finalStateUnknown) {
            tombstones.incrementAndGet();
            Long prev = last.get(key);
            if (prev == null || prev != rv(obj)) {
                violation("tombstone of " + key + "@" + rv(obj) + " is not the last delivered state @" + prev);
            }
            events.incrementAndGet();
        } else {
            advance(key, rv(obj), true);
        }
        view.remove(key);
    }

    private void checkKind(Pod obj) {
        if (!"Pod".equals(obj.kind())) {
            violation("an object of kind " + obj.kind() + " (" + obj.key() + ") reached a pod handler");
        }
    }

    private void advance(String key, long rv, boolean strictly) {
        events.incrementAndGet();
        Long prev = last.get(key);
        if (prev != null && (strictly ? rv <= prev : rv < prev)) {
            violation(key + " went from @" + prev + " to @" + rv);
        }
        last.put(key, rv);
    }

    private void violation(String what) {
        violations.add(name + ": " + what);
    }

    private static long rv(Pod p) {
        return Long.parseLong(p.metadata().resourceVersion());
    }
}
