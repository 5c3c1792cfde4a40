package io.rollingmigration.connect.sink.writeback;

import io.rollingmigration.connect.common.dialect.ColumnDescription;
import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.TableDescription;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.spec.LegacyWrite;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.DataException;

/**
 * Writes one translated service change into its legacy table, in the caller's transaction: an update of the row
 * with that key (only if the row's version column is older than the new value, where one is declared), else an
 * insert of a row legacy does not have yet; a delete removes the row. Columns the rules keep are left as they are.
 */
final class LegacyRowWriter {

    enum Result {
        APPLIED,
        /** Legacy holds a newer version of the row: the change was not applied. */
        STALE,
        DELETED,
        /** A delete of a row legacy does not have. */
        ABSENT
    }

    private final SqlDialect dialect;
    private final Map<String, TableDescription> tables;

    /** @param tables the legacy tables written, by their name in the spec ({@code schema.table}) */
    LegacyRowWriter(SqlDialect dialect, Map<String, TableDescription> tables) {
        this.dialect = dialect;
        this.tables = tables;
    }

    Result write(Connection connection, LegacyWrite write) throws SQLException {
        TableDescription table = tables.get(write.table());
        TableId id = table.table();
        List<String> keyColumns = new ArrayList<>(write.key().keySet());
        if (write.delete()) {
            try (PreparedStatement delete = connection.prepareStatement(dialect.deleteWhere(id, keyColumns))) {
                bindAll(delete, 1, table, keyColumns, write.key());
                return delete.executeUpdate() > 0 ? Result.DELETED : Result.ABSENT;
            }
        }
        Object version = write.versionColumn() == null ? null : write.values().get(write.versionColumn());
        if (write.versionColumn() != null && version == null) {
            throw new DataException("the version column " + write.versionColumn() + " of " + write.table()
                    + " would be null for service id " + write.targetId() + ", so the change could not be ordered");
        }
        List<String> columns = new ArrayList<>(write.values().keySet());
        if (!columns.isEmpty()) {
            String sql = dialect.guardedUpdate(id, keyColumns, columns, write.versionColumn());
            try (PreparedStatement update = connection.prepareStatement(sql)) {
                int next = bindAll(update, 1, table, columns, write.values());
                next = bindAll(update, next, table, keyColumns, write.key());
                if (version != null) {
                    bind(
                            update,
                            next,
                            version,
                            table.column(write.versionColumn()).orElse(null));
                }
                if (update.executeUpdate() > 0) {
                    return Result.APPLIED;
                }
            }
        }
        if (exists(connection, table, keyColumns, write.key())) {
            return columns.isEmpty() ? Result.APPLIED : Result.STALE;
        }
        List<String> inserted = new ArrayList<>(keyColumns);
        inserted.addAll(columns);
        inserted.addAll(write.insertDefaults().keySet());
        try (PreparedStatement insert = connection.prepareStatement(dialect.insert(id, inserted))) {
            int next = bindAll(insert, 1, table, keyColumns, write.key());
            next = bindAll(insert, next, table, columns, write.values());
            bindAll(insert, next, table, new ArrayList<>(write.insertDefaults().keySet()), write.insertDefaults());
            insert.executeUpdate();
            return Result.APPLIED;
        }
    }

    private boolean exists(
            Connection connection, TableDescription table, List<String> keyColumns, Map<String, Object> key)
            throws SQLException {
        try (PreparedStatement select =
                connection.prepareStatement(dialect.selectWhere(table.table(), keyColumns, keyColumns))) {
            bindAll(select, 1, table, keyColumns, key);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    private int bindAll(
            PreparedStatement statement,
            int first,
            TableDescription table,
            List<String> columns,
            Map<String, Object> values)
            throws SQLException {
        int index = first;
        for (String column : columns) {
            bind(statement, index++, values.get(column), table.column(column).orElse(null));
        }
        return index;
    }

    /** A value of the model bound for its column: instants as UTC offsets, text into uuid or json as the column's. */
    private static void bind(PreparedStatement statement, int index, Object value, ColumnDescription column)
            throws SQLException {
        int type = column == null ? Types.OTHER : column.jdbcType();
        if (value == null) {
            statement.setNull(index, type);
        } else if (value instanceof Instant instant) {
            statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        } else if (value instanceof String && type == Types.OTHER) {
            statement.setObject(index, value, Types.OTHER);
        } else {
            statement.setObject(index, value);
        }
    }
}
