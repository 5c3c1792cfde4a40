package io.rollingmigration.connect.reconcile.pairing;

import io.rollingmigration.connect.common.compare.Judge;
import io.rollingmigration.connect.common.compare.LegacyRow;
import io.rollingmigration.connect.common.compare.TargetRow;
import io.rollingmigration.connect.common.compare.Verdict;
import io.rollingmigration.connect.reconcile.digest.RowSelection;
import io.rollingmigration.connect.reconcile.store.KeyRange;
import io.rollingmigration.connect.reconcile.store.LegacyTable;
import io.rollingmigration.connect.reconcile.store.TargetTable;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pairs through the lineage source key: every target row carries the canonical key of the legacy row that wrote it,
 * indexed, so each side is looked up by it (decision 0008).
 */
public final class LineagePairing implements Pairing {

    private final LegacyTable legacy;
    private final TargetTable target;
    private final Judge judge;
    private final int batch;

    public LineagePairing(LegacyTable legacy, TargetTable target, Judge judge, int batch) {
        this.legacy = legacy;
        this.target = target;
        this.judge = judge;
        this.batch = batch;
    }

    @Override
    public Map<String, List<TargetRow>> targetsOf(List<LegacyRow> rows) throws SQLException {
        List<String> keys = new ArrayList<>(rows.size());
        rows.forEach(r -> keys.add(r.sourceKey()));
        return target.bySourceKeys(keys, batch);
    }

    @Override
    public List<Verdict> judgeAgain(Collection<Keys> pairs) throws SQLException {
        Set<String> keys = new LinkedHashSet<>();
        pairs.forEach(p -> {
            if (p.sourceKey() != null) {
                keys.add(p.sourceKey());
            }
        });
        if (keys.isEmpty()) {
            return List.of();
        }
        Map<String, LegacyRow> legacyRows = legacy.byKeys(keys, batch);
        Map<String, List<TargetRow>> targetRows = target.bySourceKeys(keys, batch);
        List<Verdict> verdicts = new ArrayList<>();
        for (String key : keys) {
            verdicts.addAll(judge.judge(key, legacyRows.get(key), targetRows.getOrDefault(key, List.of())));
        }
        return verdicts;
    }

    @Override
    public TargetChunk walkTarget(KeyRange range, String after, int limit, RowSelection selection) throws SQLException {
        List<TargetRow> rows = target.liveChunk(range, after, limit, selection);
        List<Verdict> unpaired = new ArrayList<>();
        if (!rows.isEmpty()) {
            Set<String> keys = new LinkedHashSet<>();
            rows.forEach(r -> keys.add(r.sourceKey()));
            Set<String> found = legacy.existing(keys, batch);
            for (TargetRow row : rows) {
                if (!found.contains(row.sourceKey())) {
                    unpaired.addAll(judge.judge(row.sourceKey(), null, List.of(row)));
                }
            }
        }
        return new TargetChunk(rows, unpaired, rows.isEmpty() ? after : target.positionOf(rows.get(rows.size() - 1)));
    }
}
