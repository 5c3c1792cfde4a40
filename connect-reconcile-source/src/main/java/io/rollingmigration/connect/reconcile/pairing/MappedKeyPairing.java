package io.rollingmigration.connect.reconcile.pairing;

import io.rollingmigration.connect.common.compare.Expectation;
import io.rollingmigration.connect.common.compare.Judge;
import io.rollingmigration.connect.common.compare.LegacyRow;
import io.rollingmigration.connect.common.compare.TargetRow;
import io.rollingmigration.connect.common.compare.Verdict;
import io.rollingmigration.connect.common.lineage.SourceKey;
import io.rollingmigration.connect.common.spec.LegacyText;
import io.rollingmigration.connect.reconcile.digest.RowSelection;
import io.rollingmigration.connect.reconcile.store.IdMappingLookup;
import io.rollingmigration.connect.reconcile.store.KeyCodec;
import io.rollingmigration.connect.reconcile.store.KeyRange;
import io.rollingmigration.connect.reconcile.store.LegacyTable;
import io.rollingmigration.connect.reconcile.store.TargetTable;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pairs rows whose identity is not in the lineage alone: rows the service created (no lineage, a legacy id drawn by
 * the write-back lane and kept in the id mapping) and aggregates whose id a transform gave in the pipeline
 * ({@code MapId}: the spec's key is a column the legacy table lacks).
 * <ul>
 *   <li>A legacy row's aggregate id is the id mapping's for its legacy id, else the key of the live target row its
 *       lineage names; the spec's key column is filled with it before translation. A legacy row with neither has
 *       not been delivered: it is judged under {@code legacy:<key>}.
 *   <li>A target row's legacy key is its lineage source key, else the legacy id the mapping has for its id, else
 *       (a key the spec copies from the one legacy key column) its own id.
 * </ul>
 * Every live target row takes part, in the order of its own key. That walk is the first task's alone: target rows
 * cannot be told apart by the legacy key ranges of tasks.
 */
public final class MappedKeyPairing implements Pairing {

    /** The target key of a legacy row whose aggregate id nothing gives yet. */
    static final String UNRESOLVED = "legacy:";

    private final LegacyTable legacy;
    private final TargetTable target;
    private final Judge judge;
    private final Expectation expectation;
    private final String filledColumn;
    private final boolean keyIsLegacyKey;
    private final IdMappingLookup ids;
    private final int batch;
    /** The target rows by lineage of the rows {@link #identified} last saw, until the pairing uses them. */
    private LineageRead lineageRead;

    /** Target rows looked up by these lineage source keys. */
    private record LineageRead(Set<String> sourceKeys, Map<String, List<TargetRow>> rows) {}

    /**
     * @param filledColumn   the spec's key column a transform adds, or {@code null} when the key is made of legacy
     *                       columns
     * @param keyIsLegacyKey true when the aggregate's id is the one legacy key column as it is
     * @param ids            the id mapping, or {@code null} without one
     */
    public MappedKeyPairing(
            LegacyTable legacy,
            TargetTable target,
            Judge judge,
            Expectation expectation,
            String filledColumn,
            boolean keyIsLegacyKey,
            IdMappingLookup ids,
            int batch) {
        this.legacy = legacy;
        this.target = target;
        this.judge = judge;
        this.expectation = expectation;
        this.filledColumn = filledColumn;
        this.keyIsLegacyKey = keyIsLegacyKey;
        this.ids = ids;
        this.batch = batch;
    }

    @Override
    public List<LegacyRow> identified(List<LegacyRow> rows) throws SQLException {
        if (filledColumn == null || rows.isEmpty()) {
            return rows;
        }
        Map<String, String> legacyIdOf = new LinkedHashMap<>();
        rows.forEach(row -> legacyIdOf.put(row.sourceKey(), legacyId(row)));
        Map<String, String> mapped = ids == null ? Map.of() : ids.targetIds(new LinkedHashSet<>(legacyIdOf.values()));
        // The rows the lineage names are the pairing's too: read once, for the ids and for targetsOf.
        lineageRead = new LineageRead(Set.copyOf(legacyIdOf.keySet()), target.bySourceKeys(legacyIdOf.keySet(), batch));
        Map<String, String> delivered = new HashMap<>();
        lineageRead.rows().forEach((sourceKey, targets) -> {
            for (TargetRow row : targets) {
                if (!row.deleted() || !delivered.containsKey(sourceKey)) {
                    delivered.put(sourceKey, row.targetKey());
                }
            }
        });
        List<LegacyRow> identified = new ArrayList<>(rows.size());
        for (LegacyRow row : rows) {
            String id = mapped.get(legacyIdOf.get(row.sourceKey()));
            if (id == null) {
                id = delivered.getOrDefault(row.sourceKey(), UNRESOLVED + row.sourceKey());
            }
            Map<String, Object> values = new HashMap<>(row.values());
            values.put(filledColumn, id);
            identified.add(new LegacyRow(row.sourceKey(), values));
        }
        return identified;
    }

    @Override
    public Map<String, List<TargetRow>> targetsOf(List<LegacyRow> rows) throws SQLException {
        Map<String, Set<TargetRow>> paired = new LinkedHashMap<>();
        rows.forEach(row -> paired.put(row.sourceKey(), new LinkedHashSet<>()));
        addRowsOf(rows, paired);
        Map<String, List<TargetRow>> result = new HashMap<>();
        paired.forEach((sourceKey, targets) -> result.put(sourceKey, List.copyOf(targets)));
        return result;
    }

    /** Adds to each legacy key the target rows its lineage names and the row under the aggregate id it translates to. */
    private void addRowsOf(List<LegacyRow> rows, Map<String, Set<TargetRow>> paired) throws SQLException {
        Map<String, String> targetKeys = new HashMap<>();
        for (LegacyRow row : rows) {
            String key = expectation.targetKeyOrNull(row.values());
            if (key != null && !key.startsWith(UNRESOLVED)) {
                targetKeys.put(row.sourceKey(), key);
            }
        }
        Map<String, TargetRow> byKey = target.byTargetKeys(new LinkedHashSet<>(targetKeys.values()), batch);
        Map<String, List<TargetRow>> byLineage =
                lineageRead != null && lineageRead.sourceKeys().containsAll(paired.keySet())
                        ? lineageRead.rows()
                        : target.bySourceKeys(paired.keySet(), batch);
        lineageRead = null;
        byLineage.forEach((sourceKey, targets) -> {
            if (paired.containsKey(sourceKey)) {
                paired.get(sourceKey).addAll(targets);
            }
        });
        targetKeys.forEach((sourceKey, key) -> {
            TargetRow row = byKey.get(key);
            if (row != null) {
                paired.get(sourceKey).add(row);
            }
        });
    }

    @Override
    public List<Verdict> judgeAgain(Collection<Keys> pairs) throws SQLException {
        Set<String> sourceKeys = new LinkedHashSet<>();
        Set<String> targetOnly = new LinkedHashSet<>();
        for (Keys pair : pairs) {
            if (pair.sourceKey() != null) {
                sourceKeys.add(pair.sourceKey());
            } else if (pair.targetKey() != null && !pair.targetKey().startsWith(UNRESOLVED)) {
                targetOnly.add(pair.targetKey());
            }
        }
        Map<String, TargetRow> targetRows = targetOnly.isEmpty() ? Map.of() : target.byTargetKeys(targetOnly, batch);
        Map<String, String> sourceKeyOf = legacyKeysOf(targetRows.values());
        sourceKeys.addAll(sourceKeyOf.values());
        List<LegacyRow> found = identified(new ArrayList<>(
                (sourceKeys.isEmpty() ? Map.<String, LegacyRow>of() : legacy.byKeys(sourceKeys, batch)).values()));
        Map<String, LegacyRow> legacyRows = new HashMap<>();
        found.forEach(row -> legacyRows.put(row.sourceKey(), row));
        Map<String, Set<TargetRow>> paired = new LinkedHashMap<>();
        sourceKeys.forEach(key -> paired.put(key, new LinkedHashSet<>()));
        addRowsOf(found, paired);
        List<Verdict> verdicts = new ArrayList<>();
        for (TargetRow row : targetRows.values()) {
            String sourceKey = sourceKeyOf.get(row.targetKey());
            if (sourceKey == null) {
                verdicts.addAll(judge.judge(null, null, List.of(row)));
            } else {
                paired.get(sourceKey).add(row);
            }
        }
        paired.forEach((sourceKey, targets) ->
                verdicts.addAll(judge.judge(sourceKey, legacyRows.get(sourceKey), List.copyOf(targets))));
        return verdicts;
    }

    @Override
    public TargetChunk walkTarget(KeyRange range, String after, int limit, RowSelection selection) throws SQLException {
        if (range.index() != 0) {
            return new TargetChunk(List.of(), List.of(), after);
        }
        List<TargetRow> rows = target.keyChunk(after, limit);
        Map<String, String> sourceKeyOf = legacyKeysOf(rows);
        Set<String> existing =
                sourceKeyOf.isEmpty() ? Set.of() : legacy.existing(new LinkedHashSet<>(sourceKeyOf.values()), batch);
        List<Verdict> unpaired = new ArrayList<>();
        for (TargetRow row : rows) {
            String sourceKey = sourceKeyOf.get(row.targetKey());
            if (sourceKey == null || !existing.contains(sourceKey)) {
                unpaired.addAll(judge.judge(sourceKey, null, List.of(row)));
            }
        }
        return new TargetChunk(
                rows, unpaired, rows.isEmpty() ? after : target.keyPositionOf(rows.get(rows.size() - 1)));
    }

    /** The legacy key of each target row that has one, by target key: lineage, then the id mapping, then its id. */
    private Map<String, String> legacyKeysOf(Collection<TargetRow> rows) throws SQLException {
        Map<String, String> sourceKeys = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        for (TargetRow row : rows) {
            if (row.sourceKey() != null) {
                sourceKeys.put(row.targetKey(), row.sourceKey());
            } else {
                unknown.add(row.targetKey());
            }
        }
        if (ids != null && !unknown.isEmpty()) {
            ids.legacyIds(unknown).forEach((targetId, legacyId) -> {
                String sourceKey = sourceKeyOfLegacyId(legacyId);
                if (sourceKey != null) {
                    sourceKeys.put(targetId, sourceKey);
                }
            });
        }
        if (keyIsLegacyKey) {
            for (String targetKey : unknown) {
                if (!sourceKeys.containsKey(targetKey)) {
                    String sourceKey = sourceKeyOfLegacyId(targetKey);
                    if (sourceKey != null) {
                        sourceKeys.put(targetKey, sourceKey);
                    }
                }
            }
        }
        return sourceKeys;
    }

    /**
     * The legacy id an id mapping holds for a row: the key's value as text for one key column (what MapId looks up
     * and the write-back records), the canonical JSON for several.
     */
    private String legacyId(LegacyRow row) {
        KeyCodec key = legacy.key();
        return key.size() == 1 ? LegacyText.of(row.values().get(key.names().get(0))) : row.sourceKey();
    }

    /** The canonical legacy key a legacy id stands for, or {@code null} if it cannot be one. */
    private String sourceKeyOfLegacyId(String legacyId) {
        KeyCodec key = legacy.key();
        String json = key.size() == 1 ? SourceKey.of(Map.of(key.names().get(0), legacyId)) : legacyId;
        try {
            List<Object> values = key.parse(json);
            Map<String, Object> row = new HashMap<>();
            for (int i = 0; i < values.size(); i++) {
                row.put(key.names().get(i), values.get(i));
            }
            return key.canonical(row);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
