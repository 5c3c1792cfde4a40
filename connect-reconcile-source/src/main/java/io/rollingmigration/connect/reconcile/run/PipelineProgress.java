package io.rollingmigration.connect.reconcile.run;

import io.rollingmigration.connect.reconcile.store.TargetTable;
import java.sql.SQLException;
import java.time.Instant;

/**
 * What a run knows of the pipeline it checks, read from the target's lineage and kept for a while, since suspects
 * ask about it far more often than it changes: the replication lag observed lately, how far the pipeline has
 * applied the legacy change stream, and when it last wrote the target.
 */
final class PipelineProgress {

    private static final long LAG_REFRESH_MILLIS = 5_000;
    private static final long LAG_WINDOW_MILLIS = 60_000;
    static final long POSITION_REFRESH_MILLIS = 1_000;

    private TargetTable target;
    private long lagMillis;
    private long lagCheckedAt = Long.MIN_VALUE;
    private Instant appliedPosition;
    private long appliedCheckedAt = Long.MIN_VALUE;
    private Instant lastWrite;
    private long lastWriteCheckedAt = Long.MIN_VALUE;

    PipelineProgress(TargetTable target) {
        this.target = target;
    }

    /** Goes on over a new connection to the target; what was learnt stays. */
    void reattach(TargetTable newTarget) {
        this.target = newTarget;
    }

    /** The largest lag observed in the last minute, refreshed every few seconds; the last figure if unreadable. */
    long lagMillis(long now) {
        if (lagCheckedAt == Long.MIN_VALUE || now - lagCheckedAt >= LAG_REFRESH_MILLIS) {
            lagCheckedAt = now;
            try {
                lagMillis = target.observedLagMillis(Instant.ofEpochMilli(now - LAG_WINDOW_MILLIS));
            } catch (SQLException e) {
                // Keep the last figure; the next chunk's query reports a database that is really gone.
            }
        }
        return lagMillis;
    }

    /** The same, read again unless read within the last second: before a difference is confirmed as drift. */
    long freshLagMillis(long now) {
        if (now - lagCheckedAt >= POSITION_REFRESH_MILLIS) {
            lagCheckedAt = Long.MIN_VALUE;
        }
        return lagMillis(now);
    }

    /** The lag last observed, in milliseconds. */
    long lastLagMillis() {
        return lagMillis;
    }

    /**
     * How far the pipeline has applied the legacy change stream (the newest legacy commit time the target holds of
     * a streamed change), refreshed at most once a second. It may be older than the truth, never newer than what was
     * applied when it was read: a caller comparing it with what a lookup showed must read it before the lookup.
     */
    Instant appliedPosition(long now) throws SQLException {
        if (appliedCheckedAt == Long.MIN_VALUE || now - appliedCheckedAt >= POSITION_REFRESH_MILLIS) {
            appliedCheckedAt = now;
            appliedPosition = target.appliedPosition();
        }
        return appliedPosition;
    }

    /**
     * True if the pipeline wrote the target within {@code window} before {@code now}. Read once per moment, never
     * older: a stale time would make a moving pipeline look idle.
     */
    boolean wroteWithin(long now, long window) throws SQLException {
        if (lastWriteCheckedAt != now) {
            lastWriteCheckedAt = now;
            lastWrite = target.lastApplied();
        }
        return lastWrite != null && now - lastWrite.toEpochMilli() <= window;
    }
}
