package io.rollingmigration.connect.reconcile.digest;

import io.rollingmigration.connect.common.dialect.Where;
import java.util.ArrayList;
import java.util.List;

/**
 * Which rows of each side a task reads one by one under the hash pushdown: those of its share of the buckets
 * (tasks split the key space by bucket, not by key range) and, in a full run, only those of differing buckets.
 */
public final class RowSelection {

    private final String legacyCondition;
    private final String targetCondition;
    private final byte[] bitmap;

    private RowSelection(String legacyCondition, String targetCondition, byte[] bitmap) {
        this.legacyCondition = legacyCondition;
        this.targetCondition = targetCondition;
        this.bitmap = bitmap;
    }

    /** The task's share of buckets; {@code null} when there is one task and no filter. */
    public static RowSelection share(DigestPlan plan, int share, int shares, BucketFilter differing) {
        List<String> legacy = new ArrayList<>(2);
        List<String> target = new ArrayList<>(2);
        if (shares > 1) {
            legacy.add(plan.legacyShare(share, shares));
            target.add(plan.targetShare(share, shares));
        }
        if (differing != null) {
            legacy.add(plan.legacyFilter());
            target.add(plan.targetFilter());
        }
        if (legacy.isEmpty()) {
            return null;
        }
        return new RowSelection(
                Where.allOf(legacy), Where.allOf(target), differing == null ? null : differing.bitmap());
    }

    public String legacyCondition() {
        return legacyCondition;
    }

    public String targetCondition() {
        return targetCondition;
    }

    /** The bitmap to bind as the condition's one parameter, or {@code null} when it has none. */
    public byte[] bitmap() {
        return bitmap;
    }
}
