package io.rollingmigration.connect.reconcile.sweep;

import io.rollingmigration.connect.common.config.JdbcConnectionConfig;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.lineage.SourceKey;
import io.rollingmigration.connect.reconcile.drift.Drift;
import io.rollingmigration.connect.reconcile.drift.DriftKind;
import io.rollingmigration.connect.reconcile.drift.FieldDifference;
import io.rollingmigration.connect.reconcile.drift.RunSummary;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One pass over both tables: two key-ordered cursors merged like a sorted-merge join. Each step reads at most a
 * bounded number of keys, so a sweep of any size proceeds in small pieces and never holds more than a chunk per
 * side. Both connections are read-only: the legacy store is never locked or written.
 */
public final class Sweep implements AutoCloseable {

    private final String runId;
    private final Connection legacyConnection;
    private final Connection targetConnection;
    private final SweepPlan plan;
    private final TableCursor legacy;
    private final TableCursor target;
    private final long startedAt;
    private long matched;
    private long missing;
    private long unexpected;
    private long mismatched;

    private Sweep(String runId, Connection legacyConnection, Connection targetConnection, SweepPlan plan,
                  TableCursor legacy, TableCursor target, long startedAt) {
        this.runId = runId;
        this.legacyConnection = legacyConnection;
        this.targetConnection = targetConnection;
        this.plan = plan;
        this.legacy = legacy;
        this.target = target;
        this.startedAt = startedAt;
    }

    /** Connects to both databases and resolves what to compare. */
    public static Sweep start(String runId, JdbcConnectionConfig legacyDb, TableId legacyTable,
                              JdbcConnectionConfig targetDb, TableId targetTable, List<String> keyColumns,
                              List<String> compareColumns, int chunkSize, long now) throws SQLException {
        Connection legacyConnection = readOnly(legacyDb);
        Connection targetConnection = null;
        try {
            targetConnection = readOnly(targetDb);
            SweepPlan plan = SweepPlan.resolve(legacyConnection, legacyDb.dialect(), legacyTable, targetConnection,
                    targetDb.dialect(), targetTable, keyColumns, compareColumns);
            TableCursor legacy = new TableCursor(legacyConnection, legacyDb.dialect(), legacyTable, plan.legacyKey,
                    plan.compared, chunkSize, null);
            TableCursor target = new TableCursor(targetConnection, targetDb.dialect(), targetTable, plan.targetKey,
                    plan.compared, chunkSize, plan.targetDeletedAt);
            return new Sweep(runId, legacyConnection, targetConnection, plan, legacy, target, now);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(legacyConnection);
            closeQuietly(targetConnection);
            throw e;
        }
    }

    /** Merges up to {@code maxKeys} keys and returns the differences among them. */
    public List<Drift> step(int maxKeys) throws SQLException {
        List<Drift> drift = new ArrayList<>();
        for (int i = 0; i < maxKeys; i++) {
            Row left = legacy.peek();
            Row right = target.peek();
            if (left == null && right == null) {
                break;
            }
            int order = left == null ? 1 : right == null ? -1 : KeyOrder.INSTANCE.compare(left.key(), right.key());
            if (order < 0) {
                legacy.next();
                missing++;
                drift.add(new Drift(DriftKind.MISSING_IN_TARGET, legacyKey(left), List.of()));
            } else if (order > 0) {
                target.next();
                unexpected++;
                drift.add(new Drift(DriftKind.UNEXPECTED_IN_TARGET, legacyKey(right), List.of()));
            } else {
                legacy.next();
                target.next();
                List<FieldDifference> fields = differingFields(left, right);
                if (fields.isEmpty()) {
                    matched++;
                } else {
                    mismatched++;
                    drift.add(new Drift(DriftKind.FIELD_MISMATCH, legacyKey(left), fields));
                }
            }
        }
        return drift;
    }

    public boolean finished() throws SQLException {
        return legacy.peek() == null && target.peek() == null;
    }

    public RunSummary summary(long now) {
        return new RunSummary(runId, legacy.rowsRead(), target.rowsRead(), matched, missing, unexpected, mismatched,
                startedAt, now);
    }

    public String runId() {
        return runId;
    }

    private List<FieldDifference> differingFields(Row legacyRow, Row targetRow) {
        List<FieldDifference> fields = new ArrayList<>();
        for (String column : plan.compared) {
            Object expected = legacyRow.values().get(column);
            Object actual = targetRow.values().get(column);
            if (!ValueEquality.same(expected, actual)) {
                fields.add(new FieldDifference(column, ValueEquality.text(expected), ValueEquality.text(actual)));
            }
        }
        return fields;
    }

    private String legacyKey(Row row) {
        Map<String, Object> key = new LinkedHashMap<>();
        List<String> names = plan.keyNames();
        for (int i = 0; i < names.size(); i++) {
            key.put(names.get(i), row.key().get(i));
        }
        return SourceKey.of(key);
    }

    private static Connection readOnly(JdbcConnectionConfig config) throws SQLException {
        Connection connection = config.open();
        try {
            connection.setReadOnly(true);
            connection.setAutoCommit(true);
            return connection;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    @Override
    public void close() {
        closeQuietly(legacyConnection);
        closeQuietly(targetConnection);
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing a broken connection has nothing left to tell
            }
        }
    }
}
