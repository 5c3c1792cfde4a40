package io.rollingmigration.connect.reconcile.store;

import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.dialect.Where;
import io.rollingmigration.connect.common.lineage.Lineage;
import io.rollingmigration.connect.common.lineage.Operation;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * What the target's lineage columns tell about the pipeline that writes it: how far it has applied the legacy
 * change stream, the lag it showed lately, when it last wrote. For a fragment, only the rows its own sink wrote
 * (its lane) count.
 */
final class AppliedLineage {

    private static final String SOURCE_TABLE = Lineage.Field.SOURCE_TABLE.column();
    private static final String COMMITTED_AT = Lineage.Field.SOURCE_COMMIT_TIME.column();
    private static final String APPLIED_AT = Lineage.Field.APPLIED_AT.column();
    private static final String OPERATION = Lineage.Field.OPERATION.column();
    private static final long LATE_COMMIT_MILLIS = 10_000;

    private final Session session;
    private final SqlDialect dialect;
    private final TableId table;
    private final boolean hasOperation;
    private String lane;
    private Instant appliedPosition;
    private Instant appliedAtSeen;

    AppliedLineage(Session session, TableId table, boolean hasOperation) {
        this.session = session;
        this.dialect = session.dialect();
        this.table = table;
        this.hasOperation = hasOperation;
    }

    /** Counts only the rows whose lineage source table is {@code lane}. */
    void withinLane(String laneTable) {
        this.lane = laneTable;
    }

    /** The fragment's lineage source table, or {@code null} when every row counts. */
    String lane() {
        return lane;
    }

    /** The newest lineage_applied_at, or {@code null} for an empty table. */
    Instant lastApplied() throws SQLException {
        PreparedStatement statement = session.prepare(
                dialect.maxOf(table, APPLIED_AT, lane == null ? null : TargetLayout.sourceTableEquals(dialect)));
        if (lane != null) {
            statement.setString(1, lane);
        }
        Instant applied;
        try (ResultSet rs = statement.executeQuery()) {
            rs.next();
            applied = Rows.instant(rs.getObject(1));
        }
        session.endTransaction();
        return applied;
    }

    /**
     * The legacy commit time of the newest streamed change the target holds: how far the pipeline has applied.
     * Snapshot rows are left out: they carry the time they were read, not a position in the change stream, so
     * during a backfill they would claim the stream is further along than it is.
     * <p>
     * Asked about once a second while differences wait for the pipeline, so only the first call reads the whole
     * table; later calls read the rows applied since the newest {@code lineage_applied_at} the previous call saw
     * (through its index), less {@link #LATE_COMMIT_MILLIS} for sink transactions that committed after rows stamped
     * later. A change that commits later still is left out, which can only make the position look older: a suspect
     * then waits longer, it is never reported as drift early.
     */
    Instant appliedPosition() throws SQLException {
        Instant since = appliedAtSeen == null ? null : appliedAtSeen.minusMillis(LATE_COMMIT_MILLIS);
        Where where = Where.in(dialect);
        if (since != null) {
            where.compare(APPLIED_AT, Where.Comparison.AT_LEAST);
        }
        if (lane != null) {
            where.compare(SOURCE_TABLE, Where.Comparison.EQUAL);
        }
        String sql = dialect.maxOfBoth(table, APPLIED_AT, COMMITTED_AT, hasOperation ? OPERATION : null, where.text());
        PreparedStatement statement = session.prepare(sql);
        int index = 1;
        if (hasOperation) {
            statement.setString(index++, Operation.READ.name());
        }
        if (since != null) {
            KeyCodec.bindOne(statement, index++, since);
        }
        if (lane != null) {
            statement.setString(index, lane);
        }
        Instant newestApplied;
        Instant newestCommit;
        try (ResultSet rs = statement.executeQuery()) {
            rs.next();
            newestApplied = Rows.instant(rs.getObject(1));
            newestCommit = Rows.instant(rs.getObject(2));
        }
        session.endTransaction();
        appliedPosition = latest(appliedPosition, newestCommit);
        appliedAtSeen = latest(appliedAtSeen, newestApplied);
        return appliedPosition;
    }

    /** The later of two times, either of which may be unknown. */
    private static Instant latest(Instant known, Instant found) {
        return found != null && (known == null || found.isAfter(known)) ? found : known;
    }

    /** The largest replication lag (applied minus legacy commit) among rows applied at or after {@code since}. */
    long observedLagMillis(Instant since) throws SQLException {
        Where where = Where.in(dialect).compare(APPLIED_AT, Where.Comparison.AT_LEAST);
        if (lane != null) {
            where.compare(SOURCE_TABLE, Where.Comparison.EQUAL);
        }
        String sql = dialect.selectWhere(table, List.of(COMMITTED_AT, APPLIED_AT), where.text());
        PreparedStatement statement = session.prepare(sql);
        KeyCodec.bindOne(statement, 1, since);
        if (lane != null) {
            statement.setString(2, lane);
        }
        statement.setMaxRows(10_000);
        long lag = 0;
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                Instant committed = Rows.instant(rs.getObject(1));
                Instant applied = Rows.instant(rs.getObject(2));
                if (committed != null && applied != null) {
                    lag = Math.max(lag, applied.toEpochMilli() - committed.toEpochMilli());
                }
            }
        }
        session.endTransaction();
        return lag;
    }
}
