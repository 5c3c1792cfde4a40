package io.rollingmigration.connect.reconcile.store;

import io.rollingmigration.connect.common.dialect.ColumnDescription;
import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.TableDescription;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.dialect.Where;
import io.rollingmigration.connect.common.lineage.Lineage;
import io.rollingmigration.connect.common.lineage.SourceKey;
import io.rollingmigration.connect.reconcile.compare.IdentityExpectation;
import io.rollingmigration.connect.reconcile.compare.TargetRow;
import io.rollingmigration.connect.reconcile.digest.BucketDigests;
import io.rollingmigration.connect.reconcile.digest.DigestPlan;
import io.rollingmigration.connect.reconcile.digest.RowSelection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
 * The target table, read only, through its lineage: rows looked up by legacy key (the indexed
 * lineage_source_key), live rows walked in source key order, rows applied since a time, and the pipeline's
 * applied position.
 */
public final class TargetTable {

    private static final String SOURCE_KEY = Lineage.Field.SOURCE_KEY.column();
    private static final String SOURCE_TABLE = Lineage.Field.SOURCE_TABLE.column();
    private static final String COMMITTED_AT = Lineage.Field.SOURCE_COMMIT_TIME.column();
    private static final String APPLIED_AT = Lineage.Field.APPLIED_AT.column();
    private static final String DELETED_AT = Lineage.Field.DELETED_AT.column();
    private static final String OPERATION = Lineage.Field.OPERATION.column();
    /** How long a sink transaction may take to commit rows stamped with an earlier lineage_applied_at. */
    private final Session session;

    private final SqlDialect dialect;
    private final TableId table;
    private final List<String> keyColumns;
    private final KeyCodec walkKey;
    private final ColumnDescription sourceKeyColumn;
    private final List<String> fields;
    private final List<String> selected = new ArrayList<>();
    private final List<String> walked = new ArrayList<>();
    private final boolean softDeletes;
    private final boolean hasOperation;
    private final String sourceTable;
    private final TableDescription description;
    private final KeyCodec ownKey;
    /** For a fragment: the lineage source table its sink stamps, which tells its writes from the other tables'. */
    private final AppliedLineage applied;
    /** The applied position found so far (it only moves forward), and the newest lineage_applied_at behind it. */
    private TargetTable(
            Session session,
            TableId table,
            TableDescription description,
            List<String> keyColumns,
            KeyCodec walkKey,
            List<String> fields,
            boolean softDeletes,
            boolean hasOperation,
            String sourceTable) {
        this.description = description;
        this.session = session;
        this.dialect = session.dialect();
        this.table = table;
        this.keyColumns = keyColumns;
        this.walkKey = walkKey;
        this.sourceKeyColumn = walkKey.column(0);
        this.fields = fields;
        this.softDeletes = softDeletes;
        this.hasOperation = hasOperation;
        this.sourceTable = sourceTable;
        this.applied = new AppliedLineage(session, table, hasOperation);
        this.ownKey = new KeyCodec(keyColumns.stream()
                .map(k -> description.column(k).orElseThrow())
                .toList());
        walked.add(SOURCE_KEY);
        walked.addAll(keyColumns);
        walked.add(COMMITTED_AT);
        for (String column : keyColumns) {
            add(selected, column);
        }
        fields.forEach(f -> add(selected, f));
        add(selected, SOURCE_KEY);
        add(selected, COMMITTED_AT);
        if (description.column(SOURCE_TABLE).isPresent()) {
            add(selected, SOURCE_TABLE);
        }
        if (softDeletes) {
            add(selected, DELETED_AT);
        }
    }

    private static void add(List<String> list, String column) {
        if (!list.contains(column)) {
            list.add(column);
        }
    }

