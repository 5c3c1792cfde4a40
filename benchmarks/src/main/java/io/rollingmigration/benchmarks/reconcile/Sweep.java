package io.rollingmigration.benchmarks.reconcile;

import io.rollingmigration.benchmarks.HeapPeak;
import io.rollingmigration.connect.reconcile.ReconcileSourceConnector;
import io.rollingmigration.connect.reconcile.ReconcileSourceTask;
import io.rollingmigration.connect.reconcile.drift.OpenDriftSet;
import io.rollingmigration.testsupport.PostgresFixture;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One run of the reconciler over the benchmark tables, its key space split into ranges by the connector as a worker
 * would ask it to, each range's task polled on its own thread: start to every task's final summary.
 *
 * @param peakHeap     the heap pools' peak use, garbage included (depends on when the collector ran)
 * @param peakLiveHeap the largest heap use right after a collection: what the run kept, plus garbage promoted to the
 *                     old generation that no collection had reclaimed yet
 * @param retainedHeap the heap use after a full collection at the end of the run, the tasks still running: what a
 *                     task holds on to whatever the table size (open drift, caches), without any garbage
 * @param offsets the source offset each range's task ended with, and {@code open} its open drift: what the next run
 *                of each task would read back
 */
record Sweep(double seconds, long compared, Map<String, String> drift, long peakHeap, long peakLiveHeap,
             long retainedHeap, String mode, List<Map<String, Object>> offsets, List<OpenDriftSet> open) {

    static Sweep run(PostgresFixture postgres, int tasks, Map<String, String> overrides, Sweep previous)
            throws Exception {
        Map<String, String> config = config(postgres);
        config.putAll(overrides);
        ReconcileSourceConnector connector = new ReconcileSourceConnector();
        connector.start(config);
        List<Map<String, String>> taskConfigs = connector.taskConfigs(tasks);
        Map<String, String> drift = new ConcurrentHashMap<>();
        List<Map<String, Object>> offsets = new ArrayList<>();
        List<OpenDriftSet> open = new ArrayList<>();
        for (int i = 0; i < taskConfigs.size(); i++) {
            offsets.add(previous == null ? null : previous.offsets.get(i));
            open.add(previous == null ? new OpenDriftSet() : previous.open.get(i));
        }
        ExecutorService threads = Executors.newFixedThreadPool(taskConfigs.size());
        System.gc();
        HeapPeak.reset();
        LiveHeap liveHeap = LiveHeap.watch();
        long started = System.nanoTime();
        List<Future<Struct>> summaries = new ArrayList<>();
        List<ReconcileSourceTask> running = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Map<String, Object>> ended = new ArrayList<>(offsets);
        for (int i = 0; i < taskConfigs.size(); i++) {
            int index = i;
            summaries.add(threads.submit(() -> poll(taskConfigs.get(index), offsets.get(index), open.get(index),
                    drift, offset -> ended.set(index, offset), running)));
        }
        long compared = 0;
        String mode = null;
        for (Future<Struct> summary : summaries) {
            compared += summary.get().getInt64("compared");
            mode = summary.get().getString("mode");
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long peak = HeapPeak.bytes();
        long live = liveHeap.stop();
        System.gc();
        long retained = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        running.forEach(ReconcileSourceTask::stop);
        threads.shutdown();
        return new Sweep(seconds, compared, new HashMap<>(drift), peak, live, retained, mode, ended, open);
    }

    /** Polls a task until its run's final summary; the task is left running, for the caller to stop. */
    private static Struct poll(Map<String, String> config, Map<String, Object> offset, OpenDriftSet open,
                               Map<String, String> drift, java.util.function.Consumer<Map<String, Object>> ended,
                               List<ReconcileSourceTask> running)
            throws InterruptedException {
        ReconcileSourceTask task = new ReconcileSourceTask(System::currentTimeMillis, (c, a) -> open);
        task.initialize(new io.rollingmigration.testsupport.StoredOffsetContext(offset));
        task.start(config);
        running.add(task);
        boolean done = false;
        try {
            while (true) {
                List<SourceRecord> records = task.poll();
                if (records == null) {
                    continue;
                }
                for (SourceRecord record : records) {
                    Struct value = (Struct) record.value();
                    if (record.topic().equals("drift")) {
                        if (value != null) {
                            drift.put(value.getString("legacy_key"), value.getString("kind"));
                        }
                    } else if ("RUNNING".equals(value.getString("status"))) {
                        ReconcileBenchmark.say(String.format(Locale.ROOT, "  ... %s: %,d compared, %,d in flight, "
                                        + "%,d open drift, %,d suspects", value.getString("run_id"),
                                value.getInt64("compared"), value.getInt64("in_flight"), value.getInt64("open_drift"),
                                value.getInt64("suspects")));
                    } else {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> last = (Map<String, Object>) record.sourceOffset();
                        ended.accept(last);
                        done = true;
                        return value;
                    }
                }
            }
        } finally {
            if (!done) {
                task.stop();
            }
        }
    }

    private static Map<String, String> config(PostgresFixture postgres) {
        Map<String, String> config = new HashMap<>();
        config.put("legacy.connection.url", postgres.jdbcUrl(PostgresFixture.LEGACY));
        config.put("legacy.connection.user", postgres.user());
        config.put("target.connection.url", postgres.jdbcUrl(PostgresFixture.TARGET));
        config.put("target.connection.user", postgres.user());
        config.put("legacy.table", "policy");
        config.put("target.table", "policy");
        config.put("mapping.spec", PolicyData.SPEC);
        config.put("legacy.change.column", "updated_at");
        config.put("drift.topic", "drift");
        config.put("drift.state.bootstrap.servers", "not-used:9092");
        config.put("chunk.size", "5000");
        config.put("recheck.delay.ms", "0");
        config.put("incremental.overlap.ms", "0");
        config.put("progress.interval.ms", "5000");
        config.put("interval.ms", "100");
        return config;
    }

}
