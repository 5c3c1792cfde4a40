package io.rollingmigration.connect.reconcile.drift;

import io.rollingmigration.connect.common.drift.Severity;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The drift a task knows to be open, by target key: what the drift topic holds for the aggregate, kept up to date
 * with every drift record and tombstone the task emits.
 */
public final class OpenDriftSet {

    private final Map<String, OpenDrift> open = new HashMap<>();

    public OpenDrift get(String targetKey) {
        return open.get(targetKey);
    }

    public void put(OpenDrift drift) {
        open.put(drift.targetKey(), drift);
    }

    public OpenDrift remove(String targetKey) {
        return open.remove(targetKey);
    }

    public int size() {
        return open.size();
    }

    public Collection<OpenDrift> all() {
        return open.values();
    }

    /**
     * Keeps only the drift that the task of {@code range} answers for: its own, and orphans of another split of the
     * key space. Drift of the other ranges of the same split is rechecked, and resolved, by their own tasks; a task
     * that kept it would count it as open long after its owner had closed it.
     */
    public void retainRange(String range) {
        open.values().removeIf(d -> !range.equals(d.range()) && !isOrphan(d.range(), range));
    }

    /** Open drift of a range not among the given keys: to be re-checked by key at the end of a run. */
    public List<OpenDrift> unseen(String range, Set<String> seenTargetKeys) {
        return open.values().stream()
                .filter(d -> range.equals(d.range()) || isOrphan(d.range(), range))
                .filter(d -> !seenTargetKeys.contains(d.targetKey()))
                .collect(Collectors.toList());
    }

    /** A drift reported under another split of the key space (tasks.max changed): every task re-checks it. */
    private static boolean isOrphan(String driftRange, String ownRange) {
        if (driftRange == null || driftRange.indexOf('/') < 0) {
            return true;
        }
        String driftCount = driftRange.substring(driftRange.indexOf('/') + 1);
        String ownCount = ownRange.substring(ownRange.indexOf('/') + 1);
        return !driftCount.equals(ownCount);
    }

    public Map<Severity, Long> countBySeverity() {
        Map<Severity, Long> counts = new EnumMap<>(Severity.class);
        for (Severity severity : Severity.values()) {
            counts.put(severity, 0L);
        }
        open.values().forEach(d -> counts.merge(d.severity(), 1L, Long::sum));
        return counts;
    }

    /** When the oldest open drift was first detected, or 0 when none is open. */
    public long oldestFirstDetected() {
        return open.values().stream().mapToLong(OpenDrift::firstDetected).min().orElse(0L);
    }
}
