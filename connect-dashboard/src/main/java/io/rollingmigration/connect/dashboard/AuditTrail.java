package io.rollingmigration.connect.dashboard;

import io.rollingmigration.connect.common.dialect.BookkeepingTable;
import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.dialect.Where;
import java.sql.Connection;
import java.sql.JDBCType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Every change asked through the dashboard, in the store beside the control tables it changes: when, by whom (the
 * principal Connect's REST authentication gives, else {@code anonymous}), what and from what, why, whether the
 * guard rails were forced or refused it, and the ownership move it requested. Rows are only ever added.
 */
final class AuditTrail {

    static final String ID = "audit_id";
    static final String AT = "at_ms";
    static final String PRINCIPAL = "principal";
    static final String ACTION = "action";
    static final String UNIT = "migration_unit";
    static final String PARTITION = "partition_value";
    static final String CHANGE_TO = "change_to";
    static final String PREVIOUS = "previous";
    static final String REASON = "reason";
    static final String OUTCOME = "outcome";
    static final String GUARDS = "guard_rails";
    static final String MOVE_ID = "move_id";

    /** What was asked. */
    enum Action {
        OWNERSHIP,
        READ_ROUTING
    }

    /** What became of it at the dashboard. */
    enum Outcome {
        /** Passed the guard rails and written. */
        ACCEPTED,
        /** Written although guard rails failed: the caller forced it. */
        FORCED,
        /** Refused by the guard rails; nothing changed. */
        REFUSED
    }

    /** One row, as {@code GET /migration/audit} shows it. */
    record Entry(
            long id,
            long atMillis,
            String principal,
            Action action,
            String unit,
            String partition,
            String changeTo,
            String previous,
            String reason,
            Outcome outcome,
            String guardRails,
            Long moveId) {}

    private final SqlDialect dialect;
    private final TableId table;

    AuditTrail(SqlDialect dialect, TableId table) {
        this.dialect = dialect;
        this.table = table;
    }

    void ensure(Connection connection) throws SQLException {
        LinkedHashMap<String, String> columns = new LinkedHashMap<>();
        columns.put(ID, dialect.identityColumn());
        columns.put(AT, dialect.requiredColumn(JDBCType.BIGINT, 0));
        columns.put(PRINCIPAL, dialect.requiredColumn(JDBCType.VARCHAR, 255));
        columns.put(ACTION, dialect.requiredColumn(JDBCType.VARCHAR, 32));
        columns.put(UNIT, dialect.requiredColumn(JDBCType.VARCHAR, 255));
        columns.put(PARTITION, dialect.requiredColumn(JDBCType.VARCHAR, 255));
        columns.put(CHANGE_TO, dialect.requiredColumn(JDBCType.VARCHAR, 64));
        columns.put(PREVIOUS, dialect.optionalColumn(JDBCType.VARCHAR, 64));
        columns.put(REASON, dialect.requiredColumn(JDBCType.VARCHAR, 1000));
        columns.put(OUTCOME, dialect.requiredColumn(JDBCType.VARCHAR, 16));
        columns.put(GUARDS, dialect.optionalColumn(JDBCType.VARCHAR, 2000));
        columns.put(MOVE_ID, dialect.optionalColumn(JDBCType.BIGINT, 0));
        BookkeepingTable.ensure(connection, dialect, table, columns, List.of(ID));
    }

    void record(Connection connection, Entry entry) throws SQLException {
        String sql = dialect.insert(
                table,
                List.of(AT, PRINCIPAL, ACTION, UNIT, PARTITION, CHANGE_TO, PREVIOUS, REASON, OUTCOME, GUARDS, MOVE_ID));
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setLong(1, entry.atMillis());
            insert.setString(2, bounded(entry.principal(), 255));
            insert.setString(3, entry.action().name());
            insert.setString(4, entry.unit());
            insert.setString(5, entry.partition());
            insert.setString(6, entry.changeTo());
            insert.setString(7, entry.previous());
            insert.setString(8, bounded(entry.reason(), 1000));
            insert.setString(9, entry.outcome().name());
            insert.setString(10, entry.guardRails() == null ? null : bounded(entry.guardRails(), 2000));
            if (entry.moveId() == null) {
                insert.setNull(11, Types.BIGINT);
            } else {
                insert.setLong(11, entry.moveId());
            }
            insert.executeUpdate();
        }
    }

    /** The unit's rows, newest first, at most {@code limit}. */
    List<Entry> recent(Connection connection, String unit, int limit) throws SQLException {
        String sql = dialect.selectNewest(
                table,
                List.of(ID, AT, PRINCIPAL, ACTION, PARTITION, CHANGE_TO, PREVIOUS, REASON, OUTCOME, GUARDS, MOVE_ID),
                Where.in(dialect).compare(UNIT, Where.Comparison.EQUAL).text(),
                ID,
                limit);
        List<Entry> entries = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, unit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    long move = rs.getLong(11);
                    Long moveId = rs.wasNull() ? null : move;
                    entries.add(new Entry(
                            rs.getLong(1),
                            rs.getLong(2),
                            rs.getString(3),
                            Action.valueOf(rs.getString(4)),
                            unit,
                            rs.getString(5),
                            rs.getString(6),
                            rs.getString(7),
                            rs.getString(8),
                            Outcome.valueOf(rs.getString(9)),
                            rs.getString(10),
                            moveId));
                }
            }
        }
        return entries;
    }

    private static String bounded(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length - 3) + "...";
    }
}
