package io.rollingmigration.connect.common.dialect;

import io.rollingmigration.connect.common.lineage.Lineage;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.JDBCType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.connect.data.Schema;

/**
 * Everything database-specific, in one place per database. Generic code never concatenates SQL: it asks the dialect
 * for statement text, in which every identifier is quoted and every value is a {@code ?} parameter.
 */
public interface SqlDialect {

    /** A short name for messages and metrics, e.g. {@code postgresql}. */
    String name();

    /** True if this dialect serves the JDBC URL. */
    boolean accepts(String jdbcUrl);

    /**
     * The JDBC driver, used directly rather than through {@code DriverManager}: inside a Connect plugin class loader
     * {@code DriverManager} may not see drivers that the plugin itself ships.
     */
    Driver driver();

    /** Driver settings the dialect relies on, added to the user's. */
    /**
     * How finely Debezium times the commits of a legacy database of this kind (the source block's {@code ts_ms}, which
     * lineage records as the source commit time): a millisecond by default; a change committed at {@code t} may carry
     * any time up to this much before {@code t}.
     */
    default Duration changeLogCommitResolution() {
        return Duration.ofMillis(1);
    }

    default Properties connectionProperties() {
        return new Properties();
    }

    /**
     * Sets the driver's bounds on waiting: to connect, for any reply on the socket, and (where the server can be
     * told per session) for one statement; 0 leaves a bound off. A database that hangs then becomes an error the
     * retry policy handles, not a task blocked without a word.
     */
    void applyTimeouts(Properties properties, long connectMillis, long socketMillis, long statementMillis);

    /** Quotes one identifier, escaping any quote character inside it. */
    String quote(String identifier);

    /** The quoted, qualified table name. */
    default String quote(TableId table) {
        return table.schema() == null ? quote(table.table()) : quote(table.schema()) + "." + quote(table.table());
    }

    /** The JDBC metadata catalog to look a table up in. */
    String catalogFor(Connection connection, TableId table) throws SQLException;

    /** The JDBC metadata schema pattern to look a table up in. */
    String schemaFor(Connection connection, TableId table) throws SQLException;

    /**
     * An upsert that only takes effect when the incoming version is newer than the stored one, so that replays and
     * late, older changes leave the row as it is. Parameters: {@code columns} in order (keys included), each once.
     *
     * @param keyColumns    the conflict target
     * @param columns       every column written, in parameter order; must contain the key and version columns
     * @param versionColumn the column holding the version
     */
    String versionGuardedUpsert(TableId table, List<String> keyColumns, List<String> columns, String versionColumn);

    /** How many rows one upsert statement may carry, given its columns; 1 means one statement per row. */
    default int maxRowsPerUpsert(int columnsPerRow) {
        return 1;
    }

    /**
     * {@link #versionGuardedUpsert(TableId, List, List, String)} for {@code rows} rows at once (parameters: each
     * row's columns in order, row after row). Rows must have distinct keys.
     */
    default String versionGuardedUpsert(
            TableId table, List<String> keyColumns, List<String> columns, String versionColumn, int rows) {
        if (rows == 1) {
            return versionGuardedUpsert(table, keyColumns, columns, versionColumn);
        }
        throw new UnsupportedOperationException(name() + " writes one row per upsert statement");
    }

    /**
     * Deletes a row only if the delete's version is newer than the stored one. Parameters: the key columns in order,
     * then the version.
     */
    String versionGuardedDelete(TableId table, List<String> keyColumns, String versionColumn);

    /**
     * A condition that holds for rows whose {@code columns} tuple sorts after (or, {@code inclusive}, at or after)
     * the tuple of parameters, in the columns' own collation, written so that an index on the columns serves it.
     * Parameters are bound in the order {@link #tupleParameterOrder(int, boolean)} gives.
     */
    default String tupleAfter(List<String> columns, boolean inclusive) {
        // Expanded form for databases whose optimisers do not turn row comparisons into index ranges: the
        // leading ">=" keeps an index range on the first column.
        StringBuilder sql = new StringBuilder();
        int open = 0;
        for (int i = 0; i < columns.size(); i++) {
            String column = quote(columns.get(i));
            boolean last = i == columns.size() - 1;
            if (last) {
                sql.append(column).append(inclusive ? " >= ?" : " > ?");
            } else {
                sql.append(column).append(" >= ? AND (").append(column).append(" > ? OR ");
                open++;
            }
        }
        sql.append(")".repeat(open));
        return "(" + sql + ")";
    }

