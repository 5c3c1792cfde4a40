package io.rollingmigration.connect.sink.write;

import io.rollingmigration.connect.common.config.JdbcConnectionConfig;
import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.StagedWrites;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.lane.LaneTransactions;
import io.rollingmigration.connect.common.lineage.Lineage.Field;
import io.rollingmigration.connect.sink.write.TargetSession.RejectedData;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.function.BiConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes batches of changes into the target table, one transaction per batch, every statement guarded by the
 * version: an upsert or delete takes effect only if it is newer than what the row holds.
 */
public final class VersionGuardedWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VersionGuardedWriter.class);
    private static final String DELETED_AT = Field.DELETED_AT.column();

    /** Where and how a writer writes. */
    public record Target(
            JdbcConnectionConfig connection,
            TableId table,
            DeleteMode deleteMode,
            OffsetLedger ledger,
            Fragment fragment,
            WriteMethod method,
            LaneTransactions lanes) {

        /**
         * @param ledger   where consumed offsets are kept with the rows, or {@code null} to leave offsets to Kafka
         * @param fragment the column group this writer owns, or {@code null} to write whole rows
         * @param method   how rows reach the table: upsert statements, or the dialect's bulk path when it has one
         * @param lanes    where each transaction is recorded for the write-back lane's echo filter, or {@code null}
         */
        public Target {
            if (method == WriteMethod.COPY
                    && connection.dialect().stagedWrites().isEmpty()) {
                throw new ConnectException("write.method=copy is not available for "
                        + connection.dialect().name());
            }
        }

        /** A target without a write-back lane beside it. */
        public Target(
                JdbcConnectionConfig connection,
                TableId table,
                DeleteMode deleteMode,
                OffsetLedger ledger,
                Fragment fragment,
                WriteMethod method) {
            this(connection, table, deleteMode, ledger, fragment, method, null);
        }
    }

    private final Target target;
    private final SqlDialect dialect;
    private final TableId tableId;
    private final StagedUpsert staged;
    private final TargetSession session;
    private final boolean markers;
    private final Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
    private final Map<List<String>, RowShape> shapes = new HashMap<>();
    private final Map<Upsert, String> upsertSql = new HashMap<>();
    private TargetTable table;

    public VersionGuardedWriter(Target target) {
        this.target = target;
        this.dialect = target.connection().dialect();
        this.tableId = target.table();
        StagedWrites bulk = dialect.stagedWrites().orElse(null);
        this.staged = bulk == null ? null : new StagedUpsert(bulk, tableId);
        // A staging table lives on its connection: a new connection has none.
        this.session = new TargetSession(target.connection(), tableId, staged == null ? () -> {} : staged);
        // A fragment's deletes empty the fragment; only deletes of the whole row leave a marker.
        this.markers = target.deleteMode() == DeleteMode.SOFT && deletesRows();
    }

    /**
     * Connects if needed and returns the checked target table.
     *
     * @throws TransientDatabaseException if the database cannot be reached now
     * @throws ConnectException           if the table is missing or lacks lineage columns
     */
    public TargetTable table() throws TransientDatabaseException {
        if (table == null) {
            table = session.transaction(connection -> {
                TargetTable inspected =
                        TargetTable.inspect(connection, dialect, tableId, target.deleteMode(), target.fragment());
                if (target.ledger() != null) {
                    target.ledger().ensureTable(connection);
                }
                if (target.lanes() != null) {
                    target.lanes().ensureTable(connection);
                }
                return inspected;
            });
        }
        return table;
    }

    /**
     * Creates the target table from a record's schemas if it does not exist (opt-in, for sandboxes and tests).
     *
     * @throws TransientDatabaseException if the database cannot be reached now
     */
    public void createTableIfMissing(SinkRecord sample) throws TransientDatabaseException {
        boolean created = session.transaction(connection -> TargetTableDesign.createIfMissing(
                connection, dialect, tableId, sample.keySchema(), sample.valueSchema(), target.fragment()));
        if (created) {
            LOG.info("Created target table {} from the schema of {}", tableId, ChangeReader.origin(sample));
        }
    }

    /**
     * Writes the batch in one transaction. If the database rejects it for bad data, the changes are retried one by
     * one so that only the bad ones are handed to {@code rejected}, with the database's reason.
     */
    public WriteOutcome write(
            ChangeBatch batch, BiConsumer<TargetChange, Exception> rejected, Map<TopicPartition, Long> nextOffsets)
            throws TransientDatabaseException {
        if (batch.isEmpty() && (target.ledger() == null || nextOffsets.isEmpty())) {
            return new WriteOutcome();
        }
        table();
        try {
            return session.batch(connection -> {
                WriteOutcome outcome = apply(connection, batch.changes());
                recordOffsets(connection, nextOffsets);
                return outcome;
            });
        } catch (RejectedData e) {
            LOG.warn(
                    "Batch of {} changes to {} rejected ({}); writing them one by one to find the bad ones",
                    batch.changes().size(),
                    tableId,
                    e.getMessage());
        }
        WriteOutcome outcome = writeOneByOne(batch.changes(), rejected);
        session.transaction(connection -> {
            recordOffsets(connection, nextOffsets);
            return null;
        });
        return outcome;
    }

    /**
     * The next offsets the ledger holds for these partitions (none when offsets are left to Kafka).
     *
     * @throws TransientDatabaseException if the database cannot be reached now
     */
    public Map<TopicPartition, Long> storedOffsets(Collection<TopicPartition> partitions)
            throws TransientDatabaseException {
        if (target.ledger() == null) {
            return Map.of();
        }
        table();
        return session.transaction(connection -> target.ledger().read(connection, partitions));
    }

    /**
     * The open connection, for collaborators that read the target on the task's thread (the ownership gate).
     *
     * @throws TransientDatabaseException if the database cannot be reached now
     */
    public Connection connection() throws TransientDatabaseException {
        table();
        return session.connection();
    }

    /** The value a column holds now in the target row of this change, or {@code null} if there is no row. */
    public Object currentValue(TargetChange change, String column) throws TransientDatabaseException {
        table();
        List<String> keys = change.keyColumns();
        String sql = dialect.selectWhere(tableId, List.of(column), keys);
        return session.transaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < keys.size(); i++) {
                    change.key().values().get(i).bind(statement, i + 1, table.sqlType(keys.get(i)));
                }
                try (ResultSet rs = statement.executeQuery()) {
                    return rs.next() ? rs.getObject(1) : null;
                }
            }
        });
    }

    /**
     * Removes soft-delete markers older than {@code cutoffMillis}; returns how many.
     *
     * @throws TransientDatabaseException if the database cannot be reached now
     */
    public int purgeDeleted(long cutoffMillis) throws TransientDatabaseException {
        table();
        return session.transaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(dialect.purgeDeleted(tableId, DELETED_AT))) {
                statement.setTimestamp(1, new Timestamp(cutoffMillis), utc);
                return statement.executeUpdate();
            }
        });
    }

    private void recordOffsets(Connection connection, Map<TopicPartition, Long> nextOffsets) throws SQLException {
        if (target.ledger() != null) {
            target.ledger().record(connection, nextOffsets);
        }
    }

    private WriteOutcome writeOneByOne(Collection<TargetChange> changes, BiConsumer<TargetChange, Exception> rejected)
            throws TransientDatabaseException {
        WriteOutcome outcome = new WriteOutcome();
        for (TargetChange change : changes) {
            try {
                outcome.add(session.batch(connection -> apply(connection, List.of(change))));
            } catch (RejectedData e) {
                rejected.accept(
                        change,
                        new DataException(
                                change.origin() + " rejected by " + tableId + ": " + e.getMessage(), e.getCause()));
            }
        }
        return outcome;
    }

    private boolean deletesRows() {
        return target.fragment() == null || target.fragment().deletesRow();
    }

    private WriteOutcome apply(Connection connection, Collection<TargetChange> changes) throws SQLException {
        WriteOutcome outcome = new WriteOutcome();
        Timestamp appliedAt = new Timestamp(System.currentTimeMillis());
        Map<RowShape, List<TargetChange>> upsertsByShape = new LinkedHashMap<>();
        List<TargetChange> deletes = new ArrayList<>();
        for (TargetChange change : changes) {
            if (change.isDelete() && target.deleteMode() == DeleteMode.HARD && deletesRows()) {
                deletes.add(change);
            } else {
                upsertsByShape
                        .computeIfAbsent(shapeOf(change), k -> new ArrayList<>())
                        .add(change);
            }
        }
        for (Map.Entry<RowShape, List<TargetChange>> shape : upsertsByShape.entrySet()) {
            upsert(connection, shape.getKey(), shape.getValue(), appliedAt, outcome);
        }
        if (!deletes.isEmpty()) {
            delete(connection, deletes, outcome);
        }
        if (target.lanes() != null && !changes.isEmpty()) {
            // The write-back lane reads this transaction's changes of the service's table: they are its echoes.
            LaneTransactions lanes = target.lanes();
            lanes.record(
                    connection,
                    LaneTransactions.Lane.FORWARD,
                    LaneTransactions.currentTransactionId(connection, dialect),
                    appliedAt.getTime());
        }
        return outcome;
    }

    /** The changes among these that the write-back lane made in legacy: its echoes, not to be applied. */
    public Set<LaneTransactions.Candidate> writebackEchoes(Collection<LaneTransactions.Candidate> candidates)
            throws TransientDatabaseException {
        if (target.lanes() == null || candidates.isEmpty()) {
            return Set.of();
        }
        table();
        return session.transaction(
                connection -> target.lanes().committedBy(connection, LaneTransactions.Lane.WRITEBACK, candidates));
    }

    /**
     * The shape of a change's upsert. A soft delete is an upsert too: of the key, the lineage and the delete marker
     * (in a fragment: the fragment's columns, which it empties), under the same version guard.
     */
    private RowShape shapeOf(TargetChange change) {
        List<String> data;
        if (change.isDelete()) {
            data = new ArrayList<>(change.keyColumns());
            if (target.fragment() != null) {
                data.addAll(target.fragment().columns());
            }
        } else {
            data = new ArrayList<>(change.columns().keySet());
        }
        return shapes.computeIfAbsent(
                data, columns -> new RowShape(columns, change.keyColumns(), markers, target.fragment()));
    }

    /** Upserts rows of one shape, staged in bulk where the method asks for it. A live change clears the marker. */
    private void upsert(
            Connection connection,
            RowShape shape,
            List<TargetChange> changes,
            Timestamp appliedAt,
            WriteOutcome outcome)
            throws SQLException {
        if (target.method().stages(changes.size(), staged != null)) {
            staged.upsert(connection, shape, changes, appliedAt, table, outcome);
            return;
        }
        int rowsPerStatement = dialect.maxRowsPerUpsert(shape.columns().size());
        if (rowsPerStatement <= 1) {
            String sql = upsertSql.computeIfAbsent(
                    new Upsert(shape, 1),
                    k -> dialect.versionGuardedUpsert(
                            tableId, shape.keyColumns(), shape.columns(), shape.guardColumn()));
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (TargetChange change : changes) {
                    shape.bind(statement, 1, change, appliedAt, table);
                    statement.addBatch();
                }
                count(statement.executeBatch(), changes, outcome);
            }
            return;
        }
        // Rows are unique per key after de-duplication, so one statement may carry many of them.
        for (int from = 0; from < changes.size(); from += rowsPerStatement) {
            List<TargetChange> chunk = changes.subList(from, Math.min(changes.size(), from + rowsPerStatement));
            String sql = upsertSql.computeIfAbsent(
                    new Upsert(shape, chunk.size()),
                    k -> dialect.versionGuardedUpsert(
                            tableId, shape.keyColumns(), shape.columns(), shape.guardColumn(), chunk.size()));
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int index = 1;
                for (TargetChange change : chunk) {
                    index = shape.bind(statement, index, change, appliedAt, table);
                }
                outcome.countRows(chunk, statement.executeUpdate());
            }
        }
    }

    /** An upsert statement of one shape carrying this many rows (shapes are made once, so they key by identity). */
    private record Upsert(RowShape shape, int rows) {}

    private void delete(Connection connection, List<TargetChange> deletes, WriteOutcome outcome) throws SQLException {
        List<String> keyColumns = deletes.get(0).keyColumns();
        String guard = RowShape.guardColumn(target.fragment());
        try (PreparedStatement statement =
                connection.prepareStatement(dialect.versionGuardedDelete(tableId, keyColumns, guard))) {
            for (TargetChange change : deletes) {
                int index = 1;
                for (String column : keyColumns) {
                    RowShape.value(change, column).bind(statement, index++, table.sqlType(column));
                }
                statement.setLong(index, change.version());
                statement.addBatch();
            }
            count(statement.executeBatch(), deletes, outcome);
        }
    }

    private static void count(int[] updateCounts, List<TargetChange> changes, WriteOutcome outcome) {
        for (int i = 0; i < changes.size(); i++) {
            outcome.count(changes.get(i), i < updateCounts.length ? updateCounts[i] : Statement.SUCCESS_NO_INFO);
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
