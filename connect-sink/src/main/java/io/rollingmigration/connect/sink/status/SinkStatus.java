package io.rollingmigration.connect.sink.status;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollingmigration.connect.common.status.FailureReason;
import io.rollingmigration.connect.common.status.StatusConfig;
import io.rollingmigration.connect.common.status.StatusPublisher;
import io.rollingmigration.connect.common.status.StatusReport;
import io.rollingmigration.connect.sink.ConfigChecks;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A sink task's figures for the status topic: the changes it applied, skipped as stale, found duplicated or out of
 * order within a delivery, blocked by ownership, dropped as echoes, and sent to the dead letter queue by reason
 * (all totals since the task started, and per second over the last interval), and the replication lag of the
 * changes it wrote in the last interval (p50, p99, max). Recorded from the task's thread, read from the
 * publisher's.
 */
public final class SinkStatus implements AutoCloseable {

    private final StatusReport.Kind kind;
    private final String connector;
    private final int task;
    private final String unit;
    private final String table;

    private final Totals totals = new Totals();
    private final Totals atIntervalStart = new Totals();
    private final Map<String, Long> deadLettered = new TreeMap<>();
    private final LagWindow lag = new LagWindow(2048);
    private long intervalStart;
    private StatusPublisher publisher;
    private long lastWriteAt;
    private long lastBlockedAt;
    private long newestCommitted;

    public SinkStatus(StatusReport.Kind kind, String connector, int task, String unit, String table, long now) {
        this.kind = kind;
        this.connector = connector;
        this.task = task;
        this.unit = unit;
        this.table = table;
        this.intervalStart = now;
    }

    /**
     * The figures of the task whose settings are {@code props}, published as the settings say; {@code null} when
     * they say no status records.
     */
    public static SinkStatus publish(
            StatusReport.Kind kind,
            StatusConfig.Settings settings,
            Map<String, String> props,
            String unit,
            String table) {
        if (settings == null) {
            return null;
        }
        String name = props.getOrDefault("name", "unnamed");
        int task = ConfigChecks.taskNumber(props);
        SinkStatus status = new SinkStatus(kind, name, task, unit, table, System.currentTimeMillis());
        status.publisher = StatusPublisher.start(
                settings, () -> List.of(status.report(System.currentTimeMillis())), name + "-" + task);
        return status;
    }

    /** Publishes the last report and stops publishing. */
    @Override
    public void close() {
        if (publisher != null) {
            publisher.close();
        }
    }

    private static final class Totals {
        long received;
        long applied;
        long stale;
        long duplicates;
        long outOfOrder;
        long blocked;
        long echoes;
        long deadLettered;

        void copy(Totals other) {
            received = other.received;
            applied = other.applied;
            stale = other.stale;
            duplicates = other.duplicates;
            outOfOrder = other.outOfOrder;
            blocked = other.blocked;
            echoes = other.echoes;
            deadLettered = other.deadLettered;
        }
    }

    /**
     * One written batch.
     *
     * @param duplicates changes of the delivery with the same version as one already in it
     * @param outOfOrder changes of the delivery older than one of the same row delivered before them
     */
    public synchronized void batch(
            int received, int applied, int stale, int duplicates, int outOfOrder, List<Long> committedAt, long now) {
        totals.received += received;
        totals.applied += applied;
        totals.stale += stale;
        totals.duplicates += duplicates;
        totals.outOfOrder += outOfOrder;
        for (Long committed : committedAt) {
            lag.record(now - committed);
            newestCommitted = Math.max(newestCommitted, committed);
        }
        lastWriteAt = now;
    }

    public synchronized void blocked() {
        totals.blocked++;
        lastBlockedAt = System.currentTimeMillis();
    }

    public synchronized void echo() {
        totals.echoes++;
    }

    /** A record sent to the dead letter queue, counted by its {@link FailureReason}. */
    public synchronized void deadLettered(Exception reason) {
        totals.deadLettered++;
        deadLettered.merge(FailureReason.of(reason), 1L, Long::sum);
    }

    /** The report of the interval that ends now; the next interval starts. */
    public synchronized StatusReport report(long now) {
        ObjectNode figures = StatusReport.newFigures();
        figures.put("table", table);
        double seconds = Math.max(0.001, (now - intervalStart) / 1000.0);
        ObjectNode total = figures.putObject("totals");
        ObjectNode rates = figures.putObject("per_second");
        StatusReport.putTotalAndRate(total, rates, "received", totals.received, atIntervalStart.received, seconds);
        StatusReport.putTotalAndRate(total, rates, "applied", totals.applied, atIntervalStart.applied, seconds);
        StatusReport.putTotalAndRate(total, rates, "skipped_stale", totals.stale, atIntervalStart.stale, seconds);
        StatusReport.putTotalAndRate(
                total, rates, "duplicates", totals.duplicates, atIntervalStart.duplicates, seconds);
        StatusReport.putTotalAndRate(
                total, rates, "out_of_order", totals.outOfOrder, atIntervalStart.outOfOrder, seconds);
        StatusReport.putTotalAndRate(
                total, rates, "blocked_by_ownership", totals.blocked, atIntervalStart.blocked, seconds);
        StatusReport.putTotalAndRate(total, rates, "echoes_dropped", totals.echoes, atIntervalStart.echoes, seconds);
        StatusReport.putTotalAndRate(
                total, rates, "dead_lettered", totals.deadLettered, atIntervalStart.deadLettered, seconds);
        ObjectNode byReason = figures.putObject("dead_lettered_by_reason");
        deadLettered.forEach(byReason::put);
        ObjectNode lags = figures.putObject("lag_ms");
        long[] sorted = lag.sorted();
        lags.put("changes", lag.count());
        lags.put("p50", LagWindow.percentile(sorted, 0.50));
        lags.put("p99", LagWindow.percentile(sorted, 0.99));
        lags.put("max", lag.max());
        figures.put("interval_s", Double.parseDouble(String.format(Locale.ROOT, "%.3f", seconds)));
        if (lastBlockedAt > 0) {
            figures.put("last_blocked_at_ms", lastBlockedAt);
        }
        if (lastWriteAt > 0) {
            figures.put("last_write_at_ms", lastWriteAt);
        }
        if (newestCommitted > 0) {
            figures.put("newest_legacy_commit_ms", newestCommitted);
        }
        lag.reset();
        atIntervalStart.copy(totals);
        intervalStart = now;
        return new StatusReport(kind, connector, task, unit, figures);
    }
}