    /** For each parameter of {@link #tupleAfter(List, boolean)}, the index of the tuple value it takes. */
    default int[] tupleParameterOrder(int columns, boolean inclusive) {
        int[] order = new int[columns * 2 - 1];
        int next = 0;
        for (int i = 0; i < columns - 1; i++) {
            order[next++] = i;
            order[next++] = i;
        }
        order[next] = columns - 1;
        return order;
    }

    /**
     * One chunk of a keyset scan: {@code selected} columns of rows in {@code orderColumns} order (a unique tuple),
     * after a given tuple if {@code after}, within {@code [lower, upper)} if either bound is set, and matching
     * {@code condition} (SQL with its own parameters, or {@code null}). Parameters: the after-tuple, the lower
     * tuple, the upper tuple (each as {@link #tupleParameterOrder(int, boolean)} says), then the condition's.
     */
    default String keysetChunk(
            TableId table,
            List<String> orderColumns,
            List<String> selected,
            boolean after,
            boolean lower,
            boolean upper,
            String condition,
            int limit) {
        List<String> conditions = new ArrayList<>();
        if (after) {
            conditions.add(tupleAfter(orderColumns, false));
        }
        if (lower) {
            conditions.add(tupleAfter(orderColumns, true));
        }
        if (upper) {
            conditions.add("NOT " + tupleAfter(orderColumns, true));
        }
        if (condition != null) {
            conditions.add("(" + condition + ")");
        }
        StringBuilder sql = new StringBuilder("SELECT ")
                .append(quoted(selected))
                .append(" FROM ")
                .append(quote(table));
        if (!conditions.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", conditions));
        }
        sql.append(" ORDER BY ").append(quoted(orderColumns)).append(" LIMIT ").append(limit);
        return sql.toString();
    }

    /**
     * The {@code selected} columns of the newest {@code limit} rows that meet {@code condition}, newest first by
     * {@code idColumn}: a journal's or an audit trail's latest entries, read without the rest of its history.
     */
    default String selectNewest(TableId table, List<String> selected, String condition, String idColumn, int limit) {
        return "SELECT " + quoted(selected) + " FROM " + quote(table)
                + (condition == null ? "" : " WHERE " + condition) + " ORDER BY " + quote(idColumn) + " DESC LIMIT "
                + Math.max(1, limit);
    }

    /**
     * The {@code selected} columns of the rows whose {@code keyColumns} equal one of {@code count} key tuples.
     * Parameters: each tuple's values in key order, tuple after tuple, then the condition's.
     */
    default String selectByKeys(
            TableId table, List<String> keyColumns, List<String> selected, int count, String condition) {
        String tuple = keyColumns.size() == 1
                ? "?"
                : "(" + String.join(", ", Collections.nCopies(keyColumns.size(), "?")) + ")";
        String key = keyColumns.size() == 1 ? quote(keyColumns.get(0)) : "(" + quoted(keyColumns) + ")";
        return "SELECT " + quoted(selected) + " FROM " + quote(table) + " WHERE " + key + " IN ("
                + String.join(", ", Collections.nCopies(count, tuple)) + ")"
                + (condition == null ? "" : " AND (" + condition + ")");
    }

    /**
     * The element type name for an array of the column's values, if the dialect looks rows up by one array
     * parameter ({@link #selectByKeyArray}); empty if it takes {@code IN} lists.
     */
    default Optional<String> keyArrayType(ColumnDescription column) {
        return Optional.empty();
    }

    /**
     * The {@code selected} columns of the rows whose {@code keyColumn} is in one array parameter: one statement
     * text whatever the number of keys, planned once. Parameters: the array, then the condition's.
     */
    default String selectByKeyArray(TableId table, String keyColumn, List<String> selected, String condition) {
        throw new UnsupportedOperationException(name() + " looks keys up with IN lists");
    }

    /**
     * Every {@code step}-th key tuple in key order (the first excluded): the boundaries that split the table into
     * ranges of about {@code step} rows. Parameters: the step, then the condition's.
     */
    default String keyBoundaries(TableId table, List<String> keyColumns, String condition) {
        String keys = quoted(keyColumns);
        return "SELECT " + keys + " FROM (SELECT " + keys + ", row_number() OVER (ORDER BY " + keys + ") AS rm_n "
                + "FROM " + quote(table) + (condition == null ? "" : " WHERE " + condition) + ") numbered "
                + "WHERE MOD(rm_n - 1, ?) = 0 AND rm_n > 1 ORDER BY " + keys;
    }

