package io.rollingmigration.connect.reconcile;

import io.rollingmigration.connect.common.PluginVersion;
import io.rollingmigration.connect.common.config.RetryMetrics;
import io.rollingmigration.connect.common.config.RetryPolicy;
import io.rollingmigration.connect.common.status.StatusConfig;
import io.rollingmigration.connect.common.status.StatusPublisher;
import io.rollingmigration.connect.reconcile.drift.DriftRecords;
import io.rollingmigration.connect.reconcile.drift.DriftTopicReader;
import io.rollingmigration.connect.reconcile.drift.OpenDriftSet;
import io.rollingmigration.connect.reconcile.metrics.ReadShiftMetrics;
import io.rollingmigration.connect.reconcile.metrics.ReconcileMetrics;
import io.rollingmigration.connect.reconcile.run.Run;
import io.rollingmigration.connect.reconcile.run.RunOutput;
import io.rollingmigration.connect.reconcile.run.RunState;
import io.rollingmigration.connect.reconcile.status.ReconcileStatus;
import io.rollingmigration.connect.reconcile.store.KeyRange;
import io.rollingmigration.connect.reconcile.store.Session;
import io.rollingmigration.readshift.FeedFigures;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares one key range of a legacy table with its target table, run after run, and publishes open drift (and
 * its resolution) and the figures of each run. Progress travels in source offsets: a restarted or moved task
 * resumes an unfinished run from its last committed position, and keeps the run numbering and the schedule.
 */
public class ReconcileSourceTask extends SourceTask {

    private static final Logger log = LoggerFactory.getLogger(ReconcileSourceTask.class);
    private static final long MAX_IDLE_MILLIS = 1000;
    private static final Duration STATE_READ_TIMEOUT = Duration.ofSeconds(60);

    /** Reads the open drift of an aggregate back when a task starts. */
    public interface OpenDriftLoader {
        OpenDriftSet load(ReconcileConfig config, String aggregate);
    }

    private final LongSupplier clock;
    private final OpenDriftLoader loader;
    private ReconcileConfig config;
    private Comparison comparison;
    private String aggregate;
    private KeyRange range;
    private Map<String, String> partition;
    private OpenDriftSet open;
    private ReconcileMetrics metrics;
    /** The read-shift lane's figures, read by the first task only; {@code null} without read.shift.topic. */
    private FeedFigures readShiftFeed;

    private ReadShiftMetrics readShiftMetrics;
    private ReconcileStatus status;
    private StatusPublisher statusPublisher;
    private long statusIntervalMillis;
    private long nextStatusAt;
    private RunState.Completed lastCompleted;
    private RunState resumed;
    private long nextRunAt;
    private Run run;
    private Session legacySession;
    private Session targetSession;
    private Comparison.Prepared prepared;
    private long lastProgressAt;
    private RetryPolicy retries;
    private long retryAt;
    private final Object wakeUp = new Object();
    private volatile boolean stopping;

    public ReconcileSourceTask() {
        this(
                System::currentTimeMillis,
                (config, aggregate) -> DriftTopicReader.read(
                        config.stateBootstrapServers(),
                        config.stateConsumerSettings(),
                        config.driftTopic(),
                        aggregate,
                        STATE_READ_TIMEOUT));
    }

