package io.rollingmigration.connect.reconcile.store;

import io.rollingmigration.connect.common.compare.LegacyRow;
import io.rollingmigration.connect.common.dialect.ColumnDescription;
import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.TableDescription;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.dialect.Where;
import io.rollingmigration.connect.common.normalize.ValueNormalizer;
import io.rollingmigration.connect.reconcile.digest.BucketDigests;
import io.rollingmigration.connect.reconcile.digest.DigestPlan;
import io.rollingmigration.connect.reconcile.digest.RowSelection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * The legacy table, read only: in key order one chunk at a time (keyset pagination on its own key index, in its
 * own collation, which is consistent because the key is unique), or by key for re-checks.
 */
public final class LegacyTable {

    private final Session session;
    private final SqlDialect dialect;
    private final TableId table;
    private final KeyCodec key;
    private final List<String> columns;
    private final String changeColumn;
    private final TableDescription description;

    private LegacyTable(
            Session session,
            TableId table,
            TableDescription description,
            KeyCodec key,
            List<String> columns,
            String changeColumn) {
        this.description = description;
        this.session = session;
        this.dialect = session.dialect();
        this.table = table;
        this.key = key;
        this.columns = columns;
        this.changeColumn = changeColumn;
    }

    /** Resolves the key (the given columns or the primary key) and the change column; names must exist. */
    public static LegacyTable describe(Session session, TableId table, List<String> keyColumns, String changeColumn)
            throws SQLException {
        TableDescription description = TableDescription.read(session.connection(), session.dialect(), table)
                .orElseThrow(() -> new ConnectException("Legacy table " + table + " does not exist"));
        session.endTransaction();
        List<String> keys = keyColumns.isEmpty() ? description.primaryKey() : keyColumns;
        if (keys.isEmpty()) {
            throw new ConnectException("Legacy table " + table + " has no primary key; set key.columns");
        }
        List<ColumnDescription> keyDescriptions = new ArrayList<>();
        for (String name : keys) {
            keyDescriptions.add(description
                    .column(name)
                    .orElseThrow(() -> new ConnectException(
                            "Key column '" + name + "' is not a column of legacy table " + table)));
        }
        if (changeColumn != null && description.column(changeColumn).isEmpty()) {
            throw new ConnectException("Change column '" + changeColumn + "' is not a column of legacy table " + table);
        }
        return new LegacyTable(
                session,
                table,
                description,
                new KeyCodec(keyDescriptions),
                new ArrayList<>(description.columns().keySet()),
                changeColumn);
    }

    /**
     * The step the change column's values were rounded to (a millisecond for {@code timestamp(3)}), zero without a
     * change column: a change recorded at {@code t} may have been made up to that long before {@code t}.
     */
    public Duration changeResolution() {
        return changeColumn == null
                ? Duration.ZERO
                : description
                        .column(changeColumn)
                        .flatMap(ColumnDescription::timeResolution)
                        .orElse(Duration.ZERO);
    }

    /** How finely the change stream of this legacy database times its commits, as lineage records them. */
    public Duration commitTimeResolution() {
        return dialect.changeLogCommitResolution();
    }

    /** The table's columns as the database describes them. */
    public TableDescription description() {
        return description;
    }

    public KeyCodec key() {
        return key;
    }

    public List<String> columns() {
        return columns;
    }

    public TableId id() {
        return table;
    }

    /**
     * Up to {@code limit} rows of the range in key order, after {@code after} (canonical JSON) if given, changed
     * after {@code changedSince} if given, and among the selected rows if a selection is given.
     */
    public List<LegacyRow> chunk(KeyRange range, String after, Object changedSince, int limit, RowSelection selection)
            throws SQLException {
        return chunk(range, after, changedSince, limit, selection, columns, sql -> sql);
    }

    /** Up to {@code limit} rows of the whole table in key order after {@code after}, with only these columns. */
    public List<LegacyRow> columnsChunk(List<String> wanted, String after, int limit) throws SQLException {
        List<String> selected = new ArrayList<>(key.names());
        wanted.stream().filter(c -> !selected.contains(c)).forEach(selected::add);
        return chunk(KeyRange.whole(), after, null, limit, null, selected, sql -> sql);
    }

    /**
     * The keys of up to {@code limit} rows of the range changed after {@code changedSince}, in key order, each with
     * its digest under {@link DigestPlan#ROW_DIGEST} (hash pushdown of incremental runs).
     */
    public List<LegacyRow> digestChunk(
            KeyRange range, String after, Object changedSince, int limit, RowSelection selection, DigestPlan plan)
            throws SQLException {
        return chunk(
                range,
                after,
                changedSince,
                limit,
                selection,
                key.names(),
                sql -> plan.withRowDigest(sql, dialect.quote(table), true));
    }

