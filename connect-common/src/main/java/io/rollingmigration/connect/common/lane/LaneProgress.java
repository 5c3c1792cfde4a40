package io.rollingmigration.connect.common.lane;

import io.rollingmigration.connect.common.dialect.BookkeepingTable;
import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.dialect.Where;
import io.rollingmigration.connect.common.lane.LaneTransactions.Lane;
import io.rollingmigration.connect.common.ownership.OwnershipMoves.LanePosition;
import java.sql.Connection;
import java.sql.JDBCType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How far each lane has applied its change stream, per Kafka partition it consumes, kept in the service's store:
 * the commit time and position of the newest change applied, the lag at that moment, and when the partition last
 * had nothing left to apply. A hand-over reads it twice: to refuse a move while the lane that must be caught up
 * lags, and to hold the other lane's changes of a moved partition until this one has applied everything committed
 * before the move.
 */
public final class LaneProgress {

    static final String CONNECTOR = "connector";
    static final String TOPIC = "topic";
    static final String PARTITION = "kafka_partition";
    static final String LANE = "lane";
    static final String UNIT = "migration_unit";
    static final String NEWEST_COMMIT = "newest_commit_ms";
    static final String NEWEST_POSITION = "newest_position";
    static final String LAG = "lag_ms";
    static final String CAUGHT_UP_AT = "caught_up_at_ms";
    static final String UPDATED_AT = "updated_at_ms";

    /**
     * A partition whose task has written nothing for this long counts as lagging by that long: a healthy task
     * reports at least on every empty poll, which Connect makes at least every offset flush interval.
     */
    public static final long STALE_MILLIS = 180_000;

    /** One Kafka partition a lane consumes. */
    public record Partition(String topic, int partition) {}

    /** The newest change a batch applied in one partition: its commit time (epoch ms) and position, if known. */
    public record Applied(long committedAtMillis, String position) {}

    private final SqlDialect dialect;
    private final TableId table;
    private final String connector;
    private final Lane lane;
    private final String unit;

    public LaneProgress(SqlDialect dialect, TableId table, String connector, Lane lane, String unit) {
        this.dialect = dialect;
        this.table = table;
        this.connector = connector;
        this.lane = lane;
        this.unit = unit;
    }

    /** Creates the table if missing, and commits. */
    public void ensureTable(Connection connection) throws SQLException {
        LinkedHashMap<String, String> columns = new LinkedHashMap<>();
        columns.put(CONNECTOR, dialect.requiredColumn(JDBCType.VARCHAR, 255));
        columns.put(TOPIC, dialect.requiredColumn(JDBCType.VARCHAR, 255));
        columns.put(PARTITION, dialect.requiredColumn(JDBCType.INTEGER, 0));
        columns.put(LANE, dialect.requiredColumn(JDBCType.VARCHAR, 16));
        columns.put(UNIT, dialect.requiredColumn(JDBCType.VARCHAR, 255));
        columns.put(NEWEST_COMMIT, dialect.optionalColumn(JDBCType.BIGINT, 0));
        columns.put(NEWEST_POSITION, dialect.optionalColumn(JDBCType.VARCHAR, 255));
        columns.put(LAG, dialect.optionalColumn(JDBCType.BIGINT, 0));
        columns.put(CAUGHT_UP_AT, dialect.optionalColumn(JDBCType.BIGINT, 0));
        columns.put(UPDATED_AT, dialect.requiredColumn(JDBCType.BIGINT, 0));
        BookkeepingTable.ensure(connection, dialect, table, columns, List.of(CONNECTOR, TOPIC, PARTITION));
    }

