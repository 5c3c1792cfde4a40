package io.rollingmigration.connect.common.dialect;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The columns and primary key of a table, read from JDBC metadata. */
public final class TableDescription {

    private final TableId table;
    private final Map<String, ColumnDescription> columns;
    private final List<String> primaryKey;

    private TableDescription(TableId table, Map<String, ColumnDescription> columns, List<String> primaryKey) {
        this.table = table;
        this.columns = columns;
        this.primaryKey = primaryKey;
    }

    /** Reads the table's description, or returns empty if the table does not exist. */
    public static Optional<TableDescription> read(Connection connection, SqlDialect dialect, TableId table)
            throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String catalog = dialect.catalogFor(connection, table);
        String schema = dialect.schemaFor(connection, table);
        Map<String, ColumnDescription> columns = new LinkedHashMap<>();
        // getColumns takes patterns: an unescaped '_' in 'a_b' would also match table 'axb'.
        try (ResultSet rs = meta.getColumns(catalog, pattern(schema, meta), pattern(table.table(), meta), null)) {
            while (rs.next()) {
                String name = rs.getString("COLUMN_NAME");
                columns.put(
                        name,
                        new ColumnDescription(
                                name,
                                rs.getInt("DATA_TYPE"),
                                rs.getString("TYPE_NAME"),
                                rs.getInt("COLUMN_SIZE"),
                                rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls,
                                rs.getString("COLUMN_DEF") != null || "YES".equals(rs.getString("IS_AUTOINCREMENT")),
                                decimalDigits(rs)));
            }
        }
        if (columns.isEmpty()) {
            return Optional.empty();
        }
        Map<Integer, String> keyBySequence = new TreeMap<>();
        try (ResultSet rs = meta.getPrimaryKeys(catalog, schema, table.table())) {
            while (rs.next()) {
                keyBySequence.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        return Optional.of(new TableDescription(
                table, Collections.unmodifiableMap(columns), List.copyOf(new ArrayList<>(keyBySequence.values()))));
    }

    private static int decimalDigits(ResultSet rs) throws SQLException {
        int digits = rs.getInt("DECIMAL_DIGITS");
        return rs.wasNull() ? -1 : digits;
    }

    private static String pattern(String name, DatabaseMetaData meta) throws SQLException {
        if (name == null) {
            return null;
        }
        String escape = meta.getSearchStringEscape();
        return name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
    }

    public TableId table() {
        return table;
    }

    public Map<String, ColumnDescription> columns() {
        return columns;
    }

    public Optional<ColumnDescription> column(String name) {
        return Optional.ofNullable(columns.get(name));
    }

    /** Primary key columns in key order; empty if the table has none. */
    public List<String> primaryKey() {
        return primaryKey;
    }
}
