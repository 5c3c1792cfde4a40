package io.rollingmigration.connect.reconcile.store;

import static io.rollingmigration.connect.reconcile.store.TargetLayout.APPLIED_AT;
import static io.rollingmigration.connect.reconcile.store.TargetLayout.DELETED_AT;
import static io.rollingmigration.connect.reconcile.store.TargetLayout.SOURCE_KEY;
import static io.rollingmigration.connect.reconcile.store.TargetLayout.SOURCE_TABLE;

import io.rollingmigration.connect.common.compare.TargetRow;
import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.Where;
import io.rollingmigration.connect.reconcile.digest.DigestPlan;
import io.rollingmigration.connect.reconcile.digest.RowSelection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Target rows read in key order, a chunk per statement: the walks in (source key, target key) order a run pairs
 * with the legacy walk, the walk in the table's own key order a fragment's run needs, and the boundaries that split
 * the table between tasks.
 */
final class TargetWalks {

    private final Session session;
    private final SqlDialect dialect;
    private final TargetLayout layout;
    private final AppliedLineage applied;

    TargetWalks(Session session, TargetLayout layout, AppliedLineage applied) {
        this.session = session;
        this.dialect = session.dialect();
        this.layout = layout;
        this.applied = applied;
    }

    List<TargetRow> keyChunk(String after, int limit) throws SQLException {
        String sql = dialect.keysetChunk(
                layout.table,
                layout.keyColumns,
                layout.selected,
                after != null,
                false,
                false,
                layout.softDeletes ? Where.in(dialect).isNull(DELETED_AT).text() : null,
                limit);
        PreparedStatement statement = session.prepare(sql);
        if (after != null) {
            KeyCodec.bind(
                    statement,
                    1,
                    layout.ownKeyValues(after),
                    dialect.tupleParameterOrder(layout.keyColumns.size(), false));
        }
        List<TargetRow> rows = layout.read(statement, true);
        session.endTransaction();
        return rows;
    }

    List<TargetRow> liveChunk(KeyRange range, String after, int limit, RowSelection selection) throws SQLException {
        Walk walk = new Walk(range, after, null, limit, selection, false, layout.walked);
        return read(walk, sql -> sql, List.of(), statement -> layout.read(statement, false));
    }

    List<TargetRow> rowsIn(KeyRange range, int limit, RowSelection selection) throws SQLException {
        Walk walk = new Walk(range, null, null, limit, selection, true, layout.selected);
        return read(walk, sql -> sql, List.of(), statement -> layout.read(statement, true));
    }

    List<TargetRow> appliedSince(KeyRange range, Instant since, String after, int limit, RowSelection selection)
            throws SQLException {
        Walk walk = new Walk(range, after, since, limit, selection, true, layout.walked);
        return read(walk, sql -> sql, List.of(), statement -> layout.read(statement, false));
    }

