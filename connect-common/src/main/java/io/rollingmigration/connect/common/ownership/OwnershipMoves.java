package io.rollingmigration.connect.common.ownership;

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
import java.util.Locale;

/**
 * The journal of hand-overs in the service's store: an operator asks for a partition to move by inserting a row
 * ({@code migration_unit}, {@code partition_value}, {@code to_owner}, {@code requested_by}); the lane that must be
 * caught up for the move to lose nothing decides it (the forward lane a move to TARGET, the write-back lane a move
 * back to LEGACY), and the row keeps the decision: refused with the reason, or done, when, by which connector, and
 * at which position of the lane, with the lane's lag at that moment.
 */
public final class OwnershipMoves {

    public static final String ID = "move_id";
    public static final String UNIT = "migration_unit";
    public static final String PARTITION = "partition_value";
    public static final String TO_OWNER = "to_owner";
    public static final String REQUESTED_BY = "requested_by";
    public static final String STATUS = "status";
    public static final String REASON = "reason";
    public static final String DECIDED_BY = "decided_by";
    public static final String DECIDED_AT = "decided_at_ms";
    public static final String POSITION = "lane_position";
    public static final String POSITION_COMMITTED_AT = "lane_committed_at_ms";
    public static final String LAG = "lane_lag_ms";

    /** Where a move stands. */
    public enum Status {
        REQUESTED,
        DONE,
        REFUSED
    }

    /** A move as the journal holds it; {@code to} is {@code null} when the request names no owner there is. */
    public record Move(long id, String unit, String partition, Owner to, String requestedBy, Long decidedAtMillis) {}

    /** Where the deciding lane stood: the newest change it had applied, its commit time, and its lag. */
    public record LanePosition(String position, Long committedAtMillis, long lagMillis) {}

    private final SqlDialect dialect;
    private final TableId table;

    public OwnershipMoves(SqlDialect dialect, TableId table) {
        this.dialect = dialect;
        this.table = table;
    }

    /** Creates the journal if missing, and commits. */
    public void ensureTable(Connection connection) throws SQLException {
        LinkedHashMap<String, String> columns = new LinkedHashMap<>();
        columns.put(ID, dialect.identityColumn());
        columns.put(UNIT, dialect.requiredColumn(JDBCType.VARCHAR, 255));
        columns.put(PARTITION, dialect.requiredColumn(JDBCType.VARCHAR, 255));
        columns.put(TO_OWNER, dialect.requiredColumn(JDBCType.VARCHAR, 16));
        columns.put(REQUESTED_BY, dialect.optionalColumn(JDBCType.VARCHAR, 255));
        columns.put(STATUS, dialect.optionalColumn(JDBCType.VARCHAR, 16));
        columns.put(REASON, dialect.optionalColumn(JDBCType.VARCHAR, 1000));
        columns.put(DECIDED_BY, dialect.optionalColumn(JDBCType.VARCHAR, 255));
        columns.put(DECIDED_AT, dialect.optionalColumn(JDBCType.BIGINT, 0));
        columns.put(POSITION, dialect.optionalColumn(JDBCType.VARCHAR, 255));
        columns.put(POSITION_COMMITTED_AT, dialect.optionalColumn(JDBCType.BIGINT, 0));
        columns.put(LAG, dialect.optionalColumn(JDBCType.BIGINT, 0));
        BookkeepingTable.ensure(connection, dialect, table, columns, List.of(ID));
    }

    /**
     * The moves of a unit to {@code to} not decided yet, oldest first; with TARGET also the requests that name no
     * owner there is, so that one lane refuses them instead of leaving them pending without a word. Reads in the
     * caller's transaction.
     */
    public List<Move> pending(Connection connection, String unit, Owner to) throws SQLException {
        List<Move> moves = new ArrayList<>();
        for (Move move : read(connection, unit, null)) {
            boolean ours = move.to() == to || (move.to() == null && to == Owner.TARGET);
            if (ours && move.decidedAtMillis() == null) {
                moves.add(move);
            }
        }
        return moves;
    }

    /** The moves of a unit carried out, oldest first. Reads in the caller's transaction. */
    public List<Move> done(Connection connection, String unit) throws SQLException {
        return read(connection, unit, Status.DONE);
    }

