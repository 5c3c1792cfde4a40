package io.rollingmigration.connect.sink.ownership;

import io.rollingmigration.connect.common.lane.LaneProgress;
import io.rollingmigration.connect.common.lane.LaneTransactions.Lane;
import io.rollingmigration.connect.common.ownership.Owner;
import io.rollingmigration.connect.common.ownership.OwnershipGate;
import io.rollingmigration.connect.common.ownership.OwnershipMoves;
import io.rollingmigration.connect.common.ownership.OwnershipMoves.LanePosition;
import io.rollingmigration.connect.common.ownership.OwnershipMoves.Move;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lane's part in hand-overs of write ownership. It reports how far it has applied its change stream, and it
 * decides the moves that need it caught up: the forward lane the moves to TARGET (legacy's writes before the move
 * must reach the service first), the write-back lane the moves back to LEGACY (the service's writes must reach
 * legacy first). A move is refused, with the reason in the journal, while the lane lags more than the bound;
 * otherwise the ownership row and the move's record (when, by which connector, the lane's position and lag) change
 * in one transaction of the service's store.
 */
public final class HandOverDuty {

    private static final Logger log = LoggerFactory.getLogger(HandOverDuty.class);
    /** Progress is recorded at most this often: a batch every few milliseconds need not pay a write each. */
    static final long REPORT_MILLIS = 500;

    private final OwnershipMoves moves;
    private final OwnershipGate gate;
    private final LaneProgress progress;
    private final Lane lane;
    private final Owner decides;
    private final String connector;
    private final long maxLagMillis;
    private final long refreshMillis;
    private boolean ready;
    private long nextDecisionAt;
    private long lastReport = Long.MIN_VALUE;
    private boolean drainedSinceReport;
    private final Map<LaneProgress.Partition, LaneProgress.Applied> unreported = new HashMap<>();

    /**
     * @param lane    the lane this task belongs to
     * @param decides the owner of the moves this lane decides
     */
    public HandOverDuty(
            OwnershipMoves moves,
            OwnershipGate gate,
            LaneProgress progress,
            Lane lane,
            Owner decides,
            String connector,
            long maxLagMillis,
            long refreshMillis) {
        this.moves = moves;
        this.gate = gate;
        this.progress = progress;
        this.lane = lane;
        this.decides = decides;
        this.connector = connector;
        this.maxLagMillis = maxLagMillis;
        this.refreshMillis = Math.max(200, refreshMillis);
    }

    private void prepare(Connection db) throws SQLException {
        if (!ready) {
            moves.ensureTable(db);
            progress.ensureTable(db);
            ready = true;
        }
    }

    /**
     * Reports what a batch applied, after it committed: the newest change of each partition, and whether the batch
     * drained the task's partitions (Connect delivered fewer records than a poll may hold, or none), so that a
     * partition without new changes still shows it has nothing left. Written at most every
     * {@link #REPORT_MILLIS}; what is not written yet is kept for the next report.
     *
     * @param drained  true if nothing was left to apply in {@code assigned} when the batch was fetched
     */
    public void report(
            Connection db,
            Map<LaneProgress.Partition, LaneProgress.Applied> newest,
            boolean drained,
            Collection<LaneProgress.Partition> assigned,
            long nowMillis)
            throws SQLException {
        newest.forEach((partition, applied) ->
                unreported.merge(partition, applied, (a, b) -> b.committedAtMillis() >= a.committedAtMillis() ? b : a));
        drainedSinceReport = drained;
        if (lastReport != Long.MIN_VALUE && nowMillis - lastReport < REPORT_MILLIS) {
            return;
        }
        prepare(db);
        progress.applied(db, unreported, nowMillis);
        if (drainedSinceReport) {
            // A partition that just applied changes keeps their lag: delivered late, they say the source is behind.
            List<LaneProgress.Partition> idle = new ArrayList<>(assigned);
            idle.removeAll(unreported.keySet());
            progress.caughtUp(db, idle, nowMillis);
        }
        db.commit();
        unreported.clear();
        lastReport = nowMillis;
    }

