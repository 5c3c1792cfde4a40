package io.rollingmigration.benchmarks.reconcile;

import io.rollingmigration.testsupport.PostgresFixture;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

/**
 * The reconciler against the physical limit of reading both tables: legacy and target tables of 1,000,000 rows in
 * one private PostgreSQL with 0.1% planted differences of every kind. Measures (a) a full run of our task,
 * (b) streaming both tables out with {@code COPY ... TO STDOUT} (the dual-COPY limit), (c) an incremental run after
 * 1% of the rows changed, and the task's peak heap at 100,000 and at 1,000,000 rows. The headline ratio compares
 * the medians of three pushed-down full runs and three dual COPYs taken in turns. Prints, last, one RESULT line.
 */
public final class ReconcileBenchmark {

    /** Tasks for the headline figure: one per core of the machine the benchmark is meant for. */
    private static final int TASKS = 2;

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        int rows = quick ? 300_000 : 1_000_000;
        int small = 100_000;
        say("reconcile benchmark: " + rows + " rows per table" + (quick ? " (quick)" : "") + ", heap limit "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MB");
        try (PostgresFixture postgres = PostgresFixture.startOwned()) {
            PolicyData data = new PolicyData(postgres);

            data.create(small);
            Planted smallPlanted = data.plant(small);
            Sweep smallRun = Reconciler.once(postgres, 1, Map.of());
            say(String.format(
                    Locale.ROOT,
                    "%,d rows, 1 task: full run %.2f s, peak heap %d MB (live after GC %d MB, "
                            + "retained at the end %d MB), found %d/%d",
                    small,
                    smallRun.seconds(),
                    smallRun.peakHeap() >> 20,
                    smallRun.peakLiveHeap() >> 20,
                    smallRun.retainedHeap() >> 20,
                    smallPlanted.found(smallRun.drift()),
                    smallPlanted.size()));
            long smallHeld = Reconciler.liveHeapOfOnce(postgres, 1, Map.of());
            say(String.format(
                    Locale.ROOT,
                    "%,d rows, 1 task, again with a full collection every 0.5 s: at most %d MB " + "held",
                    small,
                    smallHeld >> 20));

            data.create(rows);
            Planted planted = data.plant(rows);
            double limitSeconds = dualCopy(postgres);
            double limit = rows / limitSeconds;
            say(String.format(
                    Locale.ROOT,
                    "dual COPY TO STDOUT (both tables, in parallel): %.2f s, %.0f rows/s",
                    limitSeconds,
                    limit));
            double jdbcRead = rows / dualJdbcRead(postgres);
            say(String.format(
                    Locale.ROOT,
                    "both tables read through JDBC, every column of every row materialised, in "
                            + "parallel: %.0f rows/s (%.2f of the COPY limit): the best any reconciler that reads rows over "
                            + "JDBC can do, before it compares anything",
                    jdbcRead,
                    jdbcRead / limit));

            Sweep oneTask = Reconciler.once(postgres, 1, Map.of());
            report(rows, "1 task", oneTask, planted);
            long largeHeld = Reconciler.liveHeapOfOnce(postgres, 1, Map.of());
            say(String.format(
                    Locale.ROOT,
                    "%,d rows, 1 task, again with a full collection every 0.5 s: at most %d MB " + "held",
                    rows,
                    largeHeld >> 20));
            // Incremental reconcilers run a full sweep first, then compare what changed, in the same tasks.
            try (Reconciler rowByRowTasks = Reconciler.start(postgres, TASKS, Map.of("mode", "incremental"));
                    Reconciler pushdownTask =
                            Reconciler.start(postgres, 1, Map.of("mode", "incremental", "hash.pushdown", "true"))) {
                Sweep rowByRow = rowByRowTasks.nextRun();
                report(rows, TASKS + " tasks", rowByRow, planted);
                Sweep pushdownTwo = Reconciler.once(postgres, TASKS, Map.of("hash.pushdown", "true"));
                report(rows, TASKS + " tasks, hash pushdown", pushdownTwo, planted);
                // The database does the work of a pushed-down sweep: one task keeps both of its scans on the two
                // cores.
                Sweep full = pushdownTask.nextRun();
                report(rows, "1 task, hash pushdown", full, planted);
                // The machine's speed drifts by up to half within minutes, so a limit measured once, minutes before
                // the sweep, makes the ratio a matter of luck: the limit and the sweep are measured in turns, three
                // times each, and compared by their medians.
                List<Double> limits = new ArrayList<>();
                List<Sweep> sweeps = new ArrayList<>(List.of(full));
                for (int round = 2; round <= 3; round++) {
                    limits.add(dualCopy(postgres));
                    Sweep again = Reconciler.once(postgres, 1, Map.of("hash.pushdown", "true"));
                    report(rows, "1 task, hash pushdown, round " + round, again, planted);
                    sweeps.add(again);
                }
                limits.add(dualCopy(postgres));
                double medianLimitSeconds = median(limits);
                limit = rows / medianLimitSeconds;
                List<Double> sweepSeconds = sweeps.stream().map(Sweep::seconds).toList();
                double fullSeconds = median(sweepSeconds);
                double ours = full.compared() / fullSeconds;
                say(String.format(
                        Locale.ROOT,
                        "in turns: dual COPY %s s (median %.2f s, %.0f rows/s); pushed-down "
                                + "full run %s s (median %.2f s, %.0f rows/s): %.2f of the limit",
                        seconds(limits),
                        medianLimitSeconds,
                        limit,
                        seconds(sweepSeconds),
                        fullSeconds,
                        ours,
                        ours / limit));
                int found = planted.found(rowByRow.drift());
                int falsePositives = planted.falsePositives(rowByRow.drift());
                for (Sweep sweep : sweeps) {
                    found = Math.min(found, planted.found(sweep.drift()));
                    falsePositives = Math.max(falsePositives, planted.falsePositives(sweep.drift()));
                }

                data.changeOnePercent(rows);
                Sweep incremental = pushdownTask.nextRun();
                say(String.format(
                        Locale.ROOT,
                        "incremental run (1 task, hash pushdown) after 1%% of rows changed: "
                                + "%.3f s (%d compared, mode %s), %.1fx faster than the full run",
                        incremental.seconds(),
                        incremental.compared(),
                        incremental.mode(),
                        full.seconds() / incremental.seconds()));
                Sweep incrementalRowByRow = rowByRowTasks.nextRun();
                say(String.format(
                        Locale.ROOT,
                        "incremental run (%d tasks, row by row): %.3f s (%d compared, mode %s), "
                                + "%.1fx faster than the row-by-row full run",
                        TASKS,
                        incrementalRowByRow.seconds(),
                        incrementalRowByRow.compared(),
                        incrementalRowByRow.mode(),
                        rowByRow.seconds() / incrementalRowByRow.seconds()));

                System.out.printf(
                        Locale.ROOT,
                        "RESULT bench=reconcile ours_rows_s=%.0f limit_rows_s=%.0f "
                                + "of_limit=%.2f incremental_s=%.3f full_s=%.2f found=%d/%d false_positives=%d tasks=1 "
                                + "row_by_row_tasks=%d one_task_rows_s=%.0f peak_heap_mb_small=%d "
                                + "peak_heap_mb_large=%d live_heap_mb_small=%d live_heap_mb_large=%d "
                                + "retained_heap_mb_small=%d retained_heap_mb_large=%d jdbc_read_rows_s=%.0f "
                                + "row_by_row_rows_s=%.0f row_by_row_incremental_s=%.3f held_heap_mb_small=%d "
                                + "held_heap_mb_large=%d%n",
                        ours,
                        limit,
                        ours / limit,
                        incremental.seconds(),
                        fullSeconds,
                        found,
                        planted.size(),
                        falsePositives,
                        TASKS,
                        oneTask.compared() / oneTask.seconds(),
                        smallRun.peakHeap() >> 20,
                        oneTask.peakHeap() >> 20,
                        smallRun.peakLiveHeap() >> 20,
                        oneTask.peakLiveHeap() >> 20,
                        smallRun.retainedHeap() >> 20,
                        oneTask.retainedHeap() >> 20,
                        jdbcRead,
                        rowByRow.compared() / rowByRow.seconds(),
                        incrementalRowByRow.seconds(),
                        smallHeld >> 20,
                        largeHeld >> 20);
            }
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static String seconds(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).collect(Collectors.joining(" / "));
    }

    private static void report(int rows, String tasks, Sweep sweep, Planted planted) {
        say(String.format(
                Locale.ROOT,
                "%,d rows, %s: full run %.2f s, %.0f rows/s, peak heap %d MB (live after GC %d "
                        + "MB, retained at the end %d MB), found %d/%d, false positives %d",
                rows,
                tasks,
                sweep.seconds(),
                sweep.compared() / sweep.seconds(),
                sweep.peakHeap() >> 20,
                sweep.peakLiveHeap() >> 20,
                sweep.retainedHeap() >> 20,
                planted.found(sweep.drift()),
                planted.size(),
                planted.falsePositives(sweep.drift())));
    }

    /** Streams both tables out with COPY at once, discarding the bytes: how fast PostgreSQL can hand them over. */
    private static double dualCopy(PostgresFixture postgres) throws Exception {
        BothTables copied = bothAtOnce(database -> copyOut(postgres, database));
        say(String.format(Locale.ROOT, "COPY streamed %d MB", copied.total() >> 20));
        return copied.seconds();
    }

    /** Reads both tables through JDBC at once, as a reconciler task does, without comparing anything. */
    private static double dualJdbcRead(PostgresFixture postgres) throws Exception {
        BothTables read = bothAtOnce(database -> readAll(postgres, database));
        say(String.format(Locale.ROOT, "JDBC read %,d values in %.2f s", read.total(), read.seconds()));
        return read.seconds();
    }

    /** What reading both tables at once yielded (bytes, values), and how long it took. */
    private record BothTables(long total, double seconds) {}

    private static BothTables bothAtOnce(ToLongFunction<String> read) throws Exception {
        long started = System.nanoTime();
        CompletableFuture<Long> legacy = CompletableFuture.supplyAsync(() -> read.applyAsLong(PostgresFixture.LEGACY));
        CompletableFuture<Long> target = CompletableFuture.supplyAsync(() -> read.applyAsLong(PostgresFixture.TARGET));
        long total = legacy.get() + target.get();
        return new BothTables(total, (System.nanoTime() - started) / 1e9);
    }

    private static long readAll(PostgresFixture postgres, String database) {
        try (Connection connection = postgres.connect(database)) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try (Statement statement = connection.createStatement()) {
                statement.setFetchSize(5000);
                try (ResultSet rows = statement.executeQuery("SELECT * FROM policy")) {
                    int columns = rows.getMetaData().getColumnCount();
                    long values = 0;
                    while (rows.next()) {
                        for (int i = 1; i <= columns; i++) {
                            if (rows.getObject(i) != null) {
                                values++;
                            }
                        }
                    }
                    return values;
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("JDBC read of " + database + " failed: " + e.getMessage(), e);
        }
    }

    private static long copyOut(PostgresFixture postgres, String database) {
        try (Connection connection = postgres.connect(database)) {
            CopyManager copy = new CopyManager(connection.unwrap(BaseConnection.class));
            CountingSink sink = new CountingSink();
            copy.copyOut("COPY (SELECT * FROM policy) TO STDOUT", sink);
            return sink.bytes;
        } catch (Exception e) {
            throw new IllegalStateException("COPY out of " + database + " failed: " + e.getMessage(), e);
        }
    }

    private static final class CountingSink extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }

    static void say(String message) {
        System.err.println("[bench] " + message);
    }
}