    /**
     * Checks that the table has a primary key, the lineage columns the pairing needs and every compared field.
     *
     * @param keyField the column that must be the primary key (the aggregate's key field), or {@code null}
     */
    public static TargetTable describe(
            Session session, TableId table, String keyField, List<String> fields, String sourceTable)
            throws SQLException {
        TableDescription description = TableDescription.read(session.connection(), session.dialect(), table)
                .orElseThrow(() -> new ConnectException("Target table " + table + " does not exist"));
        session.endTransaction();
        List<String> keys = description.primaryKey();
        if (keys.isEmpty()) {
            throw new ConnectException("Target table " + table + " has no primary key");
        }
        if (keyField != null && !keys.equals(List.of(keyField))) {
            throw new ConnectException("Target table " + table + " has primary key " + keys + ", but the mapping "
                    + "spec keys the aggregate by '" + keyField + "'");
        }
        for (String lineage : List.of(SOURCE_KEY, COMMITTED_AT, APPLIED_AT)) {
            if (description.column(lineage).isEmpty()) {
                throw new ConnectException("Target table " + table + " has no lineage column '" + lineage + "': "
                        + "the reconciler pairs target rows with legacy rows through the lineage the sink writes");
            }
        }
        for (String field : fields) {
            if (description.column(field).isEmpty()) {
                throw new ConnectException("Compared field '" + field + "' is not a column of target table " + table);
            }
        }
        List<ColumnDescription> walk = new ArrayList<>();
        walk.add(description.column(SOURCE_KEY).get());
        keys.forEach(k -> walk.add(description.column(k).get()));
        return new TargetTable(
                session,
                table,
                description,
                keys,
                new KeyCodec(walk),
                fields,
                description.column(DELETED_AT).isPresent(),
                description.column(OPERATION).isPresent(),
                sourceTable);
    }

    public List<String> keyColumns() {
        return keyColumns;
    }

    /**
     * Reads this table as holding one fragment among several: the pipeline's progress (applied position, lag, last
     * write) and the rows applied since a time are those this fragment's sink stamped with {@code lane} as their
     * lineage source table.
     *
     * @throws ConnectException if the table has no lineage_source_table column to tell the fragments apart
     */
    public TargetTable asFragmentOf(String lineageSourceTable) {
        if (description.column(SOURCE_TABLE).isEmpty()) {
            throw new ConnectException("Target table " + table + " has no lineage column '" + SOURCE_TABLE + "': a "
                    + "fragment's reconciler tells its own writes from the other fragments' by it");
        }
        applied.withinLane(lineageSourceTable);
        return this;
    }

    /** True if the row's last change came from the legacy table of this fragment's lane. */
    public boolean writtenByLane(TargetRow row) {
        return applied.lane() != null && applied.lane().equals(row.values().get(SOURCE_TABLE));
    }

    /** Rows by their own key (the aggregate's key), delete markers included, whatever their lineage says. */
    public Map<String, TargetRow> byTargetKeys(Collection<String> targetKeys, int batch) throws SQLException {
        Map<String, TargetRow> found = new HashMap<>();
        Set<String> wanted = new HashSet<>(targetKeys);
        List<List<Object>> keys = new ArrayList<>(wanted.size());
        for (String key : wanted) {
            keys.add(ownKeyValues(key));
        }
        Optional<String> arrayType = dialect.keyArrayType(ownKey.column(0));
        for (int from = 0; from < keys.size(); from += batch) {
            KeyLookup.Prepared lookup = KeyLookup.prepare(
                    session,
                    table,
                    keyColumns,
                    selected,
                    keys.subList(from, Math.min(keys.size(), from + batch)),
                    keyColumns.size() == 1 ? arrayType : Optional.empty(),
                    null);
            for (TargetRow row : read(lookup.statement(), true)) {
                if (wanted.contains(row.targetKey())) {
                    found.put(row.targetKey(), row);
                }
            }
        }
        session.endTransaction();
        return found;
    }

    /**
     * Up to {@code limit} rows after the given one in the order of the table's own key (delete markers left out),
     * with every compared field and their lineage: the walk of a fragment's rows, whose lineage key may be another
     * fragment's.
     */
    public List<TargetRow> keyChunk(String after, int limit) throws SQLException {
        String sql = dialect.keysetChunk(
                table,
                keyColumns,
                selected,
                after != null,
                false,
                false,
                softDeletes ? Where.in(dialect).isNull(DELETED_AT).text() : null,
                limit);
        PreparedStatement statement = session.prepare(sql);
        if (after != null) {
            KeyCodec.bind(statement, 1, ownKeyValues(after), dialect.tupleParameterOrder(keyColumns.size(), false));
        }
        List<TargetRow> rows = read(statement, true);
        session.endTransaction();
        return rows;
    }

