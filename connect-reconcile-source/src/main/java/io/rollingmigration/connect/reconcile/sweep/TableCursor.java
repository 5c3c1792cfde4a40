package io.rollingmigration.connect.reconcile.sweep;

import io.rollingmigration.connect.common.dialect.ColumnDescription;
import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.TableId;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a table in key order, one chunk per query, resuming after the last key seen (keyset pagination), so that
 * memory holds at most one chunk and no cursor or lock stays open between chunks.
 */
final class TableCursor {

    private final Connection connection;
    private final SqlDialect dialect;
    private final TableId table;
    private final List<ColumnDescription> keyColumns;
    private final List<String> compareColumns;
    private final List<String> selected;
    private final int chunkSize;
    private final String deletedAtColumn;
    private final Deque<Row> buffer = new ArrayDeque<>();
    private List<Object> lastKey;
    private boolean exhausted;
    private long rowsRead;

    TableCursor(Connection connection, SqlDialect dialect, TableId table, List<ColumnDescription> keyColumns,
                List<String> compareColumns, int chunkSize, String deletedAtColumn) {
        this.connection = connection;
        this.dialect = dialect;
        this.table = table;
        this.keyColumns = keyColumns;
        this.compareColumns = compareColumns;
        this.chunkSize = chunkSize;
        this.deletedAtColumn = deletedAtColumn;
        this.selected = new ArrayList<>();
        keyColumns.forEach(c -> selected.add(c.name()));
        selected.addAll(compareColumns);
    }

    /** The next row in key order without consuming it, or {@code null} at the end. */
    Row peek() throws SQLException {
        if (buffer.isEmpty() && !exhausted) {
            fetch();
        }
        return buffer.peekFirst();
    }

    Row next() throws SQLException {
        Row row = peek();
        if (row != null) {
            buffer.removeFirst();
            rowsRead++;
        }
        return row;
    }

    long rowsRead() {
        return rowsRead;
    }

    private void fetch() throws SQLException {
        String sql = dialect.keyOrderedScan(table, keyColumns, selected, lastKey != null, chunkSize,
                deletedAtColumn);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (lastKey != null) {
                for (int i = 0; i < lastKey.size(); i++) {
                    statement.setObject(i + 1, lastKey.get(i));
                }
            }
            int read = 0;
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    List<Object> key = new ArrayList<>(keyColumns.size());
                    for (int i = 0; i < keyColumns.size(); i++) {
                        key.add(rs.getObject(i + 1));
                    }
                    Map<String, Object> values = new LinkedHashMap<>();
                    for (int i = 0; i < compareColumns.size(); i++) {
                        values.put(compareColumns.get(i), rs.getObject(keyColumns.size() + i + 1));
                    }
                    buffer.addLast(new Row(key, values));
                    lastKey = key;
                    read++;
                }
            }
            exhausted = read < chunkSize;
        }
    }
}
