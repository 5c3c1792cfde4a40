package io.rollingmigration.connect.reconcile.run;

import io.rollingmigration.connect.common.compare.TargetRow;
import io.rollingmigration.connect.common.compare.Verdict;
import io.rollingmigration.connect.reconcile.digest.RowSelection;
import io.rollingmigration.connect.reconcile.pairing.Pairing;
import java.sql.SQLException;
import java.util.List;

/**
 * A full run that walks both sides in key order: every legacy row with its target rows, then every target row
 * without a legacy row. Under the hash pushdown the walk is limited to the rows its selection names.
 */
final class FullWalk implements RunStrategy {

    /** The rows to walk; may be computed on first use, hence asked for at every chunk. */
    @FunctionalInterface
    interface Selection {
        RowSelection rows() throws SQLException;
    }

    private final RunScope scope;
    private final Selection selection;

    FullWalk(RunScope scope, Selection selection) {
        this.scope = scope;
        this.selection = selection;
    }

    @Override
    public void legacyChunk(Findings findings) throws SQLException {
        scope.compareLegacyChunk(null, selection.rows(), findings);
    }

    @Override
    public void targetChunk(Findings findings) throws SQLException {
        RunState state = scope.state();
        Pairing.TargetChunk chunk =
                scope.pairing().walkTarget(scope.range(), state.position(), scope.chunkSize(), selection.rows());
        List<TargetRow> rows = chunk.rows();
        scope.figures().targetRowsRead(rows.size());
        for (Verdict verdict : chunk.unpaired()) {
            scope.figures().compared(1);
            findings.consider(verdict);
        }
        if (!rows.isEmpty()) {
            state.moveTo(chunk.position());
        }
        if (rows.size() < scope.chunkSize()) {
            state.advance(Phase.OPEN_DRIFT);
        }
    }
}
