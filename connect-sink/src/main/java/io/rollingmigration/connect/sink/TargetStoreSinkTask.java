package io.rollingmigration.connect.sink;

import io.rollingmigration.connect.common.PluginVersion;
import io.rollingmigration.connect.common.config.RetryPolicy;
import io.rollingmigration.connect.common.lane.LaneTransactions;
import io.rollingmigration.connect.common.lineage.Lineage;
import io.rollingmigration.connect.common.ownership.Owner;
import io.rollingmigration.connect.common.ownership.OwnershipGate;
import io.rollingmigration.connect.common.status.StatusConfig;
import io.rollingmigration.connect.common.status.StatusReport;
import io.rollingmigration.connect.sink.metrics.SinkMetrics;
import io.rollingmigration.connect.sink.ownership.HandOverDuty;
import io.rollingmigration.connect.sink.status.SinkStatus;
import io.rollingmigration.connect.sink.write.BatchRetries;
import io.rollingmigration.connect.sink.write.ChangeBatch;
import io.rollingmigration.connect.sink.write.ChangeReader;
import io.rollingmigration.connect.sink.write.DeleteMode;
import io.rollingmigration.connect.sink.write.ErrantRecords;
import io.rollingmigration.connect.sink.write.OffsetLedger;
import io.rollingmigration.connect.sink.write.TargetChange;
import io.rollingmigration.connect.sink.write.TransientDatabaseException;
import io.rollingmigration.connect.sink.write.VersionGuardedWriter;
import io.rollingmigration.connect.sink.write.WriteOutcome;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's loop: read each record as a change, keep the newest change per row, write the batch in one
 * transaction. Writes finish inside {@link #put}, so the offsets Connect commits afterwards are always of records
 * already durable in the target; a record that cannot be written goes to the errant record reporter with its reason.
 */
public class TargetStoreSinkTask extends SinkTask {

    private static final Logger log = LoggerFactory.getLogger(TargetStoreSinkTask.class);

    private TargetStoreSinkConfig config;
    private VersionGuardedWriter writer;
    private ChangeReader reader;
    private BatchRetries retries;

    private long nextPurgeAt;
    private OwnershipGate gate;
    private HandOverDuty handOver;
    private boolean gateReady;
    private SinkMetrics metrics;
    private SinkStatus status;

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new TargetStoreSinkConfig(props);
        OffsetLedger ledger = config.offsetsInTarget()
                ? new OffsetLedger(
                        config.connection().dialect(), config.offsetsTable(), props.getOrDefault("name", "unnamed"))
                : null;
        writer = new VersionGuardedWriter(new VersionGuardedWriter.Target(
                config.connection(),
                config.table(),
                config.deleteMode(),
                ledger,
                config.fragment().orElse(null),
                config.writeMethod(),
                config.laneTransactionsTable()
                        .map(table -> new LaneTransactions(
                                config.connection().dialect(), table, props.getOrDefault("name", "unnamed")))
                        .orElse(null)));
        retries = new BatchRetries(RetryPolicy.Settings.from(config), log);
        metrics = SinkMetrics.of(context.pluginMetrics());
        if (metrics != null) {
            metrics.watch(retries);
        }
        status = SinkStatus.publish(
                StatusReport.Kind.SINK,
                StatusConfig.from(config, null, null),
                props,
                config.ownershipUnit(),
                config.table().toString());
        config.ownershipTable()
                .ifPresent(table -> gate = new OwnershipGate(
                        config.connection().dialect(),
                        table,
                        config.ownershipUnit(),
                        config.ownershipRefresh(),
                        this::gateConnection));
        if (gate != null) {
            handOver = HandOverDuty.of(
                            config,
                            props,
                            config.connection().dialect(),
                            gate,
                            LaneTransactions.Lane.FORWARD,
                            Owner.TARGET,
                            config.ownershipRefresh().toMillis())
                    .orElse(null);
        }
        try {
            if (!config.autoCreateTable()) {
                reader = newReader();
            }
            log.info("Writing to {} in {}", config.table(), config.connection());
        } catch (TransientDatabaseException e) {
            // The first put() retries the connection; a sink that cannot start during an outage is no better.
            log.warn("Target database not reachable at start; will retry on first write: {}", e.getMessage());
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        retries.awaitBackoff();
        if (records.isEmpty()) {
            handOverBookkeeping(null);
            return;
        }
        try {
            if (reader == null) {
                if (config.autoCreateTable()) {
                    writer.createTableIfMissing(records.iterator().next());
                }
                reader = newReader();
            }
            prepareGate();
            long started = System.currentTimeMillis();
            ChangeBatch batch = new ChangeBatch();
            Map<TopicPartition, Long> nextOffsets = new HashMap<>();
            Set<LaneTransactions.Candidate> echoes = writer.writebackEchoes(candidates(records));
            for (SinkRecord record : records) {
                nextOffsets.merge(
                        new TopicPartition(record.topic(), record.kafkaPartition()),
                        record.kafkaOffset() + 1,
                        Math::max);
                if (!echoes.isEmpty() && echoes.contains(candidate(record))) {
                    if (metrics != null) {
                        metrics.echo();
                    }
                    if (status != null) {
                        status.echo();
                    }
                    continue;
                }
                try {
                    TargetChange change = reader.read(record);
                    if (gate != null && blockedByOwnership(change)) {
                        continue;
                    }
                    batch.add(change);
                } catch (DataException e) {
                    reject(record, e);
                }
            }
            WriteOutcome outcome = writer.write(
                    batch, (TargetChange change, Exception reason) -> reject(change.record(), reason), nextOffsets);
            long now = System.currentTimeMillis();
            if (metrics != null) {
                metrics.batch(records.size(), now - started, outcome.applied(), outcome.stale(), outcome.deleted());
                batch.latestCommitTime().ifPresent(committed -> metrics.lag(now - committed));
            }
            if (status != null) {
                status.batch(
                        records.size(),
                        outcome.applied(),
                        outcome.stale(),
                        batch.duplicates(),
                        batch.outOfOrder(),
                        batch.commitTimes(),
                        now);
            }
            // Per batch, for telling a slow target from a slow source when lag spikes.
            log.debug(
                    "Wrote {} records into {} in {} ms: {} applied, {} stale, {} deleted",
                    records.size(),
                    config.table(),
                    now - started,
                    outcome.applied(),
                    outcome.stale(),
                    outcome.deleted());
            purgeDeleteMarkersIfDue();
            retries.succeeded();
            handOverBookkeeping(records);
        } catch (OwnershipGate.OwnershipLookupFailure e) {
            if (!e.isTransient()) {
                throw new ConnectException(e.getMessage(), e);
            }
            throw retries.retryOrFail(new TransientDatabaseException(e.getMessage(), e), records.size(), context);
        } catch (TransientDatabaseException e) {
            throw retries.retryOrFail(e, records.size(), context);
        }
    }

    /**
     * Reports the lane's progress (the batch's newest changes; {@code null} for an empty batch)
     * and decides the moves to TARGET that are due. Advisory bookkeeping beside the data: a failure is logged and
     * tried again with the next batch, never a reason to fail the batch.
     */
    private void handOverBookkeeping(Collection<SinkRecord> records) {
        if (handOver == null) {
            return;
        }
        long now = System.currentTimeMillis();
        try {
            Connection db = writer.connection();
            try {
                Collection<SinkRecord> batch = records == null ? List.of() : records;
                handOver.report(
                        db,
                        HandOverDuty.newestOf(
                                batch,
                                record -> record,
                                record -> number(record, Lineage.Field.SOURCE_COMMIT_TIME.header()),
                                record -> {
                                    Long position = number(record, Lineage.Field.SOURCE_POSITION.header());
                                    return position == null ? null : position.toString();
                                }),
                        batch.size(),
                        context.assignment(),
                        now);
                handOver.decideDue(db, now);
            } catch (SQLException e) {
                rollbackQuietly(db);
                log.warn(
                        "Hand-over bookkeeping in {} failed, tried again with the next batch: {}",
                        config.connection(),
                        e.getMessage());
            }
        } catch (TransientDatabaseException | OwnershipGate.OwnershipLookupFailure e) {
            log.warn("Hand-over bookkeeping postponed, the target database is not reachable: {}", e.getMessage());
        }
    }

    private static void rollbackQuietly(Connection db) {
        try {
            db.rollback();
        } catch (SQLException ignored) {
            // The connection is gone; the writer opens a new one for the next batch.
        }
    }

    /** The records that may be echoes of the write-back lane: those whose legacy transaction is known. */
    private List<LaneTransactions.Candidate> candidates(Collection<SinkRecord> records) {
        if (config.laneTransactionsTable().isEmpty()) {
            return List.of();
        }
        List<LaneTransactions.Candidate> candidates = new ArrayList<>();
        for (SinkRecord record : records) {
            LaneTransactions.Candidate candidate = candidate(record);
            if (candidate != null) {
                candidates.add(candidate);
            }
        }
        return candidates;
    }

    private static LaneTransactions.Candidate candidate(SinkRecord record) {
        Long transaction = number(record, Lineage.SOURCE_TRANSACTION_HEADER);
        Long committed = number(record, Lineage.Field.SOURCE_COMMIT_TIME.header());
        return transaction == null || committed == null ? null : new LaneTransactions.Candidate(transaction, committed);
    }

    private static Long number(SinkRecord record, String header) {
        Header found = record.headers().lastWithName(header);
        if (found == null || found.value() == null) {
            return null;
        }
        Object value = found.value();
        if (value instanceof Number number) {
            return number.longValue();
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * True if the target owned writes for the change's partition when the change was committed: the change is not
     * applied and is reported as a legacy write after cutover, so operators see the legacy system still being
     * written. A change committed before the partition moved (its {@code since}) was legacy's to make, and is applied
     * even if it arrives after the move.
     */
    private boolean blockedByOwnership(TargetChange change) throws TransientDatabaseException {
        String field = config.ownershipPartitionField();
        Object partition = change.hasField(field) ? change.fieldValue(field) : writer.currentValue(change, field);
        String value = partition == null ? null : partition.toString();
        OptionalLong committed = change.committedAtMillis();
        Owner owner = committed.isPresent() ? gate.ownerAt(value, committed.getAsLong()) : gate.ownerOf(value);
        if (owner != Owner.TARGET) {
            return false;
        }
        if (metrics != null) {
            metrics.blocked();
        }
        if (status != null) {
            status.blocked();
        }
        reject(
                change.record(),
                new DataException("LEGACY_WRITE_AFTER_CUTOVER: " + change.origin() + " changes "
                        + gate.unit() + " partition " + field + "=" + partition + ", whose writes the target owns; the "
                        + "change was not applied"));
        return true;
    }

    private void prepareGate() throws TransientDatabaseException {
        if (gate == null || gateReady) {
            return;
        }
        try {
            gate.ensureTable(writer.connection());
            gateReady = true;
        } catch (SQLException e) {
            throw new TransientDatabaseException(
                    "Cannot prepare the ownership table "
                            + config.ownershipTable().orElseThrow() + ": " + e.getMessage(),
                    e);
        }
    }

    private Connection gateConnection() {
        try {
            return writer.connection();
        } catch (TransientDatabaseException e) {
            throw new OwnershipGate.OwnershipLookupFailure(e.getMessage(), (Exception) e.getCause());
        }
    }

    private ChangeReader newReader() throws TransientDatabaseException {
        return new ChangeReader(
                writer.table(),
                config.versionHeader(),
                config.versionField().orElse(null),
                config.fragment().orElse(null));
    }

    /** Soft-delete markers older than the retention go, at most once per retention period or hour. */
    private void purgeDeleteMarkersIfDue() throws TransientDatabaseException {
        long retention = config.deleteRetentionMillis();
        if (config.deleteMode() != DeleteMode.SOFT || retention == 0) {
            return;
        }
        long now = System.currentTimeMillis();
        if (now >= nextPurgeAt) {
            int purged = writer.purgeDeleted(now - retention);
            nextPurgeAt = now + Math.min(retention, 3_600_000L);
            if (purged > 0) {
                log.info("Purged {} delete markers older than {} ms from {}", purged, retention, config.table());
            }
        }
    }

    private void reject(SinkRecord record, Exception reason) {
        if (context.errantRecordReporter() != null) {
            if (metrics != null) {
                metrics.errant();
            }
            if (status != null) {
                status.deadLettered(reason);
            }
        }
        // With the ledger in the target, the offsets are about to move past this record: it must be reported first.
        ErrantRecords.report(context, record, reason, config.offsetsInTarget(), log);
    }

    /** With offsets kept in the target, each assigned partition resumes where the target's ledger says. */
    @Override
    public void open(Collection<TopicPartition> partitions) {
        if (!config.offsetsInTarget()) {
            return;
        }
        Map<TopicPartition, Long> stored = retries.storedOffsets(() -> writer.storedOffsets(partitions));
        if (!stored.isEmpty()) {
            log.info("Resuming from the offsets stored in {}: {}", config.offsetsTable(), stored);
            context.offset(stored);
        }
    }

    @Override
    public void stop() {
        if (status != null) {
            status.close();
        }
        if (writer != null) {
            writer.close();
        }
    }
}