    /** A task with its own clock and drift state, for embedding it outside a worker (tests, benchmarks). */
    public ReconcileSourceTask(LongSupplier clock, OpenDriftLoader loader) {
        this.clock = clock;
        this.loader = loader;
    }

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new ReconcileConfig(props);
        retries = new RetryPolicy(RetryPolicy.Settings.from(config));
        comparison = Comparison.of(config);
        aggregate = comparison.aggregate();
        range = TaskRanges.range(props);
        partition = Map.of("aggregate", aggregate, "range", range.id());
        Map<String, Object> offset = context.offsetStorageReader().offset(partition);
        lastCompleted = RunState.lastCompleted(offset);
        resumed = RunState.resume(offset);
        nextRunAt = lastCompleted == null ? clock.getAsLong() : lastCompleted.startedAt() + config.intervalMillis();
        open = loader.load(config, aggregate);
        open.retainRange(range.id());
        metrics = ReconcileMetrics.of(context.pluginMetrics(), open, clock);
        startReadShiftFigures(metrics != null);
        if (metrics != null) {
            RetryMetrics.watch(context.pluginMetrics(), retries);
        }
        startStatus(props);
        log.info(
                "Reconciling {} range {} ({} against {}, {} rule); {} open drift; {}",
                aggregate,
                range.id(),
                config.legacyTable(),
                config.targetTable(),
                comparison.rule(),
                open.size(),
                resumed != null
                        ? "resuming run " + resumed.number() + " at " + resumed.phase()
                        : "next run at " + nextRunAt);
    }

    private void startStatus(Map<String, String> props) {
        StatusConfig.Settings settings =
                StatusConfig.from(config, config.stateBootstrapServers(), config.stateConsumerSettings());
        if (settings == null) {
            return;
        }
        String name = props.getOrDefault("name", "unnamed");
        status = new ReconcileStatus(name, range.index(), comparison.migrationUnit(), range.id(), clock.getAsLong());
        statusIntervalMillis = settings.intervalMillis();
        updateStatus(clock.getAsLong());
        statusPublisher = StatusPublisher.start(
                settings,
                () -> {
                    var latest = status.latest();
                    return latest == null ? List.of() : List.of(latest);
                },
                name + "-" + range.index());
    }

    /** The status as of now, built here on the task's thread, which owns the open drift and the runs. */
    private void updateStatus(long now) {
        if (status == null) {
            return;
        }
        status.update(
                open,
                run == null ? null : run.state(),
                run == null ? 0 : run.suspects(),
                run == null ? 0 : run.observedLagMillis(),
                nextRunAt,
                readShiftFeed,
                now);
        nextStatusAt = now + Math.max(1_000, statusIntervalMillis / 2);
    }

    /**
     * The first task follows the read-shift lane's feed, when it is configured: for its status records, and as
     * plugin metrics.
     */
    private void startReadShiftFigures(boolean asMetrics) {
        if (config.readShiftTopic().isEmpty() || range.index() != 0) {
            return;
        }
        Map<String, Object> consumer = new HashMap<>(config.stateConsumerSettings());
        consumer.put("bootstrap.servers", config.stateBootstrapServers());
        readShiftFeed = FeedFigures.start(
                consumer,
                config.readShiftTopic(),
                config.getString(ReconcileConfig.READ_SHIFT_ROUTING_TOPIC),
                Duration.ofMillis(config.getLong(ReconcileConfig.READ_SHIFT_WINDOW_MS)));
        if (asMetrics) {
            readShiftMetrics = new ReadShiftMetrics(context.pluginMetrics(), readShiftFeed, comparison.migrationUnit());
        }
        log.info(
                "Read-shift figures of unit {} from topic {}, over the last {} ms",
                comparison.migrationUnit(),
                config.readShiftTopic(),
                config.getLong(ReconcileConfig.READ_SHIFT_WINDOW_MS));
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        long now = clock.getAsLong();
        if (readShiftMetrics != null) {
            readShiftMetrics.registerNew();
        }
        if (now >= nextStatusAt) {
            updateStatus(now);
        }
        if (run == null) {
            if (!startRunIfDue(now)) {
                return null;
            }
        } else if (retryAt > now) {
            idle(retryAt - now);
            return null;
        }
        try {
            if (legacySession == null) {
                connect();
            }
            RunOutput output = run.step(now);
            List<SourceRecord> records = records(output, now);
            if (metrics != null) {
                metrics.progress(run.suspects(), run.observedLagMillis());
            }
            Duration outage = retries.succeeded(now);
            if (outage != null) {
                log.info(
                        "Both databases answer again after {} s; reconciliation of {} goes on",
                        outage.toSeconds(),
                        aggregate);
            }
            if (run.finished()) {
                records.add(finish(now));
            } else if (now - lastProgressAt >= config.progressIntervalMillis()) {
                lastProgressAt = now;
                records.add(summary(run.state().toOffset(), false, now));
            }
            if (records.isEmpty() && run != null && run.waitingForRechecks(now)) {
                idle(Math.min(MAX_IDLE_MILLIS, config.recheckDelayMillis()));
            }
            return records;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private boolean startRunIfDue(long now) throws InterruptedException {
        if (resumed == null && nextRunAt > now) {
            idle(nextRunAt - now);
            return false;
        }
        try {
            reuseOrConnect();
            RunState state = resumed;
            if (state == null) {
                Comparison.Prepared stores = prepared;
                boolean full = config.mode() == ReconcileConfig.Mode.FULL
                        || lastCompleted == null
                        || now - lastCompleted.lastFullStartedAt() >= config.fullSweepIntervalMillis();
                Object legacyMark =
                        config.changeColumn() == null ? null : stores.legacy().maxChange();
                state = RunState.begin(
                        lastCompleted,
                        full,
                        config.changeColumn() != null,
                        config.incrementalOverlapMillis(),
                        legacyMark,
                        stores.target().lastApplied(),
                        now);
            }
            resumed = null;
            run = new Run(
                    state,
                    range,
                    prepared.legacy(),
                    prepared.target(),
                    prepared.judge(),
                    prepared.pairing(),
                    open,
                    settings(),
                    prepared.digests(),
                    clock);
            lastProgressAt = now;
            log.info(
                    "Run {} of {} range {} ({}) {} at {}",
                    state.number(),
                    aggregate,
                    range.id(),
                    state.mode(),
                    state.position() == null && state.figures().compared() == 0 ? "starts" : "resumes",
                    state.phase());
            return true;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /**
     * A new run goes on over the connections and table descriptions of the last one while both connections still
     * answer: a new connection costs more than its handshake, since a fresh database backend pays to map every
     * shared buffer it touches for the first time. A query that fails over a table changed since then reconnects,
     * and describes the tables again.
     */
    private void reuseOrConnect() throws SQLException {
        if (legacySession == null || !legacySession.answers() || !targetSession.answers()) {
            connect();
        }
    }

    private void connect() throws SQLException {
        disconnect();
        legacySession =
                Session.open(config.legacyConnection(), config.statementTimeoutSeconds(), config.scanTimeoutSeconds());
        targetSession =
                Session.open(config.targetConnection(), config.statementTimeoutSeconds(), config.scanTimeoutSeconds());
        prepared = comparison.prepare(legacySession, targetSession);
        if (run != null) {
            run.reattach(prepared.legacy(), prepared.target(), prepared.judge(), prepared.pairing());
        }
    }

    private Run.Settings settings() {
        return new Run.Settings(
                config.chunkSize(),
                config.recheckDelayMillis(),
                config.recheckMaxWaitMillis(),
                config.suspectsMax(),
                config.rowsPerSecond());
    }

    private List<SourceRecord> records(RunOutput output, long now) {
        List<SourceRecord> records =
                new ArrayList<>(output.reported().size() + output.resolved().size() + 1);
        if (output.isEmpty()) {
            return records;
        }
        Map<String, Object> offset = run.state().toOffset();
        String runId = runId(run.state().number());
        for (RunOutput.Reported reported : output.reported()) {
            records.add(new SourceRecord(
                    partition,
                    offset,
                    config.driftTopic(),
                    null,
                    DriftRecords.KEY_SCHEMA,
                    DriftRecords.key(aggregate, reported.drift().targetKey()),
                    DriftRecords.VALUE_SCHEMA,
                    DriftRecords.value(aggregate, reported.drift(), comparison.rule(), reported.state(), now, runId),
                    now,
                    DriftRecords.stateHeaders(aggregate, reported.state())));
        }
        for (String targetKey : output.resolved()) {
            records.add(new SourceRecord(
                    partition,
                    offset,
                    config.driftTopic(),
                    null,
                    DriftRecords.KEY_SCHEMA,
                    DriftRecords.key(aggregate, targetKey),
                    null,
                    null,
                    now,
                    DriftRecords.tombstoneHeaders(aggregate, targetKey)));
        }
        return records;
    }

    private SourceRecord finish(long now) {
        RunState state = run.state();
        lastCompleted = state.completed(now);
        if (status != null) {
            status.finished(state, now);
        }
        nextRunAt = state.startedAt() + config.intervalMillis();
        if (metrics != null) {
            metrics.compared(state.figures().compared());
            metrics.runCompleted(state.figures().alignmentPercent());
        }
        log.info(
                "Run {} of {} range {} ({}): {} compared, {} matched, {} in flight, {} drift, {} open; "
                        + "alignment {}%",
                state.number(),
                aggregate,
                range.id(),
                state.mode(),
                state.figures().compared(),
                state.figures().matched(),
                state.figures().inFlight(),
                state.figures().drift(),
                open.size(),
                String.format(Locale.ROOT, "%.3f", state.figures().alignmentPercent()));
        SourceRecord summary = summary(RunState.completedOffset(lastCompleted), true, now);
        run = null;
        nextStatusAt = 0;
        return summary;
    }

    private SourceRecord summary(Map<String, Object> offset, boolean completed, long now) {
        RunState state = run.state();
        return new SourceRecord(
                partition,
                offset,
                config.summaryTopic(),
                null,
                DriftRecords.SUMMARY_KEY_SCHEMA,
                range.count() == 1 ? aggregate : aggregate + "/" + range.id(),
                DriftRecords.SUMMARY_SCHEMA,
                DriftRecords.summary(
                        aggregate,
                        runId(state.number()),
                        range.id(),
                        state.mode(),
                        completed,
                        state.figures(),
                        open.size(),
                        run.suspects(),
                        state.startedAt(),
                        now));
    }

    private String runId(long number) {
        return aggregate + "#" + number + (range.count() == 1 ? "" : "@" + range.id());
    }

    private RuntimeException failed(SQLException e) {
        disconnect();
        String message = "Reconciliation of " + aggregate + " range " + range.id() + " failed ("
                + config.legacyConnection() + " / " + config.targetConnection() + "): " + e.getMessage();
        long now = clock.getAsLong();
        long delay = retries.failed(now);
        if (delay < 0) {
            return new ConnectException(message + "; giving up " + retries.spent(now), e);
        }
        retryAt = now + delay;
        if (run == null) {
            nextRunAt = retryAt;
        }
        log.warn("{}; {}", message, retries.waiting(now, delay));
        return new RetriableException(message, e);
    }

    private void idle(long millis) throws InterruptedException {
        synchronized (wakeUp) {
            if (!stopping) {
                wakeUp.wait(Math.max(1, Math.min(millis, MAX_IDLE_MILLIS)));
            }
        }
    }

    private void disconnect() {
        if (legacySession != null) {
            legacySession.close();
            legacySession = null;
        }
        if (targetSession != null) {
            targetSession.close();
            targetSession = null;
        }
    }

    @Override
    public void stop() {
        stopping = true;
        if (statusPublisher != null) {
            statusPublisher.close();
        }
        if (readShiftFeed != null) {
            readShiftFeed.close();
        }
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        disconnect();
    }
}
