package io.rollingmigration.connect.sink.writeback;

import io.rollingmigration.connect.common.lane.LaneProgress;
import io.rollingmigration.connect.common.lane.LaneTransactions.Lane;
import io.rollingmigration.connect.common.ownership.Owner;
import io.rollingmigration.connect.common.ownership.OwnershipMoves;
import io.rollingmigration.connect.common.ownership.OwnershipMoves.Move;
import io.rollingmigration.connect.sink.ownership.HandOverDuty;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the service's changes of a partition just moved to TARGET until the forward lane has applied every legacy
 * change committed before the move: the service's first writes there then reach legacy after legacy's last ones
 * reached the service, in that order. The hold is bounded; past the bound the changes are written with a warning,
 * and both lanes' version guards keep whichever write is newer.
 */
final class ForwardCatchUp {

    private static final Logger log = LoggerFactory.getLogger(ForwardCatchUp.class);

    private final HandOverDuty duty;
    private final OwnershipMoves moves;
    private final LaneProgress progress;
    private final String unit;
    private final long settleMillis;
    private final long holdMaxMillis;
    private final long refreshMillis;
    private List<Move> done = List.of();
    private long refreshedAt = Long.MIN_VALUE;
    private final Set<Long> caughtUp = new HashSet<>();

    /** Holds by the journal and progress table the write-back's own hand-over {@code duty} uses. */
    ForwardCatchUp(HandOverDuty duty, String unit, long settleMillis, long holdMaxMillis, long refreshMillis) {
        this.duty = duty;
        this.moves = duty.moves();
        this.progress = duty.progress();
        this.unit = unit;
        this.settleMillis = settleMillis;
        this.holdMaxMillis = holdMaxMillis;
        this.refreshMillis = Math.max(200, refreshMillis);
    }

    /**
     * Why a service change of this partition, committed at {@code committedAtMillis}, must wait for the forward
     * lane; {@code null} if it may be written now. Reads in the caller's transaction.
     */
    String holdReason(Connection db, String partition, long committedAtMillis, long nowMillis) throws SQLException {
        if (refreshedAt == Long.MIN_VALUE || nowMillis - refreshedAt >= refreshMillis) {
            duty.ensureTables(db);
            done = moves.done(db, unit);
            refreshedAt = nowMillis;
        }
        Move latest = null;
        for (Move move : done) {
            boolean ofPartition = move.partition().equals(partition) || "*".equals(move.partition());
            if (ofPartition && move.decidedAtMillis() <= committedAtMillis) {
                latest = move;
            }
        }
        if (latest == null || latest.to() != Owner.TARGET || caughtUp.contains(latest.id())) {
            return null;
        }
        if (progress.caughtUpPast(db, Lane.FORWARD, latest.decidedAtMillis(), settleMillis)) {
            caughtUp.add(latest.id());
            return null;
        }
        if (nowMillis - latest.decidedAtMillis() >= holdMaxMillis) {
            caughtUp.add(latest.id());
            log.warn(
                    "The forward lane has still not shown that it applied legacy's changes of {} partition '{}' "
                            + "committed before its move to TARGET at {}; after handover.hold.max.ms={} the "
                            + "service's changes there are written back anyway (version guards keep the newer "
                            + "write on both sides)",
                    unit,
                    latest.partition(),
                    Instant.ofEpochMilli(latest.decidedAtMillis()),
                    holdMaxMillis);
            return null;
        }
        return "Holding the service's changes of " + unit + " partition '" + partition + "' until the forward lane "
                + "has applied legacy's changes committed before the partition moved to TARGET at "
                + Instant.ofEpochMilli(latest.decidedAtMillis()) + " (move " + latest.id() + ")";
    }
}