    /** The key values of a target key as rows show it (a single key's text, or canonical JSON of several). */
    private List<Object> ownKeyValues(String targetKey) {
        return ownKey.parse(keyColumns.size() == 1 ? SourceKey.of(Map.of(keyColumns.get(0), targetKey)) : targetKey);
    }

    /** Where a walk in key order stands after a row: its key, as {@link #keyChunk} resumes from it. */
    public String keyPositionOf(TargetRow row) {
        return row.targetKey();
    }

    /** Every row (delete markers included) whose lineage source key is one of the given, by source key. */
    public Map<String, List<TargetRow>> bySourceKeys(Collection<String> sourceKeys, int batch) throws SQLException {
        Map<String, List<TargetRow>> found = new HashMap<>();
        Set<String> wanted = new HashSet<>(sourceKeys);
        lookUp(wanted, batch, selected, sql -> sql, statement -> {
            for (TargetRow row : read(statement, true)) {
                // Only exact matches: a case-insensitive collation may return look-alike keys.
                if (wanted.contains(row.sourceKey())) {
                    found.computeIfAbsent(row.sourceKey(), k -> new ArrayList<>(1))
                            .add(row);
                }
            }
        });
        return found;
    }

    /** Reads the rows of one slice of looked-up keys. */
    @FunctionalInterface
    private interface SliceReader {
        void read(PreparedStatement statement) throws SQLException;
    }

    /** Looks the source keys up a slice of {@code batch} at a time, each slice's statement bound for the reader. */
    private void lookUp(
            Set<String> sourceKeys, int batch, List<String> columns, UnaryOperator<String> rewrite, SliceReader reader)
            throws SQLException {
        List<List<Object>> keys = new ArrayList<>(sourceKeys.size());
        sourceKeys.forEach(k -> keys.add(List.of(k)));
        Optional<String> arrayType = dialect.keyArrayType(sourceKeyColumn);
        for (int from = 0; from < keys.size(); from += batch) {
            KeyLookup.Prepared lookup = KeyLookup.prepare(
                    session,
                    table,
                    List.of(SOURCE_KEY),
                    columns,
                    keys.subList(from, Math.min(keys.size(), from + batch)),
                    arrayType,
                    sourceTableCondition(),
                    rewrite);
            bindSourceTable(lookup.statement(), lookup.nextParameter());
            reader.read(lookup.statement());
        }
        session.endTransaction();
    }

    /** The table's columns as the database describes them. */
    public TableDescription description() {
        return description;
    }

    /**
     * Up to {@code limit} live rows of the range in (source key, target key) order, after the given row, with their
     * source key, target key and commit time only; only rows of differing buckets when a filter is given.
     */
    public List<TargetRow> liveChunk(KeyRange range, String after, int limit, RowSelection selection)
            throws SQLException {
        return walk(
                range,
                after,
                null,
                limit,
                selection,
                false,
                walked,
                sql -> sql,
                List.of(),
                statement -> read(statement, false));
    }

    /**
     * Up to {@code limit} rows of the selection in (source key, target key) order with every compared field, delete
     * markers included: what a comparison by key would look up, read in one scan.
     */
    public List<TargetRow> rowsIn(KeyRange range, int limit, RowSelection selection) throws SQLException {
        return walk(
                range,
                null,
                null,
                limit,
                selection,
                true,
                selected,
                sql -> sql,
                List.of(),
                statement -> read(statement, true));
    }

