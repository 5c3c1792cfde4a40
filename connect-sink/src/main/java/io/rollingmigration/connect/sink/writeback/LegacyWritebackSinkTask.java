package io.rollingmigration.connect.sink.writeback;

import io.rollingmigration.connect.common.PluginVersion;
import io.rollingmigration.connect.common.config.HandOverConfig;
import io.rollingmigration.connect.common.config.RetryPolicy;
import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.TableDescription;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.lane.IdMapping;
import io.rollingmigration.connect.common.lane.LaneTransactions;
import io.rollingmigration.connect.common.ownership.Owner;
import io.rollingmigration.connect.common.ownership.OwnershipGate;
import io.rollingmigration.connect.common.spec.LegacyColumns;
import io.rollingmigration.connect.common.spec.MappingSpec;
import io.rollingmigration.connect.common.spec.SpecException;
import io.rollingmigration.connect.common.spec.WritebackTranslator;
import io.rollingmigration.connect.common.status.StatusConfig;
import io.rollingmigration.connect.common.status.StatusReport;
import io.rollingmigration.connect.sink.metrics.SinkMetrics;
import io.rollingmigration.connect.sink.ownership.HandOverDuty;
import io.rollingmigration.connect.sink.status.SinkStatus;
import io.rollingmigration.connect.sink.write.BatchRetries;
import io.rollingmigration.connect.sink.write.ErrantRecords;
import io.rollingmigration.connect.sink.write.OffsetLedger;
import io.rollingmigration.connect.sink.write.TargetSession;
import io.rollingmigration.connect.sink.write.TransientDatabaseException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-back loop: read each change of the service's table, drop the forward lane's own writes (its echoes),
 * keep the changes of partitions the service owns (a service write in a partition legacy still owns is reported,
 * not written), and write the batch into legacy in one transaction with the consumed offsets. Offsets live in
 * legacy, so a restart resumes exactly where the last committed batch ended.
 */
public class LegacyWritebackSinkTask extends SinkTask {

    private static final Logger log = LoggerFactory.getLogger(LegacyWritebackSinkTask.class);

