package io.rollingmigration.connect.reconcile.run;

import io.rollingmigration.connect.common.compare.LegacyRow;
import io.rollingmigration.connect.common.compare.Verdict;
import io.rollingmigration.connect.reconcile.digest.DigestPlan;
import io.rollingmigration.connect.reconcile.digest.RowSelection;
import io.rollingmigration.connect.reconcile.digest.SideBySide;
import io.rollingmigration.connect.reconcile.drift.RunFigures;
import io.rollingmigration.connect.reconcile.store.AppliedRows;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An incremental run under the hash pushdown: changed legacy rows and their target rows are compared by their
 * digests, computed in SQL; only keys whose digests differ go through the comparison one by one. The first chunk
 * also reads, at the same time, the keys of the target rows applied since the last run, so that the target phase
 * compares those the legacy phase did not without a walk of its own. Open drift of a key that matches is rechecked,
 * and resolved, at the end of the run.
 */
final class IncrementalByDigest implements RunStrategy {

    /** Digest rows carry a key and a number only: a chunk of them holds this many times a chunk of whole rows. */
    private static final int DIGEST_CHUNK_FACTOR = 8;

    private final RunScope scope;
    private final DigestPlan plan;
    private final RowSelection selection;
    private final IncrementalWalk walk;
    private boolean appliedRead;
    private AppliedRows applied;

    IncrementalByDigest(RunScope scope) {
        this.scope = scope;
        this.plan = scope.digestPlan();
        this.selection = scope.share();
        this.walk = new IncrementalWalk(scope, selection);
    }

    @Override
    public void legacyChunk(Findings findings) throws SQLException {
        RunState state = scope.state();
        int limit = DIGEST_CHUNK_FACTOR * scope.chunkSize();
        List<LegacyRow> rows;
        if (!appliedRead) {
            appliedRead = true;
            DigestPlan appliedDigests = plan.oneTargetRowPerLegacyKey() ? plan : null;
            SideBySide.Results<List<LegacyRow>, AppliedRows> both = SideBySide.run(
                    () -> scope.legacy()
                            .digestChunk(scope.range(), state.position(), state.legacySince(), limit, selection, plan),
                    () -> scope.target()
                            .appliedRows(scope.range(), state.targetSince(), limit, selection, appliedDigests));
            rows = both.legacy();
            applied = both.target();
            if (applied != null) {
                scope.figures().targetRowsRead(applied.size());
            }
        } else {
            rows = scope.legacy()
                    .digestChunk(scope.range(), state.position(), state.legacySince(), limit, selection, plan);
        }
        if (!rows.isEmpty()) {
            Map<String, List<Long>> targetDigests = targetDigests(rows);
            Set<String> differing = new LinkedHashSet<>();
            long matched = 0;
            for (LegacyRow row : rows) {
                scope.firstJudgement(row.sourceKey());
                List<Long> targets = targetDigests.get(row.sourceKey());
                if (targets != null
                        && targets.size() == 1
                        && targets.get(0).equals(row.values().get(DigestPlan.ROW_DIGEST))) {
                    matched++;
                } else {
                    differing.add(row.sourceKey());
                }
            }
            RunFigures figures = scope.figures();
            figures.legacyRowsRead(rows.size());
            figures.compared(rows.size());
            figures.countMatches(matched);
            for (Verdict verdict : scope.judgeByKeys(differing)) {
                findings.consider(verdict);
            }
            state.moveTo(rows.get(rows.size() - 1).sourceKey());
        }
        if (rows.size() < limit) {
            state.advance(Phase.TARGET);
        }
    }

    /**
     * Compares, a chunk at a time, the keys of target rows applied since the last run that the legacy phase did not
     * compare; walks the applied rows instead when the legacy phase did not read them (no change column).
     */
    @Override
    public void targetChunk(Findings findings) throws SQLException {
        if (applied == null) {
            walk.targetChunk(findings);
            return;
        }
        Set<String> keys = new LinkedHashSet<>();
        for (String key : applied.keys()) {
            if (keys.size() == scope.chunkSize()) {
                break;
            }
            if (scope.firstJudgement(key)) {
                keys.add(key);
            }
        }
        scope.figures().compared(keys.size());
        for (Verdict verdict : scope.judgeByKeys(keys)) {
            findings.consider(verdict);
        }
        if (keys.size() < scope.chunkSize()) {
            scope.state().advance(Phase.OPEN_DRIFT);
        }
    }

    /**
     * The digests of the live target rows of changed legacy rows. Where the pipeline writes one target row per legacy
     * key, a key's row applied since the last run is its only one, so only keys without such a row are looked up
     * (those the pipeline has not applied yet, or whose change left the target row as it was).
     */
    private Map<String, List<Long>> targetDigests(List<LegacyRow> rows) throws SQLException {
        Map<String, List<Long>> found = new HashMap<>();
        List<String> lookUp = new ArrayList<>();
        for (LegacyRow row : rows) {
            List<Long> digests = applied == null ? null : applied.liveDigests(row.sourceKey());
            if (digests == null) {
                lookUp.add(row.sourceKey());
            } else if (!digests.isEmpty()) {
                found.put(row.sourceKey(), digests);
            }
        }
        if (!lookUp.isEmpty()) {
            found.putAll(scope.target().rowDigests(lookUp, scope.chunkSize(), plan));
        }
        return found;
    }
}