    /** Decides the requested moves this lane owes a decision, at most once per refresh interval. */
    public void decideDue(Connection db, long nowMillis) throws SQLException {
        if (nowMillis < nextDecisionAt) {
            return;
        }
        nextDecisionAt = nowMillis + refreshMillis;
        prepare(db);
        for (Move move : moves.pending(db, gate.unit(), decides)) {
            decide(db, move, nowMillis);
        }
        db.commit();
    }

    private void decide(Connection db, Move move, long nowMillis) throws SQLException {
        LanePosition position = progress.position(db, lane, nowMillis);
        if (position.lagMillis() > maxLagMillis) {
            String reason = position.lagMillis() == Long.MAX_VALUE
                    ? "the " + laneName() + " lane has not reported its progress yet, so nothing proves it has "
                            + "applied the writes before the move; retry once it runs"
                    : "the " + laneName() + " lane lags " + position.lagMillis() + " ms behind its source, more "
                            + "than handover.max.lag.ms=" + maxLagMillis + "; wait until it catches up, or raise "
                            + "the bound";
            if (moves.refuse(db, move, connector, reason, nowMillis, position)) {
                db.commit();
                log.warn(
                        "Refused to move {} partition '{}' to {}: {}",
                        move.unit(),
                        move.partition(),
                        move.to(),
                        reason);
            }
            return;
        }
        if (moves.carryOut(db, move, connector, nowMillis, position)) {
            gate.moveTo(db, move.partition(), move.to(), nowMillis);
            db.commit();
            log.info(
                    "Moved {} partition '{}' to {} as of {} (requested by {}); the {} lane had applied up to {}, {} ms "
                            + "behind",
                    move.unit(),
                    move.partition(),
                    move.to(),
                    Instant.ofEpochMilli(nowMillis),
                    move.requestedBy(),
                    laneName(),
                    describe(position),
                    position.lagMillis());
        } else {
            db.rollback();
        }
    }

    /**
     * The newest change of each Kafka partition in a batch, by the commit time {@code committedAt} reads (records
     * without one are left out) and the position {@code position} reads (may be null).
     */
    public static Map<LaneProgress.Partition, LaneProgress.Applied> newestOf(
            Collection<SinkRecord> records,
            Function<SinkRecord, Long> committedAt,
            Function<SinkRecord, String> position) {
        Map<LaneProgress.Partition, LaneProgress.Applied> newest = new HashMap<>();
        for (SinkRecord record : records) {
            Long committed = committedAt.apply(record);
            if (committed == null) {
                continue;
            }
            newest.merge(
                    new LaneProgress.Partition(record.topic(), record.kafkaPartition()),
                    new LaneProgress.Applied(committed, position.apply(record)),
                    (a, b) -> b.committedAtMillis() >= a.committedAtMillis() ? b : a);
        }
        return newest;
    }

    /**
     * True if a batch of this size left nothing behind in the task's partitions: Connect hands over what one
     * consumer poll returned, at most {@code consumer max.poll.records}, so a smaller batch (or none) was all there
     * was when it was fetched.
     */
    public static boolean drained(int batchSize, int maxPollRecords) {
        return batchSize < maxPollRecords;
    }

    /**
     * The most records a consumer poll returns for this connector: its {@code consumer.override.max.poll.records},
     * else the consumer's default.
     */
    public static int maxPollRecords(Map<String, String> connectorProps) {
        String value = connectorProps.get("consumer.override.max.poll.records");
        try {
            return value == null ? 500 : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 500;
        }
    }

    /** The Kafka partitions of a task's assignment, as the progress table names them. */
    public static List<LaneProgress.Partition> partitionsOf(Collection<TopicPartition> assignment) {
        List<LaneProgress.Partition> partitions = new ArrayList<>(assignment.size());
        assignment.forEach(tp -> partitions.add(new LaneProgress.Partition(tp.topic(), tp.partition())));
        return partitions;
    }

    private static String describe(LanePosition position) {
        if (position.committedAtMillis() == null) {
            return "no change yet";
        }
        String committed = "the change committed at " + Instant.ofEpochMilli(position.committedAtMillis());
        return position.position() == null ? committed : committed + " (position " + position.position() + ")";
    }

    private String laneName() {
        return lane == Lane.FORWARD ? "forward" : "write-back";
    }
}
