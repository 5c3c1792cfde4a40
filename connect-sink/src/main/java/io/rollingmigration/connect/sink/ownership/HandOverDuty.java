package io.rollingmigration.connect.sink.ownership;

import io.rollingmigration.connect.common.config.HandOverConfig;
import io.rollingmigration.connect.common.dialect.SqlDialect;
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
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.AbstractConfig;
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
    private final int maxPollRecords;
    private boolean ready;
    private long nextDecisionAt;
    private long lastReport = Long.MIN_VALUE;
    private boolean drainedSinceReport;
    private final Map<LaneProgress.Partition, LaneProgress.Applied> unreported = new HashMap<>();

    private HandOverDuty(
            OwnershipMoves moves,
            OwnershipGate gate,
            LaneProgress progress,
            Lane lane,
            Owner decides,
            String connector,
            long maxLagMillis,
            long refreshMillis,
            int maxPollRecords) {
        this.moves = moves;
        this.gate = gate;
        this.progress = progress;
        this.lane = lane;
        this.decides = decides;
        this.connector = connector;
        this.maxLagMillis = maxLagMillis;
        this.refreshMillis = Math.max(200, refreshMillis);
        this.maxPollRecords = maxPollRecords;
    }

    /**
     * The duty of a sink task of {@code lane}, which decides the moves to {@code decides}, in the service's store
     * that {@code gate} reads; empty when the config turns hand-overs off ({@code ownership.moves.table} empty).
     *
     * @param props the task's properties: its connector's name and consumer overrides
     */
    public static Optional<HandOverDuty> of(
            AbstractConfig config,
            Map<String, String> props,
            SqlDialect dialect,
            OwnershipGate gate,
            Lane lane,
            Owner decides,
            long refreshMillis) {
        String connector = props.getOrDefault("name", "unnamed");
        return HandOverConfig.movesTable(config)
                .map(table -> new HandOverDuty(
                        new OwnershipMoves(dialect, table),
                        gate,
                        new LaneProgress(dialect, HandOverConfig.progressTable(config), connector, lane, gate.unit()),
                        lane,
                        decides,
                        connector,
                        HandOverConfig.maxLagMillis(config),
                        refreshMillis,
                        maxPollRecords(props)));
    }

    /** Makes sure of the journal, the progress table and the ownership table, once. */
    public void ensureTables(Connection db) throws SQLException {
        if (!ready) {
            gate.ensureTable(db);
            moves.ensureTable(db);
            progress.ensureTable(db);
            ready = true;
        }
    }

    /** The hand-over journal this duty decides in. */
    public OwnershipMoves moves() {
        return moves;
    }

    /** The lanes' progress table this duty reports to. */
    public LaneProgress progress() {
        return progress;
    }

    /**
     * Reports what a batch of {@code batchSize} records applied, after it committed: the newest change of each
     * partition, and whether the batch drained the task's {@code assigned} partitions (Connect hands over what one
     * consumer poll returned, at most {@code max.poll.records}, so a smaller batch, or none, was all there was when
     * it was fetched), so that a partition without new changes still shows it has nothing left. Written at most
     * every {@link #REPORT_MILLIS}; what is not written yet is kept for the next report.
     */
    public void report(
            Connection db,
            Map<LaneProgress.Partition, LaneProgress.Applied> newest,
            int batchSize,
            Collection<TopicPartition> assigned,
            long nowMillis)
            throws SQLException {
        boolean drained = batchSize < maxPollRecords;
        newest.forEach((partition, applied) ->
                unreported.merge(partition, applied, (a, b) -> b.committedAtMillis() >= a.committedAtMillis() ? b : a));
        drainedSinceReport = drained;
        if (lastReport != Long.MIN_VALUE && nowMillis - lastReport < REPORT_MILLIS) {
            return;
        }
        ensureTables(db);
        progress.applied(db, unreported, nowMillis);
        if (drainedSinceReport) {
            // A partition that just applied changes keeps their lag: delivered late, they say the source is behind.
            List<LaneProgress.Partition> idle = new ArrayList<>(assigned.size());
            assigned.forEach(tp -> idle.add(new LaneProgress.Partition(tp.topic(), tp.partition())));
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
        ensureTables(db);
        List<Move> pending = moves.pending(db, gate.unit(), decides);
        if (!pending.isEmpty()) {
            LanePosition position = progress.position(db, lane, nowMillis);
            for (Move move : pending) {
                decide(db, move, position, nowMillis);
            }
        }
        db.commit();
    }

    private void decide(Connection db, Move move, LanePosition position, long nowMillis) throws SQLException {
        if (move.to() == null) {
            String reason = "to_owner must be LEGACY or TARGET";
            if (moves.refuse(db, move, connector, reason, nowMillis, position)) {
                db.commit();
                log.warn("Refused to move {} partition '{}': {}", move.unit(), move.partition(), reason);
            }
            return;
        }
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
     * The newest change of each Kafka partition among {@code changes}, by the commit time {@code committedAt} reads
     * (changes without one are left out) and the position {@code position} reads (may be null).
     */
    public static <T> Map<LaneProgress.Partition, LaneProgress.Applied> newestOf(
            Collection<T> changes,
            Function<T, SinkRecord> record,
            Function<T, Long> committedAt,
            Function<T, String> position) {
        Map<LaneProgress.Partition, LaneProgress.Applied> newest = new HashMap<>();
        for (T change : changes) {
            Long committed = committedAt.apply(change);
            if (committed == null) {
                continue;
            }
            SinkRecord sinkRecord = record.apply(change);
            newest.merge(
                    new LaneProgress.Partition(sinkRecord.topic(), sinkRecord.kafkaPartition()),
                    new LaneProgress.Applied(committed, position.apply(change)),
                    (a, b) -> b.committedAtMillis() >= a.committedAtMillis() ? b : a);
        }
        return newest;
    }

    /**
     * The most records a consumer poll returns for this connector: its {@code consumer.override.max.poll.records},
     * else the consumer's default.
     */
    private static int maxPollRecords(Map<String, String> connectorProps) {
        String value = connectorProps.get("consumer.override.max.poll.records");
        try {
            return value == null ? 500 : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 500;
        }
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
