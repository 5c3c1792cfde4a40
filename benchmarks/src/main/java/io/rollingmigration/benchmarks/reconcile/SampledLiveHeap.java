package io.rollingmigration.benchmarks.reconcile;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a run holds at its peak, without the garbage: every half second a full collection, then the heap in use.
 * The pools' peak and the use after young collections both count garbage, as much as the collector let pile up,
 * and G1 lets more pile up the longer a run lasts; this measure does not. The collections slow the run down, so it
 * is taken in a run of its own, not in one whose speed is reported.
 */
final class SampledLiveHeap {

    private static final long PERIOD_MILLIS = 500;

    private final AtomicLong max = new AtomicLong();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "live-heap-sampler");
        thread.setDaemon(true);
        return thread;
    });

    static SampledLiveHeap start() {
        SampledLiveHeap heap = new SampledLiveHeap();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        heap.sampler.scheduleAtFixedRate(
                () -> {
                    memory.gc();
                    heap.max.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                },
                PERIOD_MILLIS,
                PERIOD_MILLIS,
                TimeUnit.MILLISECONDS);
        return heap;
    }

    /** Stops sampling; the largest use seen after a full collection, in bytes. */
    long stop() throws InterruptedException {
        sampler.shutdown();
        sampler.awaitTermination(10, TimeUnit.SECONDS);
        return max.get();
    }
}
