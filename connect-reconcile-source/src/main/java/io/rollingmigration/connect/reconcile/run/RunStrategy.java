package io.rollingmigration.connect.reconcile.run;

import io.rollingmigration.connect.common.compare.Verdict;
import java.sql.SQLException;

/**
 * How a run finds the rows of its key range to compare: a full walk of both sides, the hash pushdown and its descent
 * into differing buckets, or an incremental run over the rows changed since the last one. A strategy only finds and
 * judges rows; what becomes of a verdict (suspect, drift, resolved) is the run's business.
 */
interface RunStrategy {

    /** Where a strategy hands its verdicts. */
    @FunctionalInterface
    interface Findings {
        void consider(Verdict verdict);
    }

    /** Compares one chunk of the legacy phase and moves the run past it once the legacy side is done. */
    void legacyChunk(Findings findings) throws SQLException;

    /** Compares one chunk of the target phase and moves the run past it once the target side is done. */
    void targetChunk(Findings findings) throws SQLException;

    /** The strategy a run of this kind follows. */
    static RunStrategy of(RunScope scope) {
        if (scope.digestPlan() == null) {
            return scope.state().full() ? new FullWalk(scope, () -> null) : new IncrementalWalk(scope, null);
        }
        return scope.state().full() ? new BucketDescent(scope) : new IncrementalByDigest(scope);
    }
}