    /** Records, in the caller's transaction, the newest change a batch applied in each partition. */
    public void applied(Connection connection, Map<Partition, Applied> newest, long nowMillis) throws SQLException {
        if (newest.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = connection.prepareStatement(dialect.upsert(
                table,
                List.of(CONNECTOR, TOPIC, PARTITION),
                List.of(CONNECTOR, TOPIC, PARTITION, LANE, UNIT, NEWEST_COMMIT, NEWEST_POSITION, LAG, UPDATED_AT)))) {
            for (Map.Entry<Partition, Applied> entry : newest.entrySet()) {
                bindPartition(upsert, entry.getKey());
                upsert.setLong(6, entry.getValue().committedAtMillis());
                upsert.setString(7, entry.getValue().position());
                upsert.setLong(8, Math.max(0, nowMillis - entry.getValue().committedAtMillis()));
                upsert.setLong(9, nowMillis);
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    /** Records, in the caller's transaction, that these partitions had nothing left to apply at {@code nowMillis}. */
    public void caughtUp(Connection connection, Collection<Partition> partitions, long nowMillis) throws SQLException {
        if (partitions.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = connection.prepareStatement(dialect.upsert(
                table,
                List.of(CONNECTOR, TOPIC, PARTITION),
                List.of(CONNECTOR, TOPIC, PARTITION, LANE, UNIT, LAG, CAUGHT_UP_AT, UPDATED_AT)))) {
            for (Partition partition : partitions) {
                bindPartition(upsert, partition);
                upsert.setLong(6, 0);
                upsert.setLong(7, nowMillis);
                upsert.setLong(8, nowMillis);
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    private void bindPartition(PreparedStatement statement, Partition partition) throws SQLException {
        statement.setString(1, connector);
        statement.setString(2, partition.topic());
        statement.setInt(3, partition.partition());
        statement.setString(4, lane.name());
        statement.setString(5, unit);
    }

    /** One partition's row. */
    private record Row(Long newestCommit, String position, long lag, Long caughtUpAt, long updatedAt) {}

    private List<Row> rows(Connection connection, Lane of) throws SQLException {
        String sql = dialect.selectWhere(
                table,
                List.of(NEWEST_COMMIT, NEWEST_POSITION, LAG, CAUGHT_UP_AT, UPDATED_AT),
                Where.in(dialect)
                        .compare(LANE, Where.Comparison.EQUAL)
                        .compare(UNIT, Where.Comparison.EQUAL)
                        .text());
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, of.name());
            select.setString(2, unit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(nullable(rs, 1), rs.getString(2), rs.getLong(3), nullable(rs, 4), rs.getLong(5)));
                }
            }
        }
        return rows;
    }

    private static Long nullable(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    /**
     * Where lane {@code of} of this unit stands now: its newest applied change over all partitions and its lag, the
     * largest of its partitions' (a partition not heard of for {@link #STALE_MILLIS} lags by its silence). A lane that
     * never reported stands nowhere: its lag is unknown, reported as {@code Long.MAX_VALUE}.
     */
    public LanePosition position(Connection connection, Lane of, long nowMillis) throws SQLException {
        List<Row> rows = rows(connection, of);
        if (rows.isEmpty()) {
            return new LanePosition(null, null, Long.MAX_VALUE);
        }
        Row newest = null;
        long lag = 0;
        for (Row row : rows) {
            long silence = nowMillis - row.updatedAt();
            lag = Math.max(lag, silence > STALE_MILLIS ? silence : row.lag());
            if (row.newestCommit() != null && (newest == null || row.newestCommit() > newest.newestCommit())) {
                newest = row;
            }
        }
        return new LanePosition(
                newest == null ? null : newest.position(), newest == null ? null : newest.newestCommit(), lag);
    }

    /**
     * True once lane {@code of} of this unit has applied everything committed before {@code momentMillis}: in every
     * partition it has applied a change committed at or after that moment, or it had nothing left to apply at least
     * {@code settleMillis} after it (what its source may still have been capturing at that moment, it has since
     * delivered). False for a lane that never reported.
     */
    public boolean caughtUpPast(Connection connection, Lane of, long momentMillis, long settleMillis)
            throws SQLException {
        List<Row> rows = rows(connection, of);
        if (rows.isEmpty()) {
            return false;
        }
        for (Row row : rows) {
            boolean applied = row.newestCommit() != null && row.newestCommit() >= momentMillis;
            boolean idleSince = row.caughtUpAt() != null && row.caughtUpAt() >= momentMillis + settleMillis;
            if (!applied && !idleSince) {
                return false;
            }
        }
        return true;
    }

    public TableId table() {
        return table;
    }
}
