package io.rollingmigration.benchmarks.reconcile;

import io.rollingmigration.benchmarks.HeapPeak;
import io.rollingmigration.connect.reconcile.ReconcileSourceConnector;
import io.rollingmigration.connect.reconcile.ReconcileSourceTask;
import io.rollingmigration.connect.reconcile.drift.OpenDriftSet;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.StoredOffsetContext;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The reconciler's tasks over the benchmark tables, the key space split by the connector as a worker would ask it
 * to, and kept running from one run to the next as a worker keeps them: each {@link #nextRun()} polls every task,
 * each on its own thread, until the final summary of its next run.
 */
final class Reconciler implements AutoCloseable {

    private final List<ReconcileSourceTask> tasks = new ArrayList<>();
    private final ExecutorService threads;
    private final Map<String, String> drift = new ConcurrentHashMap<>();

    private Reconciler(List<Map<String, String>> taskConfigs) {
        threads = Executors.newFixedThreadPool(taskConfigs.size());
        for (Map<String, String> config : taskConfigs) {
            OpenDriftSet open = new OpenDriftSet();
            ReconcileSourceTask task = new ReconcileSourceTask(System::currentTimeMillis, (c, a) -> open);
            task.initialize(new StoredOffsetContext(null));
            task.start(config);
            tasks.add(task);
        }
    }

    static Reconciler start(PostgresFixture postgres, int tasks, Map<String, String> overrides) {
        Map<String, String> config = config(postgres);
        config.putAll(overrides);
        ReconcileSourceConnector connector = new ReconcileSourceConnector();
        connector.start(config);
        return new Reconciler(connector.taskConfigs(tasks));
    }

    /** A single run of fresh tasks. */
    static Sweep once(PostgresFixture postgres, int tasks, Map<String, String> overrides) throws Exception {
        try (Reconciler reconciler = start(postgres, tasks, overrides)) {
            return reconciler.nextRun();
        }
    }

    /** A single run of fresh tasks, slowed by a full collection every half second: the most it held, in bytes. */
    static long liveHeapOfOnce(PostgresFixture postgres, int tasks, Map<String, String> overrides) throws Exception {
        try (Reconciler reconciler = start(postgres, tasks, overrides)) {
            SampledLiveHeap heap = SampledLiveHeap.start();
            long held;
            try {
                reconciler.nextRun();
            } finally {
                held = heap.stop();
            }
            return held;
        }
    }

    /** Polls every task until its next run has ended; drift reported by earlier runs stays in the result. */
    Sweep nextRun() throws Exception {
        System.gc();
        HeapPeak.reset();
        LiveHeap liveHeap = LiveHeap.watch();
        List<Future<Struct>> summaries = new ArrayList<>();
        for (ReconcileSourceTask task : tasks) {
            summaries.add(threads.submit(() -> pollUntilRunEnds(task)));
        }
        long compared = 0;
        long started = Long.MAX_VALUE;
        long finished = Long.MIN_VALUE;
        String mode = null;
        for (Future<Struct> future : summaries) {
            Struct summary = future.get();
            compared += summary.getInt64("compared");
            mode = summary.getString("mode");
            started = Math.min(started, ((Date) summary.get("started_at")).getTime());
            finished = Math.max(finished, ((Date) summary.get("finished_at")).getTime());
        }
        long peak = HeapPeak.bytes();
        long live = liveHeap.stop();
        System.gc();
        long retained = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new Sweep((finished - started) / 1e3, compared, new HashMap<>(drift), peak, live, retained, mode);
    }

    private Struct pollUntilRunEnds(ReconcileSourceTask task) throws InterruptedException {
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
                    ReconcileBenchmark.say(String.format(
                            Locale.ROOT,
                            "  ... %s: %,d compared, %,d in flight, " + "%,d open drift, %,d suspects",
                            value.getString("run_id"),
                            value.getInt64("compared"),
                            value.getInt64("in_flight"),
                            value.getInt64("open_drift"),
                            value.getInt64("suspects")));
                } else {
                    return value;
                }
            }
        }
    }

    @Override
    public void close() {
        tasks.forEach(ReconcileSourceTask::stop);
        threads.shutdown();
    }

    private static Map<String, String> config(PostgresFixture postgres) {
        Map<String, String> config = new HashMap<>(postgres.connectionSettings("legacy.", PostgresFixture.LEGACY));
        config.putAll(postgres.connectionSettings("target.", PostgresFixture.TARGET));
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
