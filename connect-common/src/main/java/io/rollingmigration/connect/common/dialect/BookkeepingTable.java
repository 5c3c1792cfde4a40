package io.rollingmigration.connect.common.dialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates one of the suite's own tables (offset ledger, ownership, lanes' logs, id mapping) if it is missing,
 * with its look-up indexes. Several tasks start at once and each makes sure of the table: PostgreSQL's
 * {@code CREATE TABLE IF NOT EXISTS} is not safe against a concurrent creation (it fails on the catalog's unique
 * index), so a failed creation after which the table exists counts as created by the other task.
 */
public final class BookkeepingTable {

    private BookkeepingTable() {}

    /**
     * Makes sure the table exists, and commits.
     *
     * @param indexes index name to its columns, created with the table
     * @return true if this call created the table
     */
    public static boolean ensure(
            Connection connection,
            SqlDialect dialect,
            TableId table,
            LinkedHashMap<String, String> columns,
            List<String> primaryKey,
            Map<String, List<String>> indexes)
            throws SQLException {
        if (exists(connection, dialect, table)) {
            return false;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(dialect.createTableIfMissing(table, columns, primaryKey));
            for (Map.Entry<String, List<String>> index : indexes.entrySet()) {
                statement.execute(dialect.createIndex(table, index.getKey(), index.getValue()));
            }
            connection.commit();
            return true;
        } catch (SQLException e) {
            connection.rollback();
            if (exists(connection, dialect, table)) {
                return false;
            }
            throw e;
        }
    }

    /** {@link #ensure} for a table without secondary indexes. */
    public static boolean ensure(
            Connection connection,
            SqlDialect dialect,
            TableId table,
            LinkedHashMap<String, String> columns,
            List<String> primaryKey)
            throws SQLException {
        return ensure(connection, dialect, table, columns, primaryKey, Map.of());
    }

    private static boolean exists(Connection connection, SqlDialect dialect, TableId table) throws SQLException {
        boolean exists = TableDescription.read(connection, dialect, table).isPresent();
        connection.commit();
        return exists;
    }
}
