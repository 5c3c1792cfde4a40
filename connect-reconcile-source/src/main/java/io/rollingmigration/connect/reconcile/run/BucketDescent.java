package io.rollingmigration.connect.reconcile.run;

import io.rollingmigration.connect.common.compare.LegacyRow;
import io.rollingmigration.connect.common.compare.TargetRow;
import io.rollingmigration.connect.common.compare.Verdict;
import io.rollingmigration.connect.common.jdbc.DatabaseErrors;
import io.rollingmigration.connect.reconcile.digest.BucketFilter;
import io.rollingmigration.connect.reconcile.digest.DigestPlan;
import io.rollingmigration.connect.reconcile.digest.Digests;
import io.rollingmigration.connect.reconcile.digest.RowSelection;
import io.rollingmigration.connect.reconcile.digest.SideBySide;
import io.rollingmigration.connect.reconcile.drift.RunFigures;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A full run under the hash pushdown: both sides' bucket digests are computed in SQL once per run, matching buckets
 * count as compared, and only the rows of differing buckets are compared, read whole when they are few, otherwise
 * walked through the bucket filter. If the pushdown fails for a reason other than an outage, the run walks every
 * row of its share instead.
 */
final class BucketDescent implements RunStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(BucketDescent.class);

    private final RunScope scope;
    private final DigestPlan plan;
    private final FullWalk walk;
    private BucketFilter buckets;
    private boolean digested;
    private boolean walkDiffering;

    BucketDescent(RunScope scope) {
        this.scope = scope;
        this.plan = scope.digestPlan();
        this.walk = new FullWalk(scope, this::selection);
    }

    @Override
    public void legacyChunk(Findings findings) throws SQLException {
        RowSelection selection = selection();
        RunState state = scope.state();
        if (buckets != null && buckets.differing() == 0) {
            state.advance(Phase.OPEN_DRIFT);
            return;
        }
        if (buckets != null
                && state.position() == null
                && !walkDiffering
                && buckets.largestSideOfDiffering(
                                scope.range().index(), scope.range().count())
                        <= wholeDescentLimit()
                && judgeDifferingBuckets(selection, findings)) {
            return;
        }
        walk.legacyChunk(findings);
    }

    @Override
    public void targetChunk(Findings findings) throws SQLException {
        walk.targetChunk(findings);
    }

    /** The task's share of rows, only those of differing buckets once the digests are known. */
    private RowSelection selection() throws SQLException {
        return RowSelection.share(plan, scope.range().index(), scope.range().count(), differingBuckets());
    }

    /**
     * The buckets whose digests differ, computed once per run (again after a restart, without counting the matching
     * rows twice); {@code null} if the pushdown failed.
     */
    private BucketFilter differingBuckets() throws SQLException {
        if (digested) {
            return buckets;
        }
        RunState state = scope.state();
        boolean fresh = state.phase() == Phase.LEGACY
                && state.position() == null
                && scope.figures().compared() == 0;
        long started = System.nanoTime();
        try {
            buckets = Digests.compare(plan, scope.legacy(), scope.target(), scope.range());
            LOG.info(
                    "Hash pushdown of range {}: {} of {} buckets differ; digests took {} ms",
                    scope.range().id(),
                    buckets.differing(),
                    plan.buckets(),
                    (System.nanoTime() - started) / 1_000_000);
        } catch (SQLException e) {
            if (DatabaseErrors.isTransient(e)) {
                throw e;
            }
            LOG.warn("The hash pushdown failed ({}); this run compares every row one by one", e.getMessage());
            scope.legacy().recover();
            scope.target().recover();
            buckets = null;
        }
        digested = true;
        if (fresh && buckets != null) {
            long legacyRows = buckets.matchedLegacyRows(
                    scope.range().index(), scope.range().count());
            RunFigures figures = scope.figures();
            figures.legacyRowsRead(legacyRows);
            figures.targetRowsRead(buckets.matchedTargetRows(
                    scope.range().index(), scope.range().count()));
            figures.compared(legacyRows);
            figures.countMatches(legacyRows);
        }
        return buckets;
    }

    /**
     * Most rows per side in differing buckets that are read whole and compared in memory instead of walked in key
     * order: a few chunks, so that memory stays bounded by the chunk size.
     */
    private int wholeDescentLimit() {
        return 4 * scope.chunkSize();
    }

    /**
     * The few rows of differing buckets, read whole by one scan of each side (both at once) and compared in memory:
     * cheaper than walking both tables in key order through the filter, or than looking each key up.
     */
    private boolean judgeDifferingBuckets(RowSelection selection, Findings findings) throws SQLException {
        int limit = wholeDescentLimit() + 1;
        SideBySide.Results<List<LegacyRow>, List<TargetRow>> found = SideBySide.run(
                () -> scope.legacy().chunk(scope.range(), null, null, limit, selection),
                () -> scope.target().rowsIn(scope.range(), limit, selection));
        if (found.legacy().size() >= limit || found.target().size() >= limit) {
            // The tables changed since the digests: more rows than memory should hold; walk them instead.
            walkDiffering = true;
            return false;
        }
        Map<String, LegacyRow> legacyRows = new HashMap<>();
        Set<String> keys = new LinkedHashSet<>();
        for (LegacyRow row : found.legacy()) {
            legacyRows.put(row.sourceKey(), row);
            keys.add(row.sourceKey());
        }
        Map<String, List<TargetRow>> targetRows = new HashMap<>();
        long liveTargetRows = 0;
        for (TargetRow row : found.target()) {
            targetRows.computeIfAbsent(row.sourceKey(), k -> new ArrayList<>(1)).add(row);
            if (!row.deleted()) {
                liveTargetRows++;
                keys.add(row.sourceKey());
            }
        }
        RunFigures figures = scope.figures();
        figures.legacyRowsRead(legacyRows.size());
        figures.targetRowsRead(liveTargetRows);
        figures.compared(keys.size());
        // Past the legacy phase first: target-only keys are already counted among the compared.
        scope.state().advance(Phase.OPEN_DRIFT);
        for (String key : keys) {
            for (Verdict verdict :
                    scope.judge().judge(key, legacyRows.get(key), targetRows.getOrDefault(key, List.of()))) {
                findings.consider(verdict);
            }
        }
        return true;
    }
}
