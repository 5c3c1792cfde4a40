package io.rollingmigration.connect.reconcile;

import io.rollingmigration.connect.common.PluginVersion;
import io.rollingmigration.connect.reconcile.drift.Drift;
import io.rollingmigration.connect.reconcile.drift.DriftRecords;
import io.rollingmigration.connect.reconcile.drift.RunSummary;
import io.rollingmigration.connect.reconcile.sweep.Sweep;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Runs sweeps on the configured interval and turns their findings into records: drift records while a sweep
 * proceeds, one summary record when it ends. The summary's source offset records the run number and its end, so a
 * restarted task continues the numbering and the schedule.
 */
public class ReconcileSourceTask extends SourceTask {

    private static final Logger log = LoggerFactory.getLogger(ReconcileSourceTask.class);
    static final String RUN = "run";
    static final String COMPLETED_AT = "completed_at";
    private static final long MAX_IDLE_MILLIS = 1000;

    private final LongSupplier clock;
    private ReconcileConfig config;
    private String aggregate;
    private Map<String, String> partition;
    private long lastRun;
    private long nextSweepAt;
    private Sweep sweep;
    private int failures;
    private final Object wakeUp = new Object();
    private volatile boolean stopping;

    public ReconcileSourceTask() {
        this(System::currentTimeMillis);
    }

    ReconcileSourceTask(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new ReconcileConfig(props);
        aggregate = config.aggregate();
        partition = Map.of("aggregate", aggregate);
        Map<String, Object> offset = context.offsetStorageReader().offset(partition);
        long lastCompletedAt = 0;
        if (offset != null) {
            lastRun = ((Number) offset.getOrDefault(RUN, 0L)).longValue();
            lastCompletedAt = ((Number) offset.getOrDefault(COMPLETED_AT, 0L)).longValue();
        }
        nextSweepAt = lastCompletedAt == 0 ? clock.getAsLong() : lastCompletedAt + config.intervalMillis();
        log.info("Reconciling {} ({} against {}); last run {}, next sweep at {}", aggregate, config.legacyTable(),
                config.targetTable(), lastRun, nextSweepAt);
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        if (sweep == null && !startSweepIfDue()) {
            return null;
        }
        try {
            List<SourceRecord> records = new ArrayList<>();
            long now = clock.getAsLong();
            for (Drift drift : sweep.step(config.chunkSize())) {
                records.add(new SourceRecord(partition, previousRunOffset(), config.driftTopic(), null,
                        DriftRecords.KEY_SCHEMA, DriftRecords.key(aggregate, drift),
                        DriftRecords.VALUE_SCHEMA, DriftRecords.value(aggregate, drift, sweep.runId(), now)));
            }
            if (sweep.finished()) {
                records.add(finishSweep());
            }
            return records;
        } catch (SQLException e) {
            throw sweepFailed(e);
        }
    }

    private boolean startSweepIfDue() throws InterruptedException {
        long wait = nextSweepAt - clock.getAsLong();
        if (wait > 0) {
            synchronized (wakeUp) {
                if (!stopping) {
                    wakeUp.wait(Math.min(wait, MAX_IDLE_MILLIS));
                }
            }
            return false;
        }
        long run = lastRun + 1;
        try {
            sweep = Sweep.start(aggregate + "#" + run, config.legacyConnection(), config.legacyTable(),
                    config.targetConnection(), config.targetTable(), config.keyColumns(), config.compareColumns(),
                    config.chunkSize(), clock.getAsLong());
            return true;
        } catch (SQLException e) {
            throw sweepFailed(e);
        }
    }

    private SourceRecord finishSweep() {
        long now = clock.getAsLong();
        RunSummary summary = sweep.summary(now);
        lastRun++;
        closeSweep();
        failures = 0;
        nextSweepAt = summary.startedAt() + config.intervalMillis();
        log.info("Sweep {} of {}: {} compared, {} matched, {} missing in target, {} unexpected in target, {} "
                        + "mismatched", summary.runId(), aggregate, summary.compared(), summary.matched(),
                summary.missingInTarget(), summary.unexpectedInTarget(), summary.fieldMismatch());
        return new SourceRecord(partition, Map.of(RUN, lastRun, COMPLETED_AT, now), config.summaryTopic(), null,
                DriftRecords.SUMMARY_KEY_SCHEMA, aggregate, DriftRecords.SUMMARY_SCHEMA,
                DriftRecords.summary(aggregate, summary));
    }

    /** Findings of an unfinished sweep carry the offset of the last finished one: a restart sweeps again. */
    private Map<String, Object> previousRunOffset() {
        return Map.of(RUN, lastRun, COMPLETED_AT, 0L);
    }

    private RuntimeException sweepFailed(SQLException e) {
        closeSweep();
        failures++;
        String message = "Sweep of " + aggregate + " failed (" + config.legacyConnection() + " / "
                + config.targetConnection() + "): " + e.getMessage();
        if (failures > config.maxRetries()) {
            return new ConnectException(message + "; giving up after " + failures + " consecutive failures", e);
        }
        nextSweepAt = clock.getAsLong() + config.retryBackoffMillis();
        log.warn("{}; retrying in {} ms (failure {} of at most {})", message, config.retryBackoffMillis(), failures,
                config.maxRetries());
        return new RetriableException(message, e);
    }

    private void closeSweep() {
        if (sweep != null) {
            sweep.close();
            sweep = null;
        }
    }

    @Override
    public void stop() {
        stopping = true;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        closeSweep();
    }
}
