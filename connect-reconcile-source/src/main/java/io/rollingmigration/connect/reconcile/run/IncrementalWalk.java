package io.rollingmigration.connect.reconcile.run;

import io.rollingmigration.connect.common.compare.TargetRow;
import io.rollingmigration.connect.common.compare.Verdict;
import io.rollingmigration.connect.reconcile.digest.RowSelection;
import io.rollingmigration.connect.reconcile.pairing.Pairing;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * An incremental run: the legacy rows whose change column moved since the last run, then the target rows the
 * pipeline applied since then whose legacy key was not judged yet. Without a change column only the second half
 * runs.
 */
final class IncrementalWalk implements RunStrategy {

    private final RunScope scope;
    private final RowSelection selection;

    /** @param selection the task's share of rows under the hash pushdown, or {@code null} */
    IncrementalWalk(RunScope scope, RowSelection selection) {
        this.scope = scope;
        this.selection = selection;
    }

    @Override
    public void legacyChunk(Findings findings) throws SQLException {
        scope.compareLegacyChunk(scope.state().legacySince(), selection, findings);
    }

    @Override
    public void targetChunk(Findings findings) throws SQLException {
        RunState state = scope.state();
        List<TargetRow> rows = scope.target()
                .appliedSince(scope.range(), state.targetSince(), state.position(), scope.chunkSize(), selection);
        if (!rows.isEmpty()) {
            scope.figures().targetRowsRead(rows.size());
            List<Pairing.Keys> keys = new ArrayList<>();
            for (TargetRow row : rows) {
                if (scope.firstJudgement(row.sourceKey())) {
                    keys.add(new Pairing.Keys(row.sourceKey(), row.targetKey()));
                }
            }
            scope.figures().compared(keys.size());
            for (Verdict verdict : scope.pairing().judgeAgain(keys)) {
                findings.consider(verdict);
            }
            state.moveTo(scope.target().positionOf(rows.get(rows.size() - 1)));
        }
        if (rows.size() < scope.chunkSize()) {
            state.advance(Phase.OPEN_DRIFT);
        }
    }
}