    /** The largest value of a column, optionally among rows matching a condition. */
    default String maxOf(TableId table, String column, String condition) {
        return "SELECT max(" + quote(column) + ") FROM " + quote(table)
                + (condition == null ? "" : " WHERE " + condition);
    }

    /**
     * The largest value of {@code column}, and of {@code filteredColumn} among rows whose {@code filterColumn} is
     * null or differs from a parameter (none without a filter column), optionally among rows matching a condition.
     * Parameters: the filter's value, then the condition's.
     */
    default String maxOfBoth(
            TableId table, String column, String filteredColumn, String filterColumn, String condition) {
        String filtered = filterColumn == null
                ? quote(filteredColumn)
                : "CASE WHEN " + quote(filterColumn) + " IS NULL OR " + quote(filterColumn) + " <> ? THEN "
                        + quote(filteredColumn) + " END";
        return "SELECT max(" + quote(column) + "), max(" + filtered + ") FROM " + quote(table)
                + (condition == null ? "" : " WHERE " + condition);
    }

    /** The selected columns of rows matching a condition ({@code null}: every row). */
    default String selectWhere(TableId table, List<String> selected, String condition) {
        return "SELECT " + quoted(selected) + " FROM " + quote(table)
                + (condition == null ? "" : " WHERE " + condition);
    }

    /** The selected columns of rows whose {@code equalColumns} equal the parameters, in order. */
    default String selectWhere(TableId table, List<String> selected, List<String> equalColumns) {
        Where where = Where.in(this);
        equalColumns.forEach(column -> where.compare(column, Where.Comparison.EQUAL));
        return selectWhere(table, selected, where.text());
    }

    /** {@code CREATE INDEX} of these columns, under a name the dialect quotes. */
    default String createIndex(TableId table, String indexName, List<String> columns) {
        return "CREATE INDEX " + quote(indexName) + " ON " + quote(table) + " (" + quoted(columns) + ")";
    }

    /**
     * A {@code NOT NULL} column type of the suite's own bookkeeping tables (offset ledger, ownership, routing):
     * {@code VARCHAR} of {@code length}, {@code INTEGER} or {@code BIGINT}.
     */
    default String requiredColumn(JDBCType type, int length) {
        return switch (type) {
            case VARCHAR -> "VARCHAR(" + length + ") NOT NULL";
            case INTEGER -> "INT NOT NULL";
            case BIGINT -> "BIGINT NOT NULL";
            default -> throw new IllegalArgumentException("No bookkeeping column of type " + type);
        };
    }

    /**
     * A nullable column type of the suite's own bookkeeping tables: {@code VARCHAR} of {@code length}, {@code BIGINT},
     * or {@code DECIMAL} of {@code length} digits, two of them after the point (a percentage).
     */
    default String optionalColumn(JDBCType type, int length) {
        return switch (type) {
            case VARCHAR -> "VARCHAR(" + length + ") NULL";
            case BIGINT -> "BIGINT NULL";
            case DECIMAL -> "DECIMAL(" + length + ", 2) NULL";
            default -> throw new IllegalArgumentException("No bookkeeping column of type " + type);
        };
    }

    /** A {@code BIGINT} key column the database numbers itself when an insert leaves it out. */
    String identityColumn();

    private String quoted(List<String> columns) {
        return columns.stream().map(this::quote).collect(Collectors.joining(", "));
    }

    /**
     * An unconditional upsert: insert, or overwrite the non-key columns of the row with the same key. Parameters:
     * {@code columns} in order.
     */
    String upsert(TableId table, List<String> keyColumns, List<String> columns);

    /** Creates, if missing, a table whose columns are all given with their portable SQL types. */
    default String createTableIfMissing(
            TableId table, LinkedHashMap<String, String> columnTypes, List<String> primaryKey) {
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ")
                .append(quote(table))
                .append(" (");
        columnTypes.forEach((column, type) ->
                sql.append(quote(column)).append(' ').append(type).append(", "));
        sql.append("PRIMARY KEY (")
                .append(primaryKey.stream().map(this::quote).collect(Collectors.joining(", ")))
                .append("))");
        return sql.toString();
    }

    /**
     * The column type for values of a Connect schema, for tables the sink creates when asked to.
     *
     * @param keyColumn true for primary-key columns, which some databases need bounded
     */
    String columnType(Schema schema, boolean keyColumn);