    /**
     * The rows of the range the sink applied after {@code since}, delete markers included, or {@code null} if there
     * are more than {@code limit} of them: their source keys, and with a plan the digests of the live ones.
     *
     * @param plan the hash pushdown whose row digests to compute, or {@code null} for the keys only
     */
    public AppliedRows appliedRows(KeyRange range, Instant since, int limit, RowSelection selection, DigestPlan plan)
            throws SQLException {
        List<String> columns = new ArrayList<>(List.of(SOURCE_KEY));
        if (plan != null && softDeletes) {
            columns.add(DELETED_AT);
        }
        UnaryOperator<String> rewrite =
                plan == null ? sql -> sql : sql -> plan.withRowDigest(sql, dialect.quote(table), false);
        return walk(range, null, since, limit + 1, selection, true, columns, rewrite, AppliedRows.NONE, statement -> {
            AppliedRows applied = new AppliedRows(plan != null);
            int rows = 0;
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    String sourceKey = rs.getString(1);
                    if (plan == null) {
                        applied.add(sourceKey);
                    } else if (softDeletes && rs.getObject(2) != null) {
                        applied.addMarker(sourceKey);
                    } else {
                        applied.addLive(sourceKey, rs.getLong(columns.size() + 1));
                    }
                }
            }
            return rows > limit ? null : applied;
        });
    }

    /** The digests of the live rows under each of the given source keys (hash pushdown); keys without one absent. */
    public Map<String, List<Long>> rowDigests(Collection<String> sourceKeys, int batch, DigestPlan plan)
            throws SQLException {
        Map<String, List<Long>> found = new HashMap<>();
        Set<String> wanted = new HashSet<>(sourceKeys);
        List<String> columns = new ArrayList<>(List.of(SOURCE_KEY));
        if (softDeletes) {
            columns.add(DELETED_AT);
        }
        lookUp(wanted, batch, columns, sql -> plan.withRowDigest(sql, dialect.quote(table), false), statement -> {
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String sourceKey = rs.getString(1);
                    boolean live = !softDeletes || rs.getObject(2) == null;
                    if (live && wanted.contains(sourceKey)) {
                        found.computeIfAbsent(sourceKey, k -> new ArrayList<>(1))
                                .add(rs.getLong(columns.size() + 1));
                    }
                }
            }
        });
        return found;
    }

    /** Ends a failed transaction, so that the session can go on. */
    public void recover() throws SQLException {
        session.connection().rollback();
    }

    /** The buckets' digests of this side, over the whole table. */
    public BucketDigests digests(DigestPlan plan, KeyRange share) throws SQLException {
        PreparedStatement statement = session.prepare(plan.targetQuery(share.index(), share.count()));
        if (plan.bindsSourceTable()) {
            statement.setString(1, sourceTable);
        }
        BucketDigests digests = BucketDigests.read(statement, plan.buckets());
        session.endTransaction();
        return digests;
    }

    /** Like {@link #liveChunk}, among rows the sink applied after {@code since}, delete markers included. */
    public List<TargetRow> appliedSince(KeyRange range, Instant since, String after, int limit, RowSelection selection)
            throws SQLException {
        return walk(
                range,
                after,
                since,
                limit,
                selection,
                true,
                walked,
                sql -> sql,
                List.of(),
                statement -> read(statement, false));
    }

    /** Where a walk stands after a row, as text to resume from: canonical JSON of source key and target key. */
    public String positionOf(TargetRow row) {
        return walkKey.canonical(row.values());
    }

    /** The newest lineage_applied_at, or {@code null} for an empty table. */
    public Instant lastApplied() throws SQLException {
        return applied.lastApplied();
    }

    /** Reads the result of a walk's statement. */
    @FunctionalInterface
    private interface WalkReader<T> {
        T read(PreparedStatement statement) throws SQLException;
    }

    /**
     * The {@code columns} of up to {@code limit} rows of the range in (source key, target key) order, after the
     * given row, applied after {@code since} if given; delete markers only if {@code markers}. {@code empty} is the
     * result for a range without target rows.
     */
    private <T> T walk(
            KeyRange range,
            String after,
            Instant since,
            int limit,
            RowSelection selection,
            boolean markers,
            List<String> columns,
            UnaryOperator<String> rewrite,
            T empty,
            WalkReader<T> reader)
            throws SQLException {
        if (range.targetEmpty()) {
            return empty;
        }
        Where where = Where.in(dialect).isNotNull(SOURCE_KEY);
        if (softDeletes && !markers) {
            where.isNull(DELETED_AT);
        }
        if (since != null) {
            where.compare(APPLIED_AT, Where.Comparison.AFTER);
        }
        if (range.targetLower() != null) {
            where.compare(SOURCE_KEY, Where.Comparison.AT_LEAST);
        }
        if (range.targetUpper() != null) {
            where.compare(SOURCE_KEY, Where.Comparison.BEFORE);
        }
        // A fragment's rows applied since a time are those its own sink wrote.
        String tableFilter = sourceTable != null ? sourceTable : since != null ? applied.lane() : null;
        if (tableFilter != null) {
            where.compare(SOURCE_TABLE, Where.Comparison.EQUAL);
        }
        if (selection != null) {
            where.and(selection.targetCondition());
        }
        String sql = rewrite.apply(
                dialect.keysetChunk(table, walkKey.names(), columns, after != null, false, false, where.text(), limit));
        PreparedStatement statement = session.prepare(sql);
        int index = 1;
        if (after != null) {
            index = KeyCodec.bind(
                    statement, index, walkKey.parse(after), dialect.tupleParameterOrder(walkKey.size(), false));
        }
        if (since != null) {
            KeyCodec.bindOne(statement, index++, since);
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
        if (selection != null && selection.bitmap() != null) {
            statement.setBytes(index, selection.bitmap());
        }
        T rows = reader.read(statement);
        session.endTransaction();
        return rows;
    }

    /** How far the pipeline has applied the legacy change stream; see {@link AppliedLineage#appliedPosition()}. */
    public Instant appliedPosition() throws SQLException {
        return applied.appliedPosition();
    }

    /** The largest replication lag among rows applied at or after {@code since}. */
    public long observedLagMillis(Instant since) throws SQLException {
        return applied.observedLagMillis(since);
    }

    /** Source keys that split the live rows into {@code count} ranges of about equal size. */
    public List<String> boundaries(int count) throws SQLException {
        List<String> bounds = new ArrayList<>();
        if (count <= 1) {
            return bounds;
        }
        long rows;
        try (ResultSet rs = session.prepare(dialect.rowCount(table)).executeQuery()) {
            rs.next();
            rows = rs.getLong(1);
        }
        if (rows >= count) {
            PreparedStatement statement = session.prepare(dialect.keyBoundaries(
                    table,
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

    private String sourceTableCondition() {
        return sourceTable == null ? null : sourceTableEquals(dialect);
    }

    /** The condition on a row's lineage source table; its parameter is the table's name. */
    static String sourceTableEquals(SqlDialect dialect) {
        return Where.in(dialect).compare(SOURCE_TABLE, Where.Comparison.EQUAL).text();
    }

    private void bindSourceTable(PreparedStatement statement, int index) throws SQLException {
        if (sourceTable != null) {
            statement.setString(index, sourceTable);
        }
    }

    private List<TargetRow> read(PreparedStatement statement, boolean withFields) throws SQLException {
        List<TargetRow> rows = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery()) {
            Rows reader = new Rows(rs);
            while (rs.next()) {
                Map<String, Object> values = reader.current();
                Object deletedAt = values.get(DELETED_AT);
                rows.add(new TargetRow(
                        IdentityExpectation.keyText(keyColumns, values),
                        (String) values.get(SOURCE_KEY),
                        values,
                        instant(values.get(COMMITTED_AT)),
                        withFields && deletedAt != null));
            }
        }
        return rows;
    }

    static Instant instant(Object value) {
        if (value instanceof Instant) {
            return (Instant) value;
        }
        if (value instanceof OffsetDateTime) {
            return ((OffsetDateTime) value).toInstant();
        }
        if (value instanceof LocalDateTime) {
            return ((LocalDateTime) value).toInstant(ZoneOffset.UTC);
        }
        if (value instanceof Timestamp) {
            return ((Timestamp) value).toInstant();
        }
        return null;
    }
}
