package io.rollingmigration.benchmarks.reconcile;

import java.util.Map;

/**
 * One run of the reconciler's tasks over the benchmark tables: the run's duration as its summaries report it, from
 * the first task's start to the last task's end.
 *
 * @param peakHeap     the heap pools' peak use, garbage included (depends on when the collector ran)
 * @param peakLiveHeap the largest heap use right after a collection: what the run kept, plus garbage promoted to the
 *                     old generation that no collection had reclaimed yet
 * @param retainedHeap the heap use after a full collection at the end of the run, the tasks still running: what a
 *                     task holds on to whatever the table size (open drift, caches), without any garbage
 */
record Sweep(
        double seconds,
        long compared,
        Map<String, String> drift,
        long peakHeap,
        long peakLiveHeap,
        long retainedHeap,
        String mode) {}