    AppliedRows appliedRows(KeyRange range, Instant since, int limit, RowSelection selection, DigestPlan plan)
            throws SQLException {
        List<String> columns = new ArrayList<>(List.of(SOURCE_KEY));
        if (plan != null && layout.softDeletes) {
            columns.add(DELETED_AT);
        }
        UnaryOperator<String> rewrite =
                plan == null ? sql -> sql : sql -> plan.withRowDigest(sql, dialect.quote(layout.table), false);
        Walk walk = new Walk(range, null, since, limit + 1, selection, true, columns);
        return read(walk, rewrite, AppliedRows.NONE, statement -> {
            AppliedRows rows = new AppliedRows(plan != null);
            int count = 0;
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    count++;
                    String sourceKey = rs.getString(1);
                    if (plan == null) {
                        rows.add(sourceKey);
                    } else if (layout.softDeletes && rs.getObject(2) != null) {
                        rows.addMarker(sourceKey);
                    } else {
                        rows.addLive(sourceKey, rs.getLong(columns.size() + 1));
                    }
                }
            }
            return count > limit ? null : rows;
        });
    }

    List<String> boundaries(int count) throws SQLException {
        List<String> bounds = new ArrayList<>();
        if (count <= 1) {
            return bounds;
        }
        long rows;
        try (ResultSet rs = session.prepare(dialect.rowCount(layout.table)).executeQuery()) {
            rs.next();
            rows = rs.getLong(1);
        }
        if (rows >= count) {
            PreparedStatement statement = session.prepare(dialect.keyBoundaries(
                    layout.table,
                    List.of(SOURCE_KEY),
                    Where.in(dialect).isNotNull(SOURCE_KEY).text()));
            statement.setLong(1, (rows + count - 1) / count);
            String previous = null;
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next() && bounds.size() < count - 1) {
                    String bound = rs.getString(1);
                    if (!bound.equals(previous)) {
                        bounds.add(bound);
                        previous = bound;
                    }
                }
            }
        }
        session.endTransaction();
        return bounds;
    }

    /** Reads the result of a walk's statement. */
    @FunctionalInterface
    private interface WalkReader<T> {
        T read(PreparedStatement statement) throws SQLException;
    }

    /**
     * The {@code columns} of up to {@code limit} rows of the range in (source key, target key) order, after the
     * given row, applied after {@code since} if given; delete markers only if {@code markers}.
     */
    private record Walk(
            KeyRange range,
            String after,
            Instant since,
            int limit,
            RowSelection selection,
            boolean markers,
            List<String> columns) {}

    /** {@code empty} is the result for a range without target rows. */
    private <T> T read(Walk walk, UnaryOperator<String> rewrite, T empty, WalkReader<T> reader) throws SQLException {
        KeyRange range = walk.range();
        if (range.targetEmpty()) {
            return empty;
        }
        Where where = Where.in(dialect).isNotNull(SOURCE_KEY);
        if (layout.softDeletes && !walk.markers()) {
            where.isNull(DELETED_AT);
        }
        if (walk.since() != null) {
            where.compare(APPLIED_AT, Where.Comparison.AFTER);
        }
        if (range.targetLower() != null) {
            where.compare(SOURCE_KEY, Where.Comparison.AT_LEAST);
        }
        if (range.targetUpper() != null) {
            where.compare(SOURCE_KEY, Where.Comparison.BEFORE);
        }
        // A fragment's rows applied since a time are those its own sink wrote.
        String tableFilter =
                layout.sourceTable != null ? layout.sourceTable : walk.since() != null ? applied.lane() : null;
        if (tableFilter != null) {
            where.compare(SOURCE_TABLE, Where.Comparison.EQUAL);
        }
        if (walk.selection() != null) {
            where.and(walk.selection().targetCondition());
        }
        KeyCodec walkKey = layout.walkKey;
        String sql = rewrite.apply(dialect.keysetChunk(
                layout.table,
                walkKey.names(),
                walk.columns(),
                walk.after() != null,
                false,
                false,
                where.text(),
                walk.limit()));
        PreparedStatement statement = session.prepare(sql);
        int index = 1;
        if (walk.after() != null) {
            index = KeyCodec.bind(
                    statement, index, walkKey.parse(walk.after()), dialect.tupleParameterOrder(walkKey.size(), false));
        }
        if (walk.since() != null) {
            KeyCodec.bindOne(statement, index++, walk.since());
        }
        if (range.targetLower() != null) {
            statement.setString(index++, range.targetLower());
        }
        if (range.targetUpper() != null) {
            statement.setString(index++, range.targetUpper());
        }
        if (tableFilter != null) {
            statement.setString(index++, tableFilter);
        }
        if (walk.selection() != null && walk.selection().bitmap() != null) {
            statement.setBytes(index, walk.selection().bitmap());
        }
        T rows = reader.read(statement);
        session.endTransaction();
        return rows;
    }
}
