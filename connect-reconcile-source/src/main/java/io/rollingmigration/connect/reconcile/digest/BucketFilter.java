package io.rollingmigration.connect.reconcile.digest;

/**
 * The buckets whose digests differ between legacy and target: only their rows are compared one by one. The set
 * travels to the database as a bitmap (bit {@code n} is bit {@code n % 8} of byte {@code n / 8}, as PostgreSQL's
 * {@code get_bit} reads it), so a row's membership costs one lookup whatever the number of buckets.
 */
public final class BucketFilter {

    private final byte[] bitmap;
    private final int differing;
    private final BucketDigests legacy;
    private final BucketDigests target;

    BucketFilter(BucketDigests legacy, BucketDigests target) {
        this.legacy = legacy;
        this.target = target;
        this.bitmap = new byte[(legacy.size() + 7) / 8];
        int count = 0;
        for (int bucket = 0; bucket < legacy.size(); bucket++) {
            if (!legacy.same(target, bucket)) {
                bitmap[bucket >> 3] |= (byte) (1 << (bucket & 7));
                count++;
            }
        }
        this.differing = count;
    }

    public boolean differs(int bucket) {
        return (bitmap[bucket >> 3] & (1 << (bucket & 7))) != 0;
    }

    /** How many buckets differ. */
    public int differing() {
        return differing;
    }

    /**
     * Legacy rows in matching buckets (compared, and equal to their target rows) among the buckets {@code b} with
     * {@code b % shares == share}: every task computes all digests, and each counts its share of them.
     */
    public long matchedLegacyRows(int share, int shares) {
        return matched(legacy, share, shares);
    }

    /** Target rows in matching buckets of the share. */
    public long matchedTargetRows(int share, int shares) {
        return matched(target, share, shares);
    }

    /** Rows in the differing buckets of the share on its larger side: what reading them whole holds at once. */
    public long largestSideOfDiffering(int share, int shares) {
        long legacyRows = 0;
        long targetRows = 0;
        for (int bucket = share; bucket < legacy.size(); bucket += shares) {
            if (differs(bucket)) {
                legacyRows += legacy.rows(bucket);
                targetRows += target.rows(bucket);
            }
        }
        return Math.max(legacyRows, targetRows);
    }

    private long matched(BucketDigests side, int share, int shares) {
        long rows = 0;
        for (int bucket = share; bucket < side.size(); bucket += shares) {
            if (!differs(bucket)) {
                rows += side.rows(bucket);
            }
        }
        return rows;
    }

    public byte[] bitmap() {
        return bitmap.clone();
    }
}
