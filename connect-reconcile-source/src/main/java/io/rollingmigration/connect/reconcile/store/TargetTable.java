package io.rollingmigration.connect.reconcile.store;

import static io.rollingmigration.connect.reconcile.store.TargetLayout.SOURCE_TABLE;

import io.rollingmigration.connect.common.compare.TargetRow;
import io.rollingmigration.connect.common.dialect.TableDescription;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.lane.LaneTransactions;
import io.rollingmigration.connect.reconcile.digest.BucketDigests;
import io.rollingmigration.connect.reconcile.digest.DigestPlan;
import io.rollingmigration.connect.reconcile.digest.RowSelection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * The target table, read only, through its lineage: rows looked up by legacy key (the indexed
 * lineage_source_key), live rows walked in source key order, rows applied since a time, and the pipeline's
 * applied position.
 */
public final class TargetTable {

    private final Session session;
    private final TargetLayout layout;
    private final AppliedLineage applied;
    private final TargetLookups lookups;
    private final TargetWalks walks;
    /** In the reverse direction, the lanes' log the write-back's progress is read from; {@code null} otherwise. */
    private LaneTransactions writebackLog;
    /** Whether that log exists yet: the lane creates it when it first starts, which may be after the reconciler. */
    private boolean laneLogSeen;

    private TargetTable(Session session, TargetLayout layout) {
        this.session = session;
        this.layout = layout;
        this.applied = new AppliedLineage(session, layout.table, layout.hasOperation);
        this.lookups = new TargetLookups(session, layout);
        this.walks = new TargetWalks(session, layout, applied);
    }

    /**
     * Checks that the table has a primary key, the lineage columns the pairing needs and every compared field.
     *
     * @param keyField    the column that must be the primary key (the aggregate's key field), or {@code null}
     * @param sourceTable only rows stamped with this lineage source table take part, or {@code null} for all
     */
    public static TargetTable describe(
            Session session, TableId table, String keyField, List<String> fields, String sourceTable)
            throws SQLException {
        TableDescription description = TableDescription.read(session.connection(), session.dialect(), table)
                .orElseThrow(() -> new ConnectException("Target table " + table + " does not exist"));
        session.endTransaction();
        return new TargetTable(session, TargetLayout.check(table, description, keyField, fields, sourceTable));
    }

    public List<String> keyColumns() {
        return layout.keyColumns;
    }

    /** The table's columns as the database describes them. */
    public TableDescription description() {
        return layout.description;
    }

    /**
     * Reads this table as holding one fragment among several: the pipeline's progress (applied position, lag, last
     * write) and the rows applied since a time are those this fragment's sink stamped with {@code lane} as their
     * lineage source table.
     *
     * @throws ConnectException if the table has no lineage_source_table column to tell the fragments apart
     */
    public TargetTable asFragmentOf(String lineageSourceTable) {
        if (layout.description.column(SOURCE_TABLE).isEmpty()) {
            throw new ConnectException("Target table " + layout.table + " has no lineage column '" + SOURCE_TABLE
                    + "': a fragment's reconciler tells its own writes from the other fragments' by it");
        }
        applied.withinLane(lineageSourceTable);
        return this;
    }

    /**
     * Reads the pipeline's progress as the write-back lane's, from the lanes' transaction log in this database: the
     * last write is the lane's last recorded transaction; legacy rows carry no time of the lane's changes, so there
     * is no applied position and no observed lag.
     */
    public TargetTable asCopiedBackBy(LaneTransactions log) {
        this.writebackLog = log;
        return this;
    }

    /**
     * True when the lane checked leaves no change time to wait for (the write-back into legacy): any difference may
     * be a change on its way while the lane is writing.
     */
    public boolean changesUntimed() {
        return writebackLog != null;
    }

    /** True if the row's last change came from the legacy table of this fragment's lane. */
    public boolean writtenByLane(TargetRow row) {
        return applied.lane() != null && applied.lane().equals(row.values().get(SOURCE_TABLE));
    }

    /** Rows by their own key (the aggregate's key), delete markers included, whatever their lineage says. */
    public Map<String, TargetRow> byTargetKeys(Collection<String> targetKeys, int batch) throws SQLException {
        return lookups.byTargetKeys(targetKeys, batch);
    }

    /** Every row (delete markers included) whose lineage source key is one of the given, by source key. */
    public Map<String, List<TargetRow>> bySourceKeys(Collection<String> sourceKeys, int batch) throws SQLException {
        return lookups.bySourceKeys(sourceKeys, batch);
    }

