package io.rollingmigration.connect.reconcile.pairing;

import io.rollingmigration.connect.common.compare.Expectation;
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
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pairs one fragment of target rows fed by several legacy tables through the aggregate's own key. A fragment's
 * target row carries the lineage of whichever table wrote it last, so its lineage key may be another table's: a
 * legacy row is paired with the target row whose key the spec makes of it, looked up by primary key. Going the other
 * way, a target row last written by this fragment's own table is paired through its lineage key; one last written
 * by another table is checked against the target keys of every legacy row, read once for the run's walk of the
 * target. That walk is the first task's alone: target rows cannot be told apart by the legacy key ranges of tasks.
 */
public final class AggregateKeyPairing implements Pairing {

    private final LegacyTable legacy;
    private final TargetTable target;
    private final Judge judge;
    private final Expectation expectation;
    private final List<String> keyColumns;
    private final int batch;
    private LegacyTargetKeys legacyKeys;

    /** @param keyColumns the legacy columns the target key is made from */
    public AggregateKeyPairing(
            LegacyTable legacy,
            TargetTable target,
            Judge judge,
            Expectation expectation,
            List<String> keyColumns,
            int batch) {
        this.legacy = legacy;
        this.target = target;
        this.judge = judge;
        this.expectation = expectation;
        this.keyColumns = keyColumns;
        this.batch = batch;
    }

    @Override
    public Map<String, List<TargetRow>> targetsOf(List<LegacyRow> rows) throws SQLException {
        Map<String, String> targetKeys = new HashMap<>();
        for (LegacyRow row : rows) {
            String key = expectation.targetKeyOrNull(row.values());
            if (key != null) {
                targetKeys.put(row.sourceKey(), key);
            }
        }
        Map<String, TargetRow> found = target.byTargetKeys(new LinkedHashSet<>(targetKeys.values()), batch);
        Map<String, List<TargetRow>> bySourceKey = new HashMap<>();
        targetKeys.forEach((sourceKey, targetKey) -> {
            TargetRow row = found.get(targetKey);
            if (row != null) {
                bySourceKey.put(sourceKey, List.of(row));
            }
        });
        return bySourceKey;
    }

    @Override
    public List<Verdict> judgeAgain(Collection<Keys> pairs) throws SQLException {
        Set<String> sourceKeys = new LinkedHashSet<>();
        pairs.forEach(p -> {
            if (p.sourceKey() != null) {
                sourceKeys.add(p.sourceKey());
            }
        });
        Map<String, LegacyRow> legacyRows = sourceKeys.isEmpty() ? Map.of() : legacy.byKeys(sourceKeys, batch);
        Set<String> targetKeys = new LinkedHashSet<>();
        Map<String, String> made = new HashMap<>();
        legacyRows.forEach((sourceKey, row) -> {
            String key = expectation.targetKeyOrNull(row.values());
            if (key != null) {
                made.put(sourceKey, key);
                targetKeys.add(key);
            }
        });
        for (Keys pair : pairs) {
            if (pair.targetKey() != null && !pair.targetKey().startsWith("legacy:")) {
                targetKeys.add(pair.targetKey());
            }
        }
        Map<String, TargetRow> targetRows = targetKeys.isEmpty() ? Map.of() : target.byTargetKeys(targetKeys, batch);
        List<Verdict> verdicts = new ArrayList<>();
        boolean rescanned = false;
        for (Keys pair : pairs) {
            if (pair.sourceKey() != null) {
                LegacyRow row = legacyRows.get(pair.sourceKey());
                Set<TargetRow> targets = new LinkedHashSet<>();
                for (String key : new String[] {made.get(pair.sourceKey()), pair.targetKey()}) {
                    if (key != null && targetRows.containsKey(key)) {
                        targets.add(targetRows.get(key));
                    }
                }
                verdicts.addAll(judge.judge(pair.sourceKey(), row, List.copyOf(targets)));
                continue;
            }
            TargetRow row = targetRows.get(pair.targetKey());
            if (row == null) {
                continue;
            }
            if (!rescanned) {
                // Rows last written by another table: only a fresh look at every legacy key can tell.
                legacyKeys = LegacyTargetKeys.scan(legacy, keyColumns, expectation);
                rescanned = true;
            }
            if (legacyKeys.contains(row.targetKey())) {
                verdicts.add(new Verdict(row.targetKey(), null, null, null, row.committedAt()));
            } else {
                verdicts.addAll(judge.judge(null, null, List.of(row)));
            }
        }
        return verdicts;
    }

    @Override
    public TargetChunk walkTarget(KeyRange range, String after, int limit, RowSelection selection) throws SQLException {
        if (range.index() != 0) {
            return new TargetChunk(List.of(), List.of(), after);
        }
        if (after == null || legacyKeys == null) {
            legacyKeys = LegacyTargetKeys.scan(legacy, keyColumns, expectation);
        }
        List<TargetRow> rows = target.keyChunk(after, limit);
        List<Verdict> unpaired = new ArrayList<>();
        Set<String> ours = new LinkedHashSet<>();
        for (TargetRow row : rows) {
            if (target.writtenByLane(row) && row.sourceKey() != null) {
                ours.add(row.sourceKey());
            }
        }
        Set<String> found = ours.isEmpty() ? Set.of() : legacy.existing(ours, batch);
        for (TargetRow row : rows) {
            boolean paired = target.writtenByLane(row) && row.sourceKey() != null
                    ? found.contains(row.sourceKey())
                    : legacyKeys.contains(row.targetKey());
            if (!paired) {
                String sourceKey = target.writtenByLane(row) ? row.sourceKey() : null;
                unpaired.addAll(judge.judge(sourceKey, null, List.of(row)));
            }
        }
        return new TargetChunk(
                rows, unpaired, rows.isEmpty() ? after : target.keyPositionOf(rows.get(rows.size() - 1)));
    }
}
