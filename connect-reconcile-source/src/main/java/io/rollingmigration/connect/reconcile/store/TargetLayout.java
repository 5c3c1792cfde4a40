package io.rollingmigration.connect.reconcile.store;

import io.rollingmigration.connect.common.compare.IdentityExpectation;
import io.rollingmigration.connect.common.compare.TargetRow;
import io.rollingmigration.connect.common.dialect.ColumnDescription;
import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.TableDescription;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.dialect.Where;
import io.rollingmigration.connect.common.lineage.Lineage;
import io.rollingmigration.connect.common.lineage.SourceKey;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * What the reconciler knows of the target table's columns, checked once: its key, the lineage columns it pairs
 * rows by, the compared fields, and which columns each kind of read selects. Also reads result rows into
 * {@link TargetRow}s.
 */
final class TargetLayout {

    static final String SOURCE_KEY = Lineage.Field.SOURCE_KEY.column();
    static final String SOURCE_TABLE = Lineage.Field.SOURCE_TABLE.column();
    static final String COMMITTED_AT = Lineage.Field.SOURCE_COMMIT_TIME.column();
    static final String APPLIED_AT = Lineage.Field.APPLIED_AT.column();
    static final String DELETED_AT = Lineage.Field.DELETED_AT.column();
    static final String OPERATION = Lineage.Field.OPERATION.column();

    final TableId table;
    final TableDescription description;
    final List<String> keyColumns;
    /** Source key, then the table's own key: the order of walks. */
    final KeyCodec walkKey;

    final KeyCodec ownKey;
    /** The columns a comparison needs: key, compared fields and lineage. */
    final List<String> selected = new ArrayList<>();
    /** The columns a walk of keys needs: source key, own key, commit time. */
    final List<String> walked = new ArrayList<>();

    final boolean softDeletes;
    final boolean hasOperation;
    /** Only rows stamped with this lineage source table take part, or {@code null} for every row. */
    final String sourceTable;

    private TargetLayout(TableId table, TableDescription description, List<String> fields, String sourceTable) {
        this.table = table;
        this.description = description;
        this.keyColumns = description.primaryKey();
        this.sourceTable = sourceTable;
        this.softDeletes = description.column(DELETED_AT).isPresent();
        this.hasOperation = description.column(OPERATION).isPresent();
        List<ColumnDescription> walk = new ArrayList<>();
        walk.add(description.column(SOURCE_KEY).orElseThrow());
        keyColumns.forEach(k -> walk.add(description.column(k).orElseThrow()));
        this.walkKey = new KeyCodec(walk);
        this.ownKey = new KeyCodec(walk.subList(1, walk.size()));
        walked.add(SOURCE_KEY);
        walked.addAll(keyColumns);
        walked.add(COMMITTED_AT);
        keyColumns.forEach(column -> addOnce(selected, column));
        fields.forEach(field -> addOnce(selected, field));
        addOnce(selected, SOURCE_KEY);
        addOnce(selected, COMMITTED_AT);
        if (description.column(SOURCE_TABLE).isPresent()) {
            addOnce(selected, SOURCE_TABLE);
        }
        if (softDeletes) {
            addOnce(selected, DELETED_AT);
        }
    }

    private static void addOnce(List<String> list, String column) {
        if (!list.contains(column)) {
            list.add(column);
        }
    }

    /**
     * Checks that the table has a primary key, the lineage columns the pairing needs and every compared field.
     *
     * @param keyField the column that must be the primary key (the aggregate's key field), or {@code null}
     */
    static TargetLayout check(
            TableId table, TableDescription description, String keyField, List<String> fields, String sourceTable) {
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
        return new TargetLayout(table, description, fields, sourceTable);
    }

    /** The key values of a target key as rows show it (a single key's text, or canonical JSON of several). */
    List<Object> ownKeyValues(String targetKey) {
        return ownKey.parse(keyColumns.size() == 1 ? SourceKey.of(Map.of(keyColumns.get(0), targetKey)) : targetKey);
    }

    /** The condition on a row's lineage source table; its parameter is the table's name. */
    static String sourceTableEquals(SqlDialect dialect) {
        return Where.in(dialect).compare(SOURCE_TABLE, Where.Comparison.EQUAL).text();
    }

    /** The configured source-table condition, or {@code null} when every row takes part. */
    String sourceTableCondition(SqlDialect dialect) {
        return sourceTable == null ? null : sourceTableEquals(dialect);
    }

    void bindSourceTable(PreparedStatement statement, int index) throws SQLException {
        if (sourceTable != null) {
            statement.setString(index, sourceTable);
        }
    }

    /** The statement's rows; a delete marker is told apart only where {@code withFields} (it is selected then). */
    List<TargetRow> read(PreparedStatement statement, boolean withFields) throws SQLException {
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
                        Rows.instant(values.get(COMMITTED_AT)),
                        withFields && deletedAt != null));
            }
        }
        return rows;
    }
}