    /** The digests of the live rows under each of the given source keys (hash pushdown); keys without one absent. */
    public Map<String, List<Long>> rowDigests(Collection<String> sourceKeys, int batch, DigestPlan plan)
            throws SQLException {
        return lookups.rowDigests(sourceKeys, batch, plan);
    }

    /**
     * Up to {@code limit} rows after the given one in the order of the table's own key (delete markers left out),
     * with every compared field and their lineage: the walk of a fragment's rows, whose lineage key may be another
     * fragment's.
     */
    public List<TargetRow> keyChunk(String after, int limit) throws SQLException {
        return walks.keyChunk(after, limit);
    }

    /** Where a walk in key order stands after a row: its key, as {@link #keyChunk} resumes from it. */
    public String keyPositionOf(TargetRow row) {
        return row.targetKey();
    }

    /**
     * Up to {@code limit} live rows of the range in (source key, target key) order, after the given row, with their
     * source key, target key and commit time only; only rows of differing buckets when a filter is given.
     */
    public List<TargetRow> liveChunk(KeyRange range, String after, int limit, RowSelection selection)
            throws SQLException {
        return walks.liveChunk(range, after, limit, selection);
    }

    /**
     * Up to {@code limit} rows of the selection in (source key, target key) order with every compared field, delete
     * markers included: what a comparison by key would look up, read in one scan.
     */
    public List<TargetRow> rowsIn(KeyRange range, int limit, RowSelection selection) throws SQLException {
        return walks.rowsIn(range, limit, selection);
    }

    /** Like {@link #liveChunk}, among rows the sink applied after {@code since}, delete markers included. */
    public List<TargetRow> appliedSince(KeyRange range, Instant since, String after, int limit, RowSelection selection)
            throws SQLException {
        return walks.appliedSince(range, since, after, limit, selection);
    }

    /**
     * The rows of the range the sink applied after {@code since}, delete markers included, or {@code null} if there
     * are more than {@code limit} of them: their source keys, and with a plan the digests of the live ones.
     *
     * @param plan the hash pushdown whose row digests to compute, or {@code null} for the keys only
     */
    public AppliedRows appliedRows(KeyRange range, Instant since, int limit, RowSelection selection, DigestPlan plan)
            throws SQLException {
        return walks.appliedRows(range, since, limit, selection, plan);
    }

    /** Where a walk stands after a row, as text to resume from: canonical JSON of source key and target key. */
    public String positionOf(TargetRow row) {
        return layout.walkKey.canonical(row.values());
    }

    /** Source keys that split the live rows into {@code count} ranges of about equal size. */
    public List<String> boundaries(int count) throws SQLException {
        return walks.boundaries(count);
    }

    /** The buckets' digests of this side, over the whole table. */
    public BucketDigests digests(DigestPlan plan, KeyRange share) throws SQLException {
        BucketDigests digests = session.scan(plan.targetQuery(share.index(), share.count()), statement -> {
            if (plan.bindsSourceTable()) {
                statement.setString(1, layout.sourceTable);
            }
            return BucketDigests.read(statement, plan.buckets());
        });
        session.endTransaction();
        return digests;
    }

    /** Ends a failed transaction, so that the session can go on. */
    public void recover() throws SQLException {
        session.connection().rollback();
    }

    /** The newest lineage_applied_at, or {@code null} for an empty table. */
    public Instant lastApplied() throws SQLException {
        if (writebackLog != null) {
            if (!laneLogSeen) {
                laneLogSeen = TableDescription.read(session.connection(), session.dialect(), writebackLog.table())
                        .isPresent();
                session.endTransaction();
                if (!laneLogSeen) {
                    return null;
                }
            }
            Long at = writebackLog.lastRecorded(session.connection(), LaneTransactions.Lane.WRITEBACK);
            session.endTransaction();
            return at == null ? null : Instant.ofEpochMilli(at);
        }
        return applied.lastApplied();
    }

    /** How far the pipeline has applied the legacy change stream; see {@link AppliedLineage#appliedPosition()}. */
    public Instant appliedPosition() throws SQLException {
        return writebackLog != null ? null : applied.appliedPosition();
    }

    /** The largest replication lag among rows applied at or after {@code since}. */
    public long observedLagMillis(Instant since) throws SQLException {
        return writebackLog != null ? 0 : applied.observedLagMillis(since);
    }
}