    private LegacyWritebackSinkConfig config;
    private TargetSession legacy;
    private TargetSession service;
    private OwnershipGate gate;
    private LaneTransactions lanes;
    private OffsetLedger ledger;
    private LegacyWriteback writeback;
    private IdMapping idMapping;
    private String ownershipField;
    private String keyField;
    private BatchRetries retries;
    private SinkStatus status;
    private SinkMetrics metrics;
    private long nextPurgeAt;
    private HandOverDuty handOver;
    private ForwardCatchUp catchUp;
    private long nextHoldLogAt;

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new LegacyWritebackSinkConfig(props);
        String connector = props.getOrDefault("name", "unnamed");
        legacy = new TargetSession(config.legacy(), config.offsetsTable(), () -> {});
        service = new TargetSession(config.service(), config.laneTransactionsTable(), () -> {});
        SqlDialect serviceDialect = config.service().dialect();
        lanes = new LaneTransactions(serviceDialect, config.laneTransactionsTable(), connector);
        ledger = new OffsetLedger(config.legacy().dialect(), config.offsetsTable(), connector);
        idMapping = new IdMapping(config.legacy().dialect(), config.idMappingTable());
        gate = new OwnershipGate(
                serviceDialect, config.ownershipTable(), config.ownershipUnit(), config.ownershipRefresh(), () -> {
                    try {
                        return service.connection();
                    } catch (TransientDatabaseException e) {
                        throw new OwnershipGate.OwnershipLookupFailure(e.getMessage(), e.getCause());
                    }
                });
        handOver = HandOverDuty.of(
                        config,
                        props,
                        serviceDialect,
                        gate,
                        LaneTransactions.Lane.WRITEBACK,
                        Owner.LEGACY,
                        config.ownershipRefresh().toMillis())
                .orElse(null);
        if (handOver != null) {
            catchUp = new ForwardCatchUp(
                    handOver,
                    config.ownershipUnit(),
                    HandOverConfig.settleMillis(config),
                    HandOverConfig.holdMaxMillis(config),
                    config.ownershipRefresh().toMillis());
        }
        retries = new BatchRetries(RetryPolicy.Settings.from(config), log);
        metrics = SinkMetrics.of(context.pluginMetrics());
        if (metrics != null) {
            metrics.watch(retries);
        }
        status = SinkStatus.publish(
                StatusReport.Kind.WRITEBACK,
                StatusConfig.from(config, null, null),
                props,
                config.ownershipUnit(),
                config.aggregate());
        log.info("Writing {} back into {}", config.aggregate(), config.legacy());
    }

    /** Describes the legacy tables, compiles the specs against them and creates the bookkeeping tables. */
    private void prepare() throws TransientDatabaseException {
        if (writeback != null) {
            return;
        }
        SqlDialect dialect = config.legacy().dialect();
        List<MappingSpec> specs = WritebackSpecs.parse(config.specs());
        // Described in the legacy transaction, so that an outage here is retried like any other.
        Map<String, TableDescription> described = legacy.transaction(db -> {
            ensureBookkeeping(db);
            Map<String, TableDescription> found = new HashMap<>();
            for (MappingSpec spec : specs) {
                describe(db, dialect, spec.source(), found);
            }
            return found;
        });
        List<WritebackTranslator> translators;
        try {
            translators =
                    WritebackSpecs.compile(specs, config.aggregate(), table -> LegacyColumns.of(described.get(table)));
        } catch (SpecException e) {
            throw new ConnectException("The mapping spec cannot be written back into legacy: " + e.getMessage());
        }
        // The tables written, in the order the writer needs them: parents first, as the specs are given.
        Map<String, TableDescription> written = legacy.transaction(db -> {
            Map<String, TableDescription> ordered = new LinkedHashMap<>();
            for (WritebackTranslator translator : translators) {
                ordered.put(translator.table(), describe(db, dialect, translator.table(), described));
            }
            return ordered;
        });
        service.transaction(db -> {
            lanes.ensureTable(db);
            gate.ensureTable(db);
            return null;
        });
        ownershipField = translators.get(0).ownershipField();
        keyField = translators.get(0).keyField();
        writeback = new LegacyWriteback(
                dialect,
                legacy,
                service,
                translators,
                new LegacyRowWriter(dialect, written),
                idMapping,
                ledger,
                lanes,
                System::currentTimeMillis);
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        retries.awaitBackoff();
        if (records.isEmpty()) {
            handOverBookkeeping(List.of(), 0);
            return;
        }
        try {
            prepare();
            long started = System.currentTimeMillis();
            Map<TopicPartition, Long> nextOffsets = new HashMap<>();
            List<ServiceChange> changes = new ArrayList<>(records.size());
            List<Rejection> rejections = new ArrayList<>();
            for (SinkRecord record : records) {
                nextOffsets.merge(
                        new TopicPartition(record.topic(), record.kafkaPartition()),
                        record.kafkaOffset() + 1,
                        Math::max);
                try {
                    ServiceChange change = ServiceChange.read(record);
                    if (change != null) {
                        changes.add(change);
                    }
                } catch (DataException e) {
                    rejections.add(new Rejection(record, e));
                }
            }
            List<ServiceChange> owned = ownedNonEchoes(changes, rejections);
            // Before anything is reported: a held batch comes again, and its rejections with it.
            holdWhileForwardLaneCatchesUp(owned);
            rejections.forEach(r -> reject(r.record(), r.reason()));
            LegacyWriteback.Outcome outcome =
                    writeback.write(owned, (change, reason) -> reject(change.record(), reason), nextOffsets);
            long now = System.currentTimeMillis();
            if (metrics != null) {
                metrics.batch(records.size(), now - started, outcome.applied(), outcome.stale(), outcome.deleted());
                owned.stream()
                        .mapToLong(ServiceChange::committedAtMillis)
                        .max()
                        .ifPresent(committed -> metrics.lag(now - committed));
            }
            if (status != null) {
                status.batch(
                        records.size(),
                        outcome.applied(),
                        outcome.stale(),
                        0,
                        0,
                        owned.stream().map(ServiceChange::committedAtMillis).toList(),
                        now);
            }
            log.debug(
                    "Wrote back {} of {} changes: {} applied, {} stale, {} deleted, {} new legacy rows",
                    owned.size(),
                    records.size(),
                    outcome.applied(),
                    outcome.stale(),
                    outcome.deleted(),
                    outcome.created());
            purgeLaneTransactionsIfDue();
            retries.succeeded();
            handOverBookkeeping(owned, records.size());
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
     * The changes to write: not the forward lane's own writes, and only in partitions the service owns. A service
     * write in a partition legacy owns is reported as SERVICE_WRITE_BEFORE_CUTOVER and not written; a snapshot read
     * there is the store's state when the capture began, no write, and is passed over.
     */
    private List<ServiceChange> ownedNonEchoes(List<ServiceChange> changes, List<Rejection> rejections)
            throws TransientDatabaseException {
        List<LaneTransactions.Candidate> candidates = new ArrayList<>();
        changes.forEach(change -> change.transactionId().ifPresent(id -> candidates.add(change.candidate())));
        Set<LaneTransactions.Candidate> echoes = candidates.isEmpty()
                ? Set.of()
                : service.transaction(db -> lanes.committedBy(db, LaneTransactions.Lane.FORWARD, candidates));
        List<ServiceChange> owned = new ArrayList<>(changes.size());
        for (ServiceChange change : changes) {
            if (change.transactionId().isPresent() && echoes.contains(change.candidate())) {
                if (metrics != null) {
                    metrics.echo();
                }
                if (status != null) {
                    status.echo();
                }
                continue;
            }
            Object partition = ownershipField == null ? null : change.row().get(ownershipField);
            // Judged as of the change's commit: a service write in flight when the partition was handed back to
            // legacy is still written back.
            if (gate.ownerAt(partition == null ? null : partition.toString(), change.committedAtMillis())
                    == Owner.TARGET) {
                owned.add(change);
            } else if (!"r".equals(change.op())) {
                if (metrics != null) {
                    metrics.blocked();
                }
                if (status != null) {
                    status.blocked();
                }
                rejections.add(new Rejection(
                        change.record(),
                        new DataException("SERVICE_WRITE_BEFORE_CUTOVER: the service changed " + config.aggregate()
                                + " " + change.row().get(keyField) + " in partition "
                                + ownershipField + "=" + partition + ", whose writes legacy still owns; the change "
                                + "was not written back")));
            }
        }
        return owned;
    }

    /** A record that goes to the dead letter queue, and why. */
    private record Rejection(SinkRecord record, Exception reason) {}

    /**
     * Holds the whole batch (Connect delivers it again shortly) while a change in it belongs to a partition just
     * moved to TARGET whose legacy changes before the move the forward lane has not applied yet.
     */
    private void holdWhileForwardLaneCatchesUp(List<ServiceChange> owned) throws TransientDatabaseException {
        if (catchUp == null || owned.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        String reason = service.transaction(db -> {
            for (ServiceChange change : owned) {
                Object partition = ownershipField == null ? null : change.row().get(ownershipField);
                String held = catchUp.holdReason(
                        db, partition == null ? "*" : partition.toString(), change.committedAtMillis(), now);
                if (held != null) {
                    return held;
                }
            }
            return null;
        });
        if (reason == null) {
            return;
        }
        if (now >= nextHoldLogAt) {
            log.info("{}; the batch is delivered again in {} ms", reason, HOLD_RETRY_MILLIS);
            nextHoldLogAt = now + 10_000;
        }
        context.timeout(HOLD_RETRY_MILLIS);
        throw new RetriableException(reason);
    }

    private static final long HOLD_RETRY_MILLIS = 1_000;

    /**
     * Reports the lane's progress (the changes written back, and whether the batch drained the partitions) and decides
     * the moves back to LEGACY that are due. Advisory bookkeeping beside the data: a failure is logged and tried
     * again with the next batch.
     */
    private void handOverBookkeeping(List<ServiceChange> written, int batchSize) {
        if (handOver == null) {
            return;
        }
        long now = System.currentTimeMillis();
        try {
            service.transaction(db -> {
                handOver.report(
                        db,
                        HandOverDuty.newestOf(
                                written, ServiceChange::record, ServiceChange::committedAtMillis, change -> null),
                        batchSize,
                        context.assignment(),
                        now);
                handOver.decideDue(db, now);
                return null;
            });
        } catch (TransientDatabaseException | ConnectException | OwnershipGate.OwnershipLookupFailure e) {
            log.warn("Hand-over bookkeeping postponed, tried again with the next batch: {}", e.getMessage());
        }
    }

    /** A legacy table's description, read once; a table legacy lacks stops the task with its name. */
    private static TableDescription describe(
            Connection db, SqlDialect dialect, String table, Map<String, TableDescription> known) throws SQLException {
        TableDescription description = known.get(table);
        if (description == null) {
            description = TableDescription.read(db, dialect, TableId.parse(table))
                    .orElseThrow(() -> new ConnectException("The mapping spec names legacy table " + table
                            + ", which the legacy database does not have"));
            known.put(table, description);
        }
        return description;
    }

    /**
     * The lane's schema in legacy, its offset ledger and the id mapping, made when partitions are assigned: the
     * forward lane's MapId reads the id mapping from its start.
     */
    private void ensureBookkeeping(Connection db) throws SQLException {
        try (Statement statement = db.createStatement()) {
            statement.execute(config.legacy().dialect().createSchemaIfMissing(config.bookkeepingSchema()));
        }
        ledger.ensureTable(db);
        db.commit();
        idMapping.ensureTable(db);
    }

    private void purgeLaneTransactionsIfDue() throws TransientDatabaseException {
        long now = System.currentTimeMillis();
        if (now < nextPurgeAt) {
            return;
        }
        long retention = config.laneTransactionsRetentionMillis();
        int purged = service.transaction(db -> lanes.purge(db, now - retention));
        nextPurgeAt = now + Math.min(retention, 3_600_000L);
        if (purged > 0) {
            log.info("Forgot {} lane transactions older than {} ms", purged, retention);
        }
    }

    /** Every rejected change goes to the dead letter queue before the ledger moves past it. */
    private void reject(SinkRecord record, Exception reason) {
        if (context.errantRecordReporter() != null) {
            if (metrics != null) {
                metrics.errant();
            }
            if (status != null) {
                status.deadLettered(reason);
            }
        }
        ErrantRecords.report(context, record, reason, true, log);
    }

    /** Each assigned partition resumes where legacy's ledger says. */
    @Override
    public void open(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> stored = retries.storedOffsets(() -> legacy.transaction(db -> {
            ensureBookkeeping(db);
            return ledger.read(db, partitions);
        }));
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
        if (legacy != null) {
            legacy.close();
        }
        if (service != null) {
            service.close();
        }
    }
}