    private List<Move> read(Connection connection, String unit, Status status) throws SQLException {
        Where where = Where.in(dialect).compare(UNIT, Where.Comparison.EQUAL);
        if (status != null) {
            where.compare(STATUS, Where.Comparison.EQUAL);
        }
        String sql = dialect.selectWhere(
                table, List.of(ID, PARTITION, TO_OWNER, REQUESTED_BY, STATUS, DECIDED_AT), where.text());
        List<Move> moves = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, unit);
            if (status != null) {
                select.setString(2, status.name());
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Owner to = owner(rs.getString(3));
                    long decidedAt = rs.getLong(6);
                    boolean decided = !rs.wasNull();
                    String state = rs.getString(5);
                    if ((decided && to == null)
                            || (!decided
                                    && state != null
                                    && !Status.REQUESTED.name().equals(state))) {
                        continue;
                    }
                    moves.add(new Move(
                            rs.getLong(1), unit, rs.getString(2), to, rs.getString(4), decided ? decidedAt : null));
                }
            }
        }
        moves.sort((a, b) -> Long.compare(a.id(), b.id()));
        return moves;
    }

    private static Owner owner(String text) {
        try {
            return text == null ? null : Owner.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Refuses a move, in the caller's transaction, with the reason the operator reads in the row and where the lane
     * stood; false if another task decided it first.
     */
    public boolean refuse(
            Connection connection, Move move, String decidedBy, String reason, long nowMillis, LanePosition position)
            throws SQLException {
        return decide(connection, move, Status.REFUSED, decidedBy, reason, nowMillis, position);
    }

    /**
     * Records a move as done, in the caller's transaction (the same that moves the ownership row); false if
     * another task decided it first, and then nothing may be moved.
     */
    public boolean carryOut(Connection connection, Move move, String decidedBy, long nowMillis, LanePosition position)
            throws SQLException {
        return decide(connection, move, Status.DONE, decidedBy, null, nowMillis, position);
    }

    private boolean decide(
            Connection connection,
            Move move,
            Status status,
            String decidedBy,
            String reason,
            long nowMillis,
            LanePosition position)
            throws SQLException {
        String sql = dialect.updateWhere(
                table,
                List.of(STATUS, REASON, DECIDED_BY, DECIDED_AT, POSITION, POSITION_COMMITTED_AT, LAG),
                Where.in(dialect)
                        .compare(ID, Where.Comparison.EQUAL)
                        .isNull(DECIDED_AT)
                        .text());
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            update.setString(1, status.name());
            update.setString(2, reason == null ? null : truncated(reason));
            update.setString(3, decidedBy);
            update.setLong(4, nowMillis);
            update.setString(5, position == null ? null : position.position());
            if (position == null || position.committedAtMillis() == null) {
                update.setNull(6, Types.BIGINT);
            } else {
                update.setLong(6, position.committedAtMillis());
            }
            if (position == null || position.lagMillis() == Long.MAX_VALUE) {
                update.setNull(7, Types.BIGINT);
            } else {
                update.setLong(7, position.lagMillis());
            }
            update.setLong(8, move.id());
            return update.executeUpdate() == 1;
        }
    }

    private static String truncated(String reason) {
        return reason.length() <= 1000 ? reason : reason.substring(0, 997) + "...";
    }

    /** A journal row as an operator reads it: the request and, once decided, the decision. */
    public record Entry(
            long id,
            String partition,
            String toOwner,
            String requestedBy,
            String status,
            String reason,
            String decidedBy,
            Long decidedAtMillis,
            Long laneLagMillis) {}

    /**
     * Asks for a partition to move, in the caller's transaction, as an operator's INSERT would; the lane that must
     * be caught up decides it. Returns the move's id.
     */
    public long request(Connection connection, String unit, String partition, Owner to, String requestedBy)
            throws SQLException {
        String sql = dialect.insert(table, List.of(UNIT, PARTITION, TO_OWNER, REQUESTED_BY, STATUS));
        try (PreparedStatement insert = connection.prepareStatement(sql, new String[] {ID})) {
            insert.setString(1, unit);
            insert.setString(2, partition);
            insert.setString(3, to.name());
            insert.setString(4, requestedBy == null ? null : truncated(requestedBy));
            insert.setString(5, Status.REQUESTED.name());
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("The journal " + table + " gave no id for the new move");
                }
                return keys.getLong(1);
            }
        }
    }

    /** The unit's journal, newest first, at most {@code limit} rows. Reads in the caller's transaction. */
    public List<Entry> recent(Connection connection, String unit, int limit) throws SQLException {
        String sql = dialect.selectNewest(
                table,
                List.of(ID, PARTITION, TO_OWNER, REQUESTED_BY, STATUS, REASON, DECIDED_BY, DECIDED_AT, LAG),
                Where.in(dialect).compare(UNIT, Where.Comparison.EQUAL).text(),
                ID,
                limit);
        List<Entry> entries = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, unit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    long decidedAt = rs.getLong(8);
                    Long decided = rs.wasNull() ? null : decidedAt;
                    long lag = rs.getLong(9);
                    Long lagMillis = rs.wasNull() ? null : lag;
                    entries.add(new Entry(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getString(7),
                            decided,
                            lagMillis));
                }
            }
        }
        return entries;
    }

    public TableId table() {
        return table;
    }
}
