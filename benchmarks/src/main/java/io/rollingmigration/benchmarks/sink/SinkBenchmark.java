package io.rollingmigration.benchmarks.sink;

import io.rollingmigration.benchmarks.HeapPeak;
import io.rollingmigration.benchmarks.PeerPlugins;
import io.rollingmigration.connect.sink.TargetStoreSinkTask;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.RecordingSinkContext;
import java.io.Reader;
import java.sql.Connection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

/**
 * Our sink against the Debezium JDBC sink (upsert mode) and against the physical limit, a plain {@code COPY} of the
 * same rows into an empty table, all into the same private PostgreSQL in one run. Both sinks get the same records
 * in the same batches through {@link SinkTask#put}, as a worker would hand them over, so the figures compare what
 * the sinks do with records, not Kafka. The clock runs only inside the contender: each batch of records is made
 * before its {@code put()}, and COPY's time to make them is taken off its clock, while encoding their values as CSV
 * stays on it, as encoding does for the sinks (until 2026-12-08 the generator's time was counted for every
 * contender). Prints, last, one RESULT line.
 */
public final class SinkBenchmark {

    /** Records per put(), as a consumer poll hands them over; --batch N changes it. */
    private static int BATCH = 1000;

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        int batchAt = List.of(args).indexOf("--batch");
        if (batchAt >= 0) {
            BATCH = Integer.parseInt(args[batchAt + 1]);
        }
        int records = quick ? 200_000 : 1_000_000;
        say("sink benchmark: " + records + " records, batches of " + BATCH + (quick ? " (quick)" : ""));
        try (PostgresFixture postgres = PostgresFixture.startOwned()) {
            createTables(postgres);

            double copy = copy(postgres, records);
            say(String.format(Locale.ROOT, "COPY (physical limit): %.0f rows/s", copy));

            System.gc();
            HeapPeak.reset();
            double statements = run("ours, write.method=statements", oursTask(postgres, "statements"), records);
            long statementsPeakHeap = HeapPeak.bytes();
            say(String.format(
                    Locale.ROOT,
                    "ours (statements): %.0f rows/s, peak heap %d MB",
                    statements,
                    statementsPeakHeap >> 20));
            postgres.execute(PostgresFixture.TARGET, "TRUNCATE bench_ours");

            System.gc();
            HeapPeak.reset();
            double copied = run("ours, write.method=copy", oursTask(postgres, "copy"), records);
            long copiedPeakHeap = HeapPeak.bytes();
            say(String.format(Locale.ROOT, "ours (copy): %.0f rows/s, peak heap %d MB", copied, copiedPeakHeap >> 20));
            boolean copyWins = copied > statements;
            double ours = Math.max(statements, copied);
            long oursPeakHeap = copyWins ? copiedPeakHeap : statementsPeakHeap;

            System.gc();
            HeapPeak.reset();
            double peer = run("debezium-jdbc", peerTask(postgres), records);
            say(String.format(
                    Locale.ROOT,
                    "Debezium JDBC sink %s: %.0f rows/s, peak heap %d MB",
                    PeerPlugins.release(PeerPlugins.JDBC_SINK),
                    peer,
                    HeapPeak.bytes() >> 20));

            List<List<Object>> differences = postgres.query(
                    PostgresFixture.TARGET,
                    "SELECT count(*) FROM ("
                            + "(SELECT " + ChangeStream.COLUMNS + " FROM bench_ours EXCEPT SELECT "
                            + ChangeStream.COLUMNS
                            + " FROM bench_peer) UNION ALL (SELECT " + ChangeStream.COLUMNS
                            + " FROM bench_peer EXCEPT SELECT "
                            + ChangeStream.COLUMNS + " FROM bench_ours)) d");
            say("rows differing between ours and the peer (should be 0: in-order delivery, same final state): "
                    + differences.get(0).get(0));
            requireNoErrantRecords();

            System.out.printf(
                    Locale.ROOT,
                    "RESULT bench=sink ours_rows_s=%.0f peer_rows_s=%.0f ratio=%.2f "
                            + "copy_rows_s=%.0f of_limit=%.2f ours_method=%s ours_peak_heap_mb=%d "
                            + "statements_rows_s=%.0f copy_method_rows_s=%.0f peer=debezium-jdbc-%s%n",
                    ours,
                    peer,
                    ours / peer,
                    copy,
                    ours / copy,
                    copyWins ? "copy" : "statements",
                    oursPeakHeap >> 20,
                    statements,
                    copied,
                    PeerPlugins.release(PeerPlugins.JDBC_SINK));
        }
    }

    private static void createTables(PostgresFixture postgres) {
        String business = "id bigint, name text, email text, status text, balance numeric(12,2), created date, "
                + "updated_at timestamp(3), score double precision, active boolean, note text";
        postgres.execute(
                PostgresFixture.TARGET,
                "DROP TABLE IF EXISTS bench_ours",
                "DROP TABLE IF EXISTS bench_peer",
                "DROP TABLE IF EXISTS bench_copy",
                "CREATE TABLE bench_ours (" + business + ", lineage_source_system text, lineage_source_table text, "
                        + "lineage_source_key text, lineage_source_position bigint, "
                        + "lineage_source_committed_at timestamptz, lineage_operation text, lineage_snapshot text, "
                        + "lineage_rule text, lineage_translated_at timestamptz, lineage_applied_at timestamptz, "
                        + "lineage_deleted_at timestamptz, PRIMARY KEY (id))",
                "CREATE INDEX bench_ours_source_key ON bench_ours (lineage_source_key)",
                "CREATE TABLE bench_peer (" + business + ", PRIMARY KEY (id))",
                "CREATE TABLE bench_copy (" + business + ")");
    }

    private static Map<String, String> oursConfig(PostgresFixture postgres, String method) {
        Map<String, String> config = new HashMap<>(postgres.connectionSettings("", PostgresFixture.TARGET));
        config.put("name", "bench-ours");
        config.put("target.table", "bench_ours");
        config.put("write.method", method);
        return config;
    }

    /** Every task's worker side, checked before the result: a benchmark with errant records measured nothing. */
    private static final List<RecordingSinkContext> CONTEXTS = new ArrayList<>();

    private static RecordingSinkContext context(Map<String, String> config) {
        RecordingSinkContext context = new RecordingSinkContext(true, config, Set.of(new TopicPartition("bench", 0)));
        CONTEXTS.add(context);
        return context;
    }

    private static void requireNoErrantRecords() {
        for (RecordingSinkContext context : CONTEXTS) {
            if (!context.errant.isEmpty()) {
                throw new IllegalStateException(context.errant.size() + " errant records, the first: "
                        + context.reasons.get(0).getMessage());
            }
        }
    }

    private static SinkTask oursTask(PostgresFixture postgres, String method) {
        Map<String, String> config = oursConfig(postgres, method);
        TargetStoreSinkTask task = new TargetStoreSinkTask();
        task.initialize(context(config));
        task.start(config);
        return task;
    }

    private static SinkTask peerTask(PostgresFixture postgres) {
        Map<String, String> config = new HashMap<>();
        config.put("name", "bench-peer");
        config.put("connection.url", postgres.jdbcUrl(PostgresFixture.TARGET));
        config.put("connection.username", postgres.user());
        config.put("connection.password", postgres.password());
        config.put("insert.mode", "upsert");
        config.put("primary.key.mode", "record_key");
        config.put("schema.evolution", "none");
        config.put("collection.name.format", "bench_peer");
        config.put("batch.size", Integer.toString(BATCH));
        // Its own per-batch de-duplication by key: the peer's best configuration.
        config.put("use.reduction.buffer", "true");
        SinkTask task = PeerPlugins.newInstance(
                PeerPlugins.JDBC_SINK, "io.debezium.connector.jdbc.JdbcSinkConnectorTask", SinkTask.class);
        ClassLoader previous = PeerPlugins.enter(task);
        try {
            task.initialize(context(config));
            task.start(config);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        return task;
    }

    private static double run(String name, SinkTask task, int records) {
        // As a worker does: the task's own plugin loader is the context loader while it runs.
        ClassLoader previous = PeerPlugins.enter(task);
        try {
            return timed(name, task, records);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private static double timed(String name, SinkTask task, int records) {
        ChangeStream stream = new ChangeStream(records, "bench");
        TopicPartition partition = new TopicPartition("bench", 0);
        task.open(List.of(partition));
        // Only the sink's own time counts: each batch is generated before its put(), off the clock.
        long inSink = 0;
        long lastReport = System.nanoTime();
        long done = 0;
        while (stream.hasNext()) {
            List<SinkRecord> batch = stream.nextBatch(BATCH);
            long started = System.nanoTime();
            task.put(batch);
            inSink += System.nanoTime() - started;
            done += batch.size();
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                lastReport = System.nanoTime();
                say(String.format(
                        Locale.ROOT, "  %s: %d records, %.0f rows/s so far", name, done, done / (inSink / 1e9)));
            }
        }
        long flushStarted = System.nanoTime();
        task.flush(Map.of());
        inSink += System.nanoTime() - flushStarted;
        double seconds = inSink / 1e9;
        task.stop();
        say(String.format(
                Locale.ROOT,
                "  %s: %d records (%d updates, %d duplicates) in %.1f s",
                name,
                records,
                stream.updates(),
                stream.duplicates(),
                seconds));
        return records / seconds;
    }

    private static double copy(PostgresFixture postgres, int records) throws Exception {
        ChangeStream stream = new ChangeStream(records, "bench");
        try (Connection connection = postgres.connect(PostgresFixture.TARGET)) {
            CopyManager copy = new CopyManager(connection.unwrap(BaseConnection.class));
            // One COPY stream of the records' values as CSV: encoding them is on the clock, as it is for the sinks;
            // generating the records is not.
            StreamReader reader = new StreamReader(stream);
            long started = System.nanoTime();
            long rows = copy.copyIn("COPY bench_copy (" + ChangeStream.COLUMNS + ") FROM STDIN (FORMAT csv)", reader);
            double seconds = (System.nanoTime() - started - reader.generatingNanos) / 1e9;
            if (rows != records) {
                throw new IllegalStateException("COPY wrote " + rows + " rows, expected " + records);
            }
            return records / seconds;
        }
    }

    private static void say(String line) {
        System.out.println("[bench] " + line);
        System.out.flush();
    }

    /** Feeds COPY the records' rows as CSV, batch by batch; says how long it spent making the records. */
    private static final class StreamReader extends Reader {
        private final ChangeStream stream;
        private final ArrayDeque<SinkRecord> pending = new ArrayDeque<>();
        private String row = "";
        private int position;
        long generatingNanos;

        StreamReader(ChangeStream stream) {
            this.stream = stream;
        }

        @Override
        public int read(char[] buffer, int offset, int length) {
            if (position == row.length()) {
                if (pending.isEmpty()) {
                    if (!stream.hasNext()) {
                        return -1;
                    }
                    long started = System.nanoTime();
                    pending.addAll(stream.nextBatch(BATCH));
                    generatingNanos += System.nanoTime() - started;
                }
                row = ChangeStream.csvRow(pending.poll());
                position = 0;
            }
            int n = Math.min(length, row.length() - position);
            row.getChars(position, position + n, buffer, offset);
            position += n;
            return n;
        }

        @Override
        public void close() {}
    }
}