    private List<LegacyRow> chunk(
            KeyRange range,
            String after,
            Object changedSince,
            int limit,
            RowSelection selection,
            List<String> selected,
            UnaryOperator<String> rewrite)
            throws SQLException {
        if (range.legacyEmpty()) {
            return List.of();
        }
        Where where = Where.in(dialect);
        if (changedSince != null) {
            where.compare(changeColumn, Where.Comparison.AFTER);
        }
        if (selection != null) {
            where.and(selection.legacyCondition());
        }
        String condition = where.text();
        String sql = rewrite.apply(dialect.keysetChunk(
                table,
                key.names(),
                selected,
                after != null,
                range.legacyLower() != null,
                range.legacyUpper() != null,
                condition,
                limit));
        PreparedStatement statement = session.prepare(sql);
        int index = 1;
        int[] exclusive = dialect.tupleParameterOrder(key.size(), false);
        int[] inclusive = dialect.tupleParameterOrder(key.size(), true);
        if (after != null) {
            index = KeyCodec.bind(statement, index, key.parse(after), exclusive);
        }
        if (range.legacyLower() != null) {
            index = KeyCodec.bind(statement, index, key.parse(range.legacyLower()), inclusive);
        }
        if (range.legacyUpper() != null) {
            index = KeyCodec.bind(statement, index, key.parse(range.legacyUpper()), inclusive);
        }
        if (changedSince != null) {
            KeyCodec.bindOne(statement, index++, changedSince);
        }
        if (selection != null && selection.bitmap() != null) {
            statement.setBytes(index, selection.bitmap());
        }
        List<LegacyRow> rows = read(statement);
        session.endTransaction();
        return rows;
    }

    /** The buckets' digests of this side, over the whole table. */
    public BucketDigests digests(DigestPlan plan, KeyRange share) throws SQLException {
        BucketDigests digests = session.scan(
                plan.legacyQuery(share.index(), share.count()),
                statement -> BucketDigests.read(statement, plan.buckets()));
        session.endTransaction();
        return digests;
    }

    /** Ends a failed transaction, so that the session can go on. */
    public void recover() throws SQLException {
        session.connection().rollback();
    }

    /** The rows with the given keys (canonical JSON), by key; keys without a row are absent. */
    public Map<String, LegacyRow> byKeys(Collection<String> sourceKeys, int batch) throws SQLException {
        return lookUp(sourceKeys, batch, columns);
    }

    /** Which of the given keys (canonical JSON) have a row; reads the key columns only. */
    public Set<String> existing(Collection<String> sourceKeys, int batch) throws SQLException {
        return lookUp(sourceKeys, batch, key.names()).keySet();
    }

    private Map<String, LegacyRow> lookUp(Collection<String> sourceKeys, int batch, List<String> selected)
            throws SQLException {
        Map<String, LegacyRow> found = new HashMap<>();
        Set<String> wanted = new HashSet<>(sourceKeys);
        List<List<Object>> values = new ArrayList<>();
        for (String sourceKey : sourceKeys) {
            try {
                values.add(key.parse(sourceKey));
            } catch (IllegalArgumentException e) {
                // A lineage key that names no legacy row (another key shape): nothing to look up.
            }
        }
        Optional<String> arrayType = key.single() == null ? Optional.empty() : dialect.keyArrayType(key.single());
        for (int from = 0; from < values.size(); from += batch) {
            List<List<Object>> slice = values.subList(from, Math.min(values.size(), from + batch));
            PreparedStatement statement = KeyLookup.prepare(
                            session, table, key.names(), selected, slice, arrayType, null, UnaryOperator.identity())
                    .statement();
            for (LegacyRow row : read(statement)) {
                // Only exact matches: a case- or accent-insensitive collation may return look-alike keys.
                if (wanted.contains(row.sourceKey())) {
                    found.put(row.sourceKey(), row);
                }
            }
        }
        session.endTransaction();
        return found;
    }

    /** The largest value of the change column, or {@code null} for an empty table. */
    public Object maxChange() throws SQLException {
        PreparedStatement statement = session.prepare(dialect.maxOf(table, changeColumn, null));
        Object value;
        try (ResultSet rs = statement.executeQuery()) {
            rs.next();
            value = ValueNormalizer.column(
                    rs, 1, rs.getMetaData().getColumnType(1), rs.getMetaData().getColumnTypeName(1));
        }
        session.endTransaction();
        return value;
    }

    /** Keys (canonical JSON) that split the table into {@code count} ranges of about equal size. */
    public List<String> boundaries(int count) throws SQLException {
        long rows = rowCount();
        List<String> bounds = new ArrayList<>();
        if (count <= 1 || rows < count) {
            return bounds;
        }
        PreparedStatement statement = session.prepare(dialect.keyBoundaries(table, key.names(), null));
        statement.setLong(1, (rows + count - 1) / count);
        try (ResultSet rs = statement.executeQuery()) {
            Rows reader = new Rows(rs);
            while (rs.next() && bounds.size() < count - 1) {
                bounds.add(key.canonical(reader.current()));
            }
        }
        session.endTransaction();
        return bounds;
    }

    private long rowCount() throws SQLException {
        PreparedStatement statement = session.prepare(dialect.rowCount(table));
        long rows;
        try (ResultSet rs = statement.executeQuery()) {
            rs.next();
            rows = rs.getLong(1);
        }
        return rows;
    }

    private List<LegacyRow> read(PreparedStatement statement) throws SQLException {
        List<LegacyRow> rows = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery()) {
            Rows reader = new Rows(rs);
            while (rs.next()) {
                Map<String, Object> values = reader.current();
                rows.add(new LegacyRow(key.canonical(values), values));
            }
        }
        return rows;
    }
}
