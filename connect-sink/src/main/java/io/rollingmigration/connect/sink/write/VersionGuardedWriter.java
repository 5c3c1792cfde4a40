package io.rollingmigration.connect.sink.write;

import io.rollingmigration.connect.common.config.JdbcConnectionConfig;
import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.StagedWrites;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.jdbc.DatabaseErrors;
import io.rollingmigration.connect.common.lineage.Lineage;
import io.rollingmigration.connect.common.lineage.Lineage.Field;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Writes batches of changes into the target table, one transaction per batch, every statement guarded by the
 * version: an upsert or delete takes effect only if it is newer than what the row holds.
 */
public final class VersionGuardedWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VersionGuardedWriter.class);
    private static final String VERSION = Field.SOURCE_POSITION.column();
    private static final String APPLIED_AT = Field.APPLIED_AT.column();
    private static final String DELETED_AT = Field.DELETED_AT.column();

    private final JdbcConnectionConfig connectionConfig;
    private final TableId tableId;
    private final SqlDialect dialect;
    private final DeleteMode deleteMode;
    private final OffsetLedger ledger;
    private final Fragment fragment;
    private final StagedWrites staged;
    private final WriteMethod method;
    private final java.util.Set<String> stagesOnConnection = new java.util.HashSet<>();
    private final java.util.Calendar utc = java.util.Calendar.getInstance(java.util.TimeZone.getTimeZone("UTC"));
    private final Map<List<String>, String> upsertSql = new HashMap<>();
    private Connection connection;
    private TargetTable table;

    /**
     * @param ledger where consumed offsets are kept with the rows, or {@code null} to leave offsets to Kafka
     */
    public VersionGuardedWriter(JdbcConnectionConfig connectionConfig, TableId tableId, DeleteMode deleteMode,
                                OffsetLedger ledger) {
        this(connectionConfig, tableId, deleteMode, ledger, null);
    }

    /**
     * @param fragment the column group this writer owns, or {@code null} to write whole rows
     */
    public VersionGuardedWriter(JdbcConnectionConfig connectionConfig, TableId tableId, DeleteMode deleteMode,
                                OffsetLedger ledger, Fragment fragment) {
        this(connectionConfig, tableId, deleteMode, ledger, fragment, WriteMethod.STATEMENTS);
    }

    /**
     * @param method how rows reach the table: upsert statements, or the dialect's bulk path when it has one
     */
    public VersionGuardedWriter(JdbcConnectionConfig connectionConfig, TableId tableId, DeleteMode deleteMode,
                                OffsetLedger ledger, Fragment fragment, WriteMethod method) {
        this.connectionConfig = connectionConfig;
        this.tableId = tableId;
        this.dialect = connectionConfig.dialect();
        this.deleteMode = deleteMode;
        this.ledger = ledger;
        this.fragment = fragment;
        if (method == WriteMethod.COPY && dialect.stagedWrites().isEmpty()) {
            throw new ConnectException("write.method=copy is not available for " + dialect.name());
        }
        this.staged = dialect.stagedWrites().orElse(null);
        this.method = method;
    }

    /**
     * Connects if needed and returns the checked target table.
     *
     * @throws TransientDatabaseException if the database cannot be reached now
     * @throws ConnectException           if the table is missing or lacks lineage columns
     */
    public TargetTable table() throws TransientDatabaseException {
        if (connection == null || table == null) {
            try {
                if (connection == null) {
                    connection = connectionConfig.open();
                    connection.setAutoCommit(false);
                }
                if (table == null) {
                    table = TargetTable.inspect(connection, dialect, tableId, deleteMode, fragment);
                    if (ledger != null) {
                        ledger.ensureTable(connection);
                    }
                }
            } catch (SQLException e) {
                closeQuietly();
                if (DatabaseErrors.isTransient(e)) {
                    throw new TransientDatabaseException("Cannot reach " + connectionConfig + ": "
                            + DatabaseErrors.describe(e), e);
                }
                throw new ConnectException("Cannot use " + connectionConfig + ": " + DatabaseErrors.describe(e), e);
            }
        }
        return table;
    }

    /**
     * Creates the target table from a record's schemas if it does not exist (opt-in, for sandboxes and tests).
     *
     * @throws TransientDatabaseException if the database cannot be reached now
     */
    public void createTableIfMissing(org.apache.kafka.connect.sink.SinkRecord sample)
            throws TransientDatabaseException {
        try {
            if (connection == null) {
                connection = connectionConfig.open();
                connection.setAutoCommit(false);
            }
            if (io.rollingmigration.connect.common.dialect.TableDescription.read(connection, dialect, tableId)
                    .isPresent()) {
                connection.commit();
                return;
            }
            try (Statement statement = connection.createStatement()) {
                for (String sql : TargetTableDesign.statements(dialect, tableId, sample.keySchema(),
                        sample.valueSchema(), fragment)) {
                    statement.execute(sql);
                }
            }
            connection.commit();
            log.info("Created target table {} from the schema of {}", tableId, ChangeReader.origin(sample));
        } catch (SQLException e) {
            rollback(e);
            throw failure(e);
        }
    }

    /**
     * Writes the batch in one transaction. If the database rejects it for bad data, the changes are retried one by
     * one so that only the bad ones are handed to {@code rejected}, with the database's reason.
     */
    public WriteOutcome write(ChangeBatch batch, BiConsumer<TargetChange, Exception> rejected,
                              Map<TopicPartition, Long> nextOffsets) throws TransientDatabaseException {
        if (batch.isEmpty() && (ledger == null || nextOffsets.isEmpty())) {
            return new WriteOutcome();
        }
        table();
        try {
            WriteOutcome outcome = apply(batch.changes());
            recordOffsets(nextOffsets);
            connection.commit();
            return outcome;
        } catch (SQLException e) {
            rollback(e);
            if (!DatabaseErrors.isBadData(e)) {
                throw failure(e);
            }
            log.warn("Batch of {} changes to {} rejected ({}); writing them one by one to find the bad ones",
                    batch.changes().size(), tableId, DatabaseErrors.describe(e));
            WriteOutcome outcome = writeOneByOne(batch.changes(), rejected);
            try {
                recordOffsets(nextOffsets);
                connection.commit();
            } catch (SQLException offsetsFailure) {
                rollback(offsetsFailure);
                throw failure(offsetsFailure);
            }
            return outcome;
        }
    }

    /**
     * The next offsets the ledger holds for these partitions (none when offsets are left to Kafka).
     *
     * @throws TransientDatabaseException if the database cannot be reached now
     */
    public Map<TopicPartition, Long> storedOffsets(Collection<TopicPartition> partitions)
            throws TransientDatabaseException {
        if (ledger == null) {
            return Map.of();
        }
        table();
        try {
            return ledger.read(connection, partitions);
        } catch (SQLException e) {
            rollback(e);
            throw failure(e);
        }
    }

    /**
     * The open connection, for collaborators that read the target on the task's thread (the ownership gate).
     *
     * @throws TransientDatabaseException if the database cannot be reached now
     */
    public Connection connection() throws TransientDatabaseException {
        table();
        return connection;
    }

    /** The value a column holds now in the target row of this change, or {@code null} if there is no row. */
    public Object currentValue(TargetChange change, String column) throws TransientDatabaseException {
        table();
        List<String> keys = change.keyColumns();
        String sql = "SELECT " + dialect.quote(column) + " FROM " + dialect.quote(tableId) + " WHERE "
                + keys.stream().map(k -> dialect.quote(k) + " = ?").collect(java.util.stream.Collectors.joining(" AND "));
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < keys.size(); i++) {
                change.key().values().get(i).bind(statement, i + 1, table.sqlType(keys.get(i)));
            }
            try (java.sql.ResultSet rs = statement.executeQuery()) {
                Object value = rs.next() ? rs.getObject(1) : null;
                connection.commit();
                return value;
            }
        } catch (SQLException e) {
            rollback(e);
            throw failure(e);
        }
    }

    private void recordOffsets(Map<TopicPartition, Long> nextOffsets) throws SQLException {
        if (ledger != null) {
            ledger.record(connection, nextOffsets);
        }
    }

    private WriteOutcome writeOneByOne(Collection<TargetChange> changes,
                                       BiConsumer<TargetChange, Exception> rejected)
            throws TransientDatabaseException {
        WriteOutcome outcome = new WriteOutcome();
        for (TargetChange change : changes) {
            try {
                outcome.add(apply(List.of(change)));
                connection.commit();
            } catch (SQLException e) {
                rollback(e);
                if (!DatabaseErrors.isBadData(e)) {
                    throw failure(e);
                }
                rejected.accept(change, new org.apache.kafka.connect.errors.DataException(change.origin()
                        + " rejected by " + tableId + ": " + DatabaseErrors.describe(e), e));
            }
        }
        return outcome;
    }

    private WriteOutcome apply(Collection<TargetChange> changes) throws SQLException {
        WriteOutcome outcome = new WriteOutcome();
        java.sql.Timestamp appliedAt = new java.sql.Timestamp(System.currentTimeMillis());
        Map<List<String>, List<TargetChange>> upsertsByShape = new LinkedHashMap<>();
        List<TargetChange> deletes = new ArrayList<>();
        for (TargetChange change : changes) {
            if (change.isDelete() && deleteMode == DeleteMode.HARD && (fragment == null || fragment.deletesRow())) {
                deletes.add(change);
            } else {
                List<String> shape = change.isDelete() ? deleteShape(change)
                        : new ArrayList<>(change.columns().keySet());
                upsertsByShape.computeIfAbsent(shape, k -> new ArrayList<>()).add(change);
            }
        }
        for (Map.Entry<List<String>, List<TargetChange>> shape : upsertsByShape.entrySet()) {
            upsert(shape.getKey(), shape.getValue(), appliedAt, outcome);
        }
        if (!deletes.isEmpty()) {
            delete(deletes, outcome);
        }
        return outcome;
    }

    /**
     * Upserts rows of one shape. A soft delete is an upsert too: of the key, the lineage and the delete marker,
     * leaving the business columns as they were (or empty for a row the target never held), under the same
     * version guard. A live change clears the marker.
     */
    private void upsert(List<String> dataColumns, List<TargetChange> changes, java.sql.Timestamp appliedAt,
                        WriteOutcome outcome) throws SQLException {
        List<String> lineageColumns = lineageColumns();
        // A fragment's deletes empty the fragment; only deletes of the whole row leave a marker.
        boolean markers = deleteMode == DeleteMode.SOFT && (fragment == null || fragment.deletesRow());
        List<String> all = new ArrayList<>(dataColumns);
        all.addAll(lineageColumns);
        all.add(VERSION);
        all.add(APPLIED_AT);
        if (markers) {
            all.add(DELETED_AT);
        }
        if (fragment != null) {
            all.add(fragment.versionColumn());
        }
        String guard = fragment != null ? fragment.versionColumn() : VERSION;
        List<String> keys = changes.get(0).keyColumns();
        if (method.stages(changes.size(), staged != null)) {
            stagedUpsert(dataColumns, lineageColumns, all, keys, guard, changes, appliedAt, markers, outcome);
            return;
        }
        int rowsPerStatement = dialect.maxRowsPerUpsert(all.size());
        if (rowsPerStatement <= 1) {
            String sql = upsertSql.computeIfAbsent(shapeKey(dataColumns, 1),
                    k -> dialect.versionGuardedUpsert(tableId, keys, all, guard));
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (TargetChange change : changes) {
                    bindRow(statement, 1, change, dataColumns, lineageColumns, appliedAt, markers);
                    statement.addBatch();
                }
                count(statement.executeBatch(), changes, outcome);
            }
            return;
        }
        // Rows are unique per key after de-duplication, so one statement may carry many of them.
        for (int from = 0; from < changes.size(); from += rowsPerStatement) {
            List<TargetChange> chunk = changes.subList(from, Math.min(changes.size(), from + rowsPerStatement));
            String sql = upsertSql.computeIfAbsent(shapeKey(dataColumns, chunk.size()),
                    k -> dialect.versionGuardedUpsert(tableId, keys, all, guard, chunk.size()));
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int index = 1;
                for (TargetChange change : chunk) {
                    index = bindRow(statement, index, change, dataColumns, lineageColumns, appliedAt, markers);
                }
                outcome.countRows(chunk, statement.executeUpdate());
            }
        }
    }

    /** Streams the rows into the connection's staging table and merges them with one guarded statement. */
    private void stagedUpsert(List<String> dataColumns, List<String> lineageColumns, List<String> all,
                              List<String> keys, String guard, List<TargetChange> changes,
                              java.sql.Timestamp appliedAt, boolean markers, WriteOutcome outcome)
            throws SQLException {
        String stage = "migration_stage_" + Integer.toHexString(all.hashCode());
        if (stagesOnConnection.add(stage)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(staged.createStage(stage, tableId, all));
            }
        }
        StagedWrites.Temporal[] temporal = new StagedWrites.Temporal[all.size()];
        for (int i = 0; i < all.size(); i++) {
            temporal[i] = table.column(all.get(i)).map(staged::temporalOf).orElse(StagedWrites.Temporal.NONE);
        }
        StringBuilder row = new StringBuilder(all.size() * 24);
        java.util.Iterator<TargetChange> remaining = changes.iterator();
        java.util.function.Supplier<CharSequence> rows = () -> {
            if (!remaining.hasNext()) {
                return null;
            }
            row.setLength(0);
            encode(row, remaining.next(), dataColumns, lineageColumns, temporal, appliedAt, markers);
            return row;
        };
        staged.load(connection, stage, all, rows);
        try (Statement statement = connection.createStatement()) {
            outcome.countRows(changes, statement.executeUpdate(staged.mergeStage(stage, tableId, keys, all, guard)));
        }
    }

    /** Encodes one change as a row of the bulk stream. */
    private void encode(StringBuilder row, TargetChange change, List<String> dataColumns, List<String> lineageColumns,
                        StagedWrites.Temporal[] temporal, java.sql.Timestamp appliedAt, boolean markers) {
        int column = 0;
        for (String name : dataColumns) {
            staged.appendValue(row, value(change, name).value(), temporal[column++]);
            row.append(staged.valueSeparator());
        }
        for (String name : lineageColumns) {
            boolean time = Lineage.Kind.TIMESTAMP == kindOf(name);
            staged.appendValue(row, BoundValue.lineage(change.lineage().get(name), time).value(),
                    temporal[column++]);
            row.append(staged.valueSeparator());
        }
        staged.appendValue(row, change.version(), temporal[column++]);
        row.append(staged.valueSeparator());
        staged.appendValue(row, appliedAt, temporal[column++]);
        if (markers) {
            row.append(staged.valueSeparator());
            staged.appendValue(row, change.isDelete() ? deletedAt(change, appliedAt) : null, temporal[column++]);
        }
        if (fragment != null) {
            row.append(staged.valueSeparator());
            staged.appendValue(row, change.version(), temporal[column]);
        }
        row.append(staged.rowSeparator());
    }

    /** What a delete writes: the key, plus in a fragment the fragment's columns, which it empties. */
    private List<String> deleteShape(TargetChange change) {
        List<String> shape = new ArrayList<>(change.keyColumns());
        if (fragment != null) {
            shape.addAll(fragment.columns());
        }
        return shape;
    }

    private static List<String> shapeKey(List<String> dataColumns, int rows) {
        List<String> key = new ArrayList<>(dataColumns);
        key.add("#rows=" + rows);
        return key;
    }

    /** Binds one row's parameters from {@code index}; returns the index after them. */
    private int bindRow(PreparedStatement statement, int index, TargetChange change, List<String> dataColumns,
                        List<String> lineageColumns, java.sql.Timestamp appliedAt, boolean markers)
            throws SQLException {
        for (String column : dataColumns) {
            value(change, column).bind(statement, index++, table.sqlType(column));
        }
        for (String column : lineageColumns) {
            boolean time = Lineage.Kind.TIMESTAMP == kindOf(column);
            BoundValue.lineage(change.lineage().get(column), time).bind(statement, index++, table.sqlType(column));
        }
        statement.setLong(index++, change.version());
        statement.setTimestamp(index++, appliedAt, utc);
        if (markers) {
            if (change.isDelete()) {
                statement.setTimestamp(index++, deletedAt(change, appliedAt), utc);
            } else {
                statement.setNull(index++, table.sqlType(DELETED_AT));
            }
        }
        if (fragment != null) {
            statement.setLong(index++, change.version());
        }
        return index;
    }

    private static void count(int[] updateCounts, List<TargetChange> changes, WriteOutcome outcome) {
        for (int i = 0; i < changes.size(); i++) {
            outcome.count(changes.get(i), i < updateCounts.length ? updateCounts[i] : Statement.SUCCESS_NO_INFO);
        }
    }

    private static BoundValue value(TargetChange change, String column) {
        if (change.isDelete()) {
            int keyIndex = change.key().columns().indexOf(column);
            // A fragment's delete empties the fragment's columns.
            return keyIndex >= 0 ? change.key().values().get(keyIndex) : BoundValue.NULL;
        }
        return change.columns().get(column);
    }

    /** When the legacy row was deleted: its commit time if the change carries it, else now. */
    private static java.sql.Timestamp deletedAt(TargetChange change, java.sql.Timestamp appliedAt) {
        Object committed = change.lineage().get(Field.SOURCE_COMMIT_TIME.column());
        return committed instanceof Number ? new java.sql.Timestamp(((Number) committed).longValue()) : appliedAt;
    }

    private void delete(List<TargetChange> deletes, WriteOutcome outcome) throws SQLException {
        List<String> keyColumns = deletes.get(0).keyColumns();
        try (PreparedStatement statement = connection.prepareStatement(
                dialect.versionGuardedDelete(tableId, keyColumns, fragment != null ? fragment.versionColumn()
                        : VERSION))) {
            for (TargetChange change : deletes) {
                int index = 1;
                for (String column : keyColumns) {
                    value(change, column).bind(statement, index++, table.sqlType(column));
                }
                statement.setLong(index, change.version());
                statement.addBatch();
            }
            count(statement.executeBatch(), deletes, outcome);
        }
    }

    /**
     * Removes soft-delete markers older than {@code cutoffMillis}; returns how many.
     *
     * @throws TransientDatabaseException if the database cannot be reached now
     */
    public int purgeDeleted(long cutoffMillis) throws TransientDatabaseException {
        table();
        try (PreparedStatement statement = connection.prepareStatement(dialect.purgeDeleted(tableId, DELETED_AT))) {
            statement.setTimestamp(1, new java.sql.Timestamp(cutoffMillis), utc);
            int purged = statement.executeUpdate();
            connection.commit();
            return purged;
        } catch (SQLException e) {
            rollback(e);
            throw failure(e);
        }
    }

    /** Lineage columns filled from headers: all but the version and applied-at, which the writer sets. */
    private static List<String> lineageColumns() {
        List<String> columns = new ArrayList<>();
        for (Field field : Lineage.headerFields()) {
            if (field != Field.SOURCE_POSITION) {
                columns.add(field.column());
            }
        }
        return columns;
    }

    private static Lineage.Kind kindOf(String column) {
        for (Field field : Field.values()) {
            if (field.column().equals(column)) {
                return field.kind();
            }
        }
        throw new IllegalArgumentException(column);
    }

    private TransientDatabaseException transientFailure(SQLException e) {
        closeQuietly();
        return new TransientDatabaseException("Writing to " + tableId + " failed for now: "
                + DatabaseErrors.describe(e), e);
    }

    /** A transient error becomes a retry; anything else stops the task with the database's reason. */
    private TransientDatabaseException failure(SQLException e) {
        if (DatabaseErrors.isTransient(e) || isClosed()) {
            return transientFailure(e);
        }
        throw new ConnectException("Writing to " + tableId + " failed: " + DatabaseErrors.describe(e), e);
    }

    private boolean isClosed() {
        try {
            return connection == null || connection.isClosed() || !connection.isValid(2);
        } catch (SQLException e) {
            return true;
        }
    }

    private void rollback(SQLException cause) {
        // A staging table created in the rolled-back transaction is gone with it.
        stagesOnConnection.clear();
        try {
            if (connection != null && !connection.isClosed()) {
                connection.rollback();
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
            closeQuietly();
        }
    }

    private void closeQuietly() {
        stagesOnConnection.clear();
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("Closing the connection to {} failed", tableId, e);
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
