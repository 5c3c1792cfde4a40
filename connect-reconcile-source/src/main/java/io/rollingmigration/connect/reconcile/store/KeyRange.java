package io.rollingmigration.connect.reconcile.store;

/**
 * The share of the key space one task compares: legacy keys in {@code [legacyLower, legacyUpper)} and target rows
 * whose lineage source key is in {@code [targetLower, targetUpper)}, each bound as canonical JSON (legacy) or
 * source key text (target), {@code null} for open ends. Bounds come from each database's own key order, so a
 * range never depends on two databases sorting text alike.
 *
 * @param index 0-based position among {@code count} ranges
 */
public record KeyRange(
        int index, int count, String legacyLower, String legacyUpper, String targetLower, String targetUpper) {

    /** A legacy bound that makes the legacy part of a range empty (more tasks than legacy key boundaries). */
    public static final String NOTHING = "";

    public static KeyRange whole() {
        return new KeyRange(0, 1, null, null, null, null);
    }

    public boolean legacyEmpty() {
        return NOTHING.equals(legacyLower);
    }

    public boolean targetEmpty() {
        return NOTHING.equals(targetLower);
    }

    /** {@code index/count}, e.g. {@code 0/1}: identifies the range in offsets and drift state. */
    public String id() {
        return index + "/" + count;
    }
}
