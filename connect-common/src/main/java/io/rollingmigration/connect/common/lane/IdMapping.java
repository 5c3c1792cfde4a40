package io.rollingmigration.connect.common.lane;

import io.rollingmigration.connect.common.dialect.BookkeepingTable;
import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.dialect.Where;
import java.sql.Connection;
import java.sql.JDBCType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The id-mapping table in the legacy database: the legacy id of every row the service created and the lane wrote
 * back, next to the service's id. It is written in the same legacy transaction as the row, and it is the table
 * {@code MapId} ({@code mode=lookup}, columns {@code legacy_id} and {@code target_id}) reads in the forward lane, so
 * that later legacy changes of such a row reach the same service id instead of a twin under a UUIDv5.
 */
public final class IdMapping {

    static final String LEGACY_ID = "legacy_id";
    static final String TARGET_ID = "target_id";
    private static final int LOOKUP_CHUNK = 500;

    private final SqlDialect dialect;
    private final TableId table;

    public IdMapping(SqlDialect dialect, TableId table) {
        this.dialect = dialect;
        this.table = table;
    }

    public void ensureTable(Connection connection) throws SQLException {
        LinkedHashMap<String, String> columns = new LinkedHashMap<>();
        columns.put(LEGACY_ID, dialect.requiredColumn(JDBCType.VARCHAR, 255));
        columns.put(TARGET_ID, dialect.requiredColumn(JDBCType.VARCHAR, 255));
        BookkeepingTable.ensure(
                connection,
                dialect,
                table,
                columns,
                List.of(LEGACY_ID),
                Map.of(table.table() + "_target_id", List.of(TARGET_ID)));
    }

    /** The legacy id of each service id the table knows. */
    public Map<String, String> legacyIds(Connection connection, Collection<String> targetIds) throws SQLException {
        return lookUp(connection, targetIds, TARGET_ID, LEGACY_ID);
    }

    private Map<String, String> lookUp(Connection connection, Collection<String> ids, String by, String wanted)
            throws SQLException {
        Map<String, String> found = new HashMap<>();
        List<String> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += LOOKUP_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + LOOKUP_CHUNK));
            String sql = dialect.selectWhere(
                    table,
                    List.of(by, wanted),
                    Where.in(dialect).oneOf(by, chunk.size()).text());
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    select.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        found.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        return found;
    }

    /** The service id of each legacy id the table knows. */
    public Map<String, String> targetIds(Connection connection, Collection<String> legacyIds) throws SQLException {
        return lookUp(connection, legacyIds, LEGACY_ID, TARGET_ID);
    }

    /** Records a pair in the caller's transaction. */
    public void record(Connection connection, String legacyId, String targetId) throws SQLException {
        try (PreparedStatement insert =
                connection.prepareStatement(dialect.upsert(table, List.of(LEGACY_ID), List.of(LEGACY_ID, TARGET_ID)))) {
            insert.setString(1, legacyId);
            insert.setString(2, targetId);
            insert.executeUpdate();
        }
    }

    public TableId table() {
        return table;
    }
}
