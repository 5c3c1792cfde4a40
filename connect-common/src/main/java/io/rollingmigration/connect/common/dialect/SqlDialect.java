package io.rollingmigration.connect.common.dialect;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.List;

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
    default java.util.Properties connectionProperties() {
        return new java.util.Properties();
    }

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
    default String versionGuardedUpsert(TableId table, List<String> keyColumns, List<String> columns,
                                        String versionColumn, int rows) {
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
     * Selects {@code columns} ordered by the key in byte order, so that two databases with different default
     * collations produce the same sequence of keys. Keys strictly after the given key are returned when
     * {@code afterKey} is true (parameters: the key columns in order), otherwise from the start.
     */
    String keyOrderedScan(TableId table, List<ColumnDescription> keyColumns, List<String> columns, boolean afterKey,
                          int limit);

    /**
     * Like {@link #keyOrderedScan(TableId, List, List, boolean, int)}, skipping rows whose {@code deletedAtColumn}
     * is set (the sink's delete markers); {@code null} skips nothing.
     */
    String keyOrderedScan(TableId table, List<ColumnDescription> keyColumns, List<String> columns, boolean afterKey,
                          int limit, String deletedAtColumn);

    /**
     * An unconditional upsert: insert, or overwrite the non-key columns of the row with the same key. Parameters:
     * {@code columns} in order.
     */
    String upsert(TableId table, List<String> keyColumns, List<String> columns);

    /** Creates, if missing, a table whose columns are all given with their portable SQL types. */
    default String createTableIfMissing(TableId table, java.util.LinkedHashMap<String, String> columnTypes,
                                        List<String> primaryKey) {
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(quote(table)).append(" (");
        columnTypes.forEach((column, type) -> sql.append(quote(column)).append(' ').append(type).append(", "));
        sql.append("PRIMARY KEY (").append(primaryKey.stream().map(this::quote)
                .collect(java.util.stream.Collectors.joining(", "))).append("))");
        return sql.toString();
    }

    /**
     * The column type for values of a Connect schema, for tables the sink creates when asked to.
     *
     * @param keyColumn true for primary-key columns, which some databases need bounded
     */
    String columnType(org.apache.kafka.connect.data.Schema schema, boolean keyColumn);

    /** The column type of a lineage column of this kind; {@code indexed} for the source key column. */
    String lineageColumnType(io.rollingmigration.connect.common.lineage.Lineage.Kind kind, boolean indexed);

    /**
     * A bulk write path, if the dialect has one: rows are streamed into a per-connection staging table and merged
     * into the target by one version-guarded statement. Empty: write with upsert statements.
     */
    default java.util.Optional<StagedWrites> stagedWrites() {
        return java.util.Optional.empty();
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
    default java.util.List<String> otherUniqueIndexes(Connection connection, TableId table) throws SQLException {
        java.util.Set<String> names = new java.util.TreeSet<>();
        String primaryKeyName = null;
        try (java.sql.ResultSet rs = connection.getMetaData().getPrimaryKeys(catalogFor(connection, table),
                schemaFor(connection, table), table.table())) {
            while (rs.next()) {
                primaryKeyName = rs.getString("PK_NAME");
            }
        }
        try (java.sql.ResultSet rs = connection.getMetaData().getIndexInfo(catalogFor(connection, table),
                schemaFor(connection, table), table.table(), true, true)) {
            while (rs.next()) {
                String name = rs.getString("INDEX_NAME");
                if (name != null && !name.equals(primaryKeyName) && !"PRIMARY".equals(name)) {
                    names.add(name);
                }
            }
        }
        return new java.util.ArrayList<>(names);
    }

    /** {@code SELECT count(*)} of the table. */
    default String rowCount(TableId table) {
        return "SELECT count(*) FROM " + quote(table);
    }
}