    /** The column type of a lineage column of this kind; {@code indexed} for the source key column. */
    String lineageColumnType(Lineage.Kind kind, boolean indexed);

    /**
     * A bulk write path, if the dialect has one: rows are streamed into a per-connection staging table and merged
     * into the target by one version-guarded statement. Empty: write with upsert statements.
     */
    default Optional<StagedWrites> stagedWrites() {
        return Optional.empty();
    }

    /** Removes delete markers older than a cut-off. Parameter: the cut-off timestamp. */
    default String purgeDeleted(TableId table, String deletedAtColumn) {
        return "DELETE FROM " + quote(table) + " WHERE " + quote(deletedAtColumn) + " IS NOT NULL AND "
                + quote(deletedAtColumn) + " < ?";
    }

    /**
     * True if the dialect's upsert resolves a conflict on any unique index rather than on the key it names
     * (MariaDB's {@code ON DUPLICATE KEY UPDATE}), so other unique indexes would make it update the wrong row.
     */
    default boolean upsertMatchesAnyUniqueIndex() {
        return false;
    }

    /** Names of unique indexes other than the primary key, which an upsert could collide on unexpectedly. */
    default List<String> otherUniqueIndexes(Connection connection, TableId table) throws SQLException {
        Set<String> names = new TreeSet<>();
        String primaryKeyName = null;
        try (ResultSet rs = connection
                .getMetaData()
                .getPrimaryKeys(catalogFor(connection, table), schemaFor(connection, table), table.table())) {
            while (rs.next()) {
                primaryKeyName = rs.getString("PK_NAME");
            }
        }
        try (ResultSet rs = connection
                .getMetaData()
                .getIndexInfo(catalogFor(connection, table), schemaFor(connection, table), table.table(), true, true)) {
            while (rs.next()) {
                String name = rs.getString("INDEX_NAME");
                if (name != null && !name.equals(primaryKeyName) && !"PRIMARY".equals(name)) {
                    names.add(name);
                }
            }
        }
        return new ArrayList<>(names);
    }

    /**
     * Updates the row with this key, only where its version column is null or older than the new value (no guard
     * with {@code versionColumn} null). Parameters: {@code columns}, then {@code keyColumns}, then the new version.
     */
    default String guardedUpdate(TableId table, List<String> keyColumns, List<String> columns, String versionColumn) {
        Where where = Where.in(this);
        keyColumns.forEach(column -> where.compare(column, Where.Comparison.EQUAL));
        if (versionColumn != null) {
            where.and("(" + quote(versionColumn) + " IS NULL OR " + quote(versionColumn) + " < ?)");
        }
        return "UPDATE " + quote(table) + " SET "
                + columns.stream().map(c -> quote(c) + " = ?").collect(Collectors.joining(", ")) + " WHERE "
                + where.text();
    }

    /** Sets columns of the rows matching a condition. Parameters: {@code columns}, then the condition's. */
    default String updateWhere(TableId table, List<String> columns, String condition) {
        return "UPDATE " + quote(table) + " SET "
                + columns.stream().map(c -> quote(c) + " = ?").collect(Collectors.joining(", ")) + " WHERE "
                + condition;
    }

    /** A plain insert of one row. Parameters: {@code columns} in order. */
    default String insert(TableId table, List<String> columns) {
        return "INSERT INTO " + quote(table) + " (" + quoted(columns) + ") VALUES ("
                + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
    }

    /** Deletes the row with this key. Parameters: {@code keyColumns} in order. */
    default String deleteWhere(TableId table, List<String> keyColumns) {
        Where where = Where.in(this);
        keyColumns.forEach(column -> where.compare(column, Where.Comparison.EQUAL));
        return "DELETE FROM " + quote(table) + " WHERE " + where.text();
    }

    /** The next value of a sequence, as one row with one column; no parameters. */
    String nextValue(TableId sequence);

    /**
     * The statement that returns the current transaction's id as one bigint, if the database has one that its change
     * events carry (PostgreSQL's {@code txid_current()}, whose low 32 bits are Debezium's {@code source.txId}).
     */
    default Optional<String> currentTransactionId() {
        return Optional.empty();
    }

    /** Creates a schema (a database, in MariaDB's words) for the suite's bookkeeping tables, if missing. */
    default String createSchemaIfMissing(String schema) {
        return "CREATE SCHEMA IF NOT EXISTS " + quote(schema);
    }

    /** {@code SELECT count(*)} of the table. */
    default String rowCount(TableId table) {
        return "SELECT count(*) FROM " + quote(table);
    }
}
