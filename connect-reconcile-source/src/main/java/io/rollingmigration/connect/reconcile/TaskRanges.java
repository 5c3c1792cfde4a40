package io.rollingmigration.connect.reconcile;

import io.rollingmigration.connect.reconcile.store.KeyRange;
import io.rollingmigration.connect.reconcile.store.LegacyTable;
import io.rollingmigration.connect.reconcile.store.Session;
import io.rollingmigration.connect.reconcile.store.TargetTable;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits the key space into one range per task, from each store's own key order: legacy keys at about equal row
 * counts, and the target's lineage source keys likewise. Ranges travel to tasks in their configuration.
 */
final class TaskRanges {

    static final String INDEX = "reconcile.range.index";
    static final String COUNT = "reconcile.range.count";
    static final String LEGACY_LOWER = "reconcile.range.legacy.lower";
    static final String LEGACY_UPPER = "reconcile.range.legacy.upper";
    static final String TARGET_LOWER = "reconcile.range.target.lower";
    static final String TARGET_UPPER = "reconcile.range.target.upper";

    private TaskRanges() {}

    static List<KeyRange> split(LegacyTable legacy, TargetTable target, int tasks) throws SQLException {
        if (tasks <= 1) {
            return List.of(KeyRange.whole());
        }
        List<String> legacyBounds = legacy.boundaries(tasks);
        List<String> targetBounds = target.boundaries(tasks);
        int count = Math.max(legacyBounds.size(), targetBounds.size()) + 1;
        List<KeyRange> ranges = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String[] legacyRange = bounds(legacyBounds, i, count);
            String[] targetRange = bounds(targetBounds, i, count);
            ranges.add(new KeyRange(i, count, legacyRange[0], legacyRange[1], targetRange[0], targetRange[1]));
        }
        return ranges;
    }

    /** The i-th of {@code count} ranges over the bounds; ranges beyond the bounds' own ranges are empty. */
    private static String[] bounds(List<String> bounds, int i, int count) {
        if (i > bounds.size()) {
            return new String[] {KeyRange.NOTHING, KeyRange.NOTHING};
        }
        String lower = i == 0 ? null : bounds.get(i - 1);
        String upper = i == bounds.size() ? null : bounds.get(i);
        return new String[] {lower, upper};
    }

    static List<KeyRange> split(ReconcileConfig config, int tasks) throws SQLException {
        if (tasks <= 1) {
            return List.of(KeyRange.whole());
        }
        if (config.hashPushdown()) {
            // Tasks share the buckets of the digests (bucket % tasks), not key ranges: each scans its tables once
            // for its digests and never reads the other tasks' rows.
            List<KeyRange> shares = new ArrayList<>(tasks);
            for (int i = 0; i < tasks; i++) {
                shares.add(new KeyRange(i, tasks, null, null, null, null));
            }
            return shares;
        }
        Comparison comparison = Comparison.of(config);
        try (Session legacySession = Session.open(config.legacyConnection(), config.statementTimeoutSeconds());
                Session targetSession = Session.open(config.targetConnection(), config.statementTimeoutSeconds())) {
            Comparison.Prepared prepared = comparison.prepare(legacySession, targetSession);
            return split(prepared.legacy(), prepared.target(), tasks);
        }
    }

    static Map<String, String> toConfig(KeyRange range) {
        Map<String, String> settings = new HashMap<>();
        settings.put(INDEX, Integer.toString(range.index()));
        settings.put(COUNT, Integer.toString(range.count()));
        put(settings, LEGACY_LOWER, range.legacyLower());
        put(settings, LEGACY_UPPER, range.legacyUpper());
        put(settings, TARGET_LOWER, range.targetLower());
        put(settings, TARGET_UPPER, range.targetUpper());
        return settings;
    }

    static KeyRange range(Map<String, String> settings) {
        if (!settings.containsKey(INDEX)) {
            return KeyRange.whole();
        }
        return new KeyRange(
                Integer.parseInt(settings.get(INDEX)),
                Integer.parseInt(settings.get(COUNT)),
                settings.get(LEGACY_LOWER),
                settings.get(LEGACY_UPPER),
                settings.get(TARGET_LOWER),
                settings.get(TARGET_UPPER));
    }

    private static void put(Map<String, String> settings, String name, String value) {
        if (value != null) {
            settings.put(name, value);
        }
    }
}
