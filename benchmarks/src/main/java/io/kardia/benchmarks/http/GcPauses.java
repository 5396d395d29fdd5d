package io.kardia.benchmarks.http;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Stop-the-world collections (ms each) while a measurement runs, so a latency tail can be set next to
 * the pauses that happened meanwhile. Concurrent cycles (e.g. G1's marking) are left out.
 */
final class GcPauses implements NotificationListener {
    private final List<Long> pauses = new ArrayList<>();

    private GcPauses() {
    }

    static GcPauses start() {
        GcPauses p = new GcPauses();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(p, null, null);
            }
        }
        return p;
    }

    @Override
    public void handleNotification(Notification n, Object handback) {
        if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        if (info.getGcName().contains("Concurrent") || info.getGcCause().contains("Concurrent")) {
            return;
        }
        synchronized (pauses) {
            pauses.add(info.getGcInfo().getDuration());
        }
    }

    /** Stops listening; the pauses seen, in ms. */
    List<Long> stop() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                try {
                    emitter.removeNotificationListener(this);
                } catch (ListenerNotFoundException ignored) {
                    // was never added to this one
                }
            }
        }
        synchronized (pauses) {
            return List.copyOf(pauses);
        }
    }
}
