package io.rollingmigration.connect.reconcile.run;

import io.rollingmigration.connect.common.compare.Judge;
import io.rollingmigration.connect.common.compare.LegacyRow;
import io.rollingmigration.connect.common.compare.TargetRow;
import io.rollingmigration.connect.common.compare.Verdict;
import io.rollingmigration.connect.reconcile.digest.DigestPlan;
import io.rollingmigration.connect.reconcile.digest.RowSelection;
import io.rollingmigration.connect.reconcile.drift.RunFigures;
import io.rollingmigration.connect.reconcile.pairing.Pairing;
import io.rollingmigration.connect.reconcile.run.RunStrategy.Findings;
import io.rollingmigration.connect.reconcile.store.KeyRange;
import io.rollingmigration.connect.reconcile.store.LegacyTable;
import io.rollingmigration.connect.reconcile.store.TargetTable;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every strategy of one run works with: the run's state and limits, the two stores and how their rows are
 * paired and judged (replaced when the run goes on over new connections), and the legacy keys an incremental run
 * has already judged, so that no key is compared twice in one run.
 */
final class RunScope {

    private final RunState state;
    private final KeyRange range;
    private final Run.Settings settings;
    private final DigestPlan digestPlan;
    private final Set<String> judgedSourceKeys = new HashSet<>();
    private LegacyTable legacy;
    private TargetTable target;
    private Judge judge;
    private Pairing pairing;

    RunScope(RunState state, KeyRange range, Run.Settings settings, DigestPlan digestPlan) {
        this.state = state;
        this.range = range;
        this.settings = settings;
        this.digestPlan = digestPlan;
    }

    void attach(LegacyTable legacyTable, TargetTable targetTable, Judge newJudge, Pairing newPairing) {
        this.legacy = legacyTable;
        this.target = targetTable;
        this.judge = newJudge;
        this.pairing = newPairing;
    }

    RunState state() {
        return state;
    }

    RunFigures figures() {
        return state.figures();
    }

    KeyRange range() {
        return range;
    }

    int chunkSize() {
        return settings.chunkSize();
    }

    /** The hash pushdown, or {@code null} when every row is compared one by one. */
    DigestPlan digestPlan() {
        return digestPlan;
    }

    LegacyTable legacy() {
        return legacy;
    }

    TargetTable target() {
        return target;
    }

    Judge judge() {
        return judge;
    }

    Pairing pairing() {
        return pairing;
    }

    /** Records that a key is judged in this run; false if it already was. */
    boolean firstJudgement(String sourceKey) {
        return judgedSourceKeys.add(sourceKey);
    }

    /** The task's share of the rows under the hash pushdown, with no bucket filter; {@code null} without it. */
    RowSelection share() {
        return digestPlan == null ? null : RowSelection.share(digestPlan, range.index(), range.count(), null);
    }

    /**
     * Compares the next chunk of legacy rows in key order (changed since {@code since}, unless {@code null}) with
     * their target rows, and moves the run to the target phase after the last chunk.
     */
    void compareLegacyChunk(Object since, RowSelection selection, Findings findings) throws SQLException {
        List<LegacyRow> rows =
                pairing.identified(legacy.chunk(range, state.position(), since, settings.chunkSize(), selection));
        if (!rows.isEmpty()) {
            RunFigures figures = state.figures();
            figures.legacyRowsRead(rows.size());
            Map<String, List<TargetRow>> targets = pairing.targetsOf(rows);
            for (LegacyRow row : rows) {
                if (!state.full()) {
                    judgedSourceKeys.add(row.sourceKey());
                }
                figures.compared(1);
                for (Verdict verdict :
                        judge.judge(row.sourceKey(), row, targets.getOrDefault(row.sourceKey(), List.of()))) {
                    findings.consider(verdict);
                }
            }
            state.moveTo(rows.get(rows.size() - 1).sourceKey());
        }
        if (rows.size() < settings.chunkSize()) {
            state.advance(Phase.TARGET);
        }
    }

    /** Judges these legacy keys again, each with every target row it has. */
    List<Verdict> judgeByKeys(Collection<String> sourceKeys) throws SQLException {
        List<Pairing.Keys> keys = new ArrayList<>(sourceKeys.size());
        sourceKeys.forEach(key -> keys.add(new Pairing.Keys(key, null)));
        return pairing.judgeAgain(keys);
    }
}
