package io.rollingmigration.benchmarks.reconcile;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The largest heap use right after a garbage collection while watching: the memory a run really holds, which unlike
 * the pools' peak does not depend on how much garbage piled up before the collector ran.
 */
final class LiveHeap {

    private final AtomicLong max = new AtomicLong();
    private final List<Runnable> removals = new ArrayList<>();

    static LiveHeap watch() {
        LiveHeap heap = new LiveHeap();
        NotificationListener listener = (notification, handback) -> {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            long used = 0;
            for (MemoryUsage usage : info.getGcInfo().getMemoryUsageAfterGc().values()) {
                used += usage.getUsed();
            }
            heap.max.accumulateAndGet(used, Math::max);
        };
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            NotificationEmitter emitter = (NotificationEmitter) collector;
            emitter.addNotificationListener(listener, null, null);
            heap.removals.add(() -> {
                try {
                    emitter.removeNotificationListener(listener);
                } catch (ListenerNotFoundException ignored) {
                    // already gone
                }
            });
        }
        return heap;
    }

    /** Stops watching; the largest after-collection use seen, in bytes. */
    long stop() {
        removals.forEach(Runnable::run);
        return max.get();
    }
}
