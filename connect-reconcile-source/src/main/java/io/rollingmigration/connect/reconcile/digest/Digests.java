package io.rollingmigration.connect.reconcile.digest;

import io.rollingmigration.connect.reconcile.store.KeyRange;
import io.rollingmigration.connect.reconcile.store.LegacyTable;
import io.rollingmigration.connect.reconcile.store.TargetTable;
import java.sql.SQLException;

/** Computes both sides' digests at once, each in its own database, and compares them bucket by bucket. */
public final class Digests {

    private Digests() {}

    public static BucketFilter compare(DigestPlan plan, LegacyTable legacy, TargetTable target, KeyRange share)
            throws SQLException {
        SideBySide.Results<BucketDigests, BucketDigests> digests =
                SideBySide.run(() -> legacy.digests(plan, share), () -> target.digests(plan, share));
        return new BucketFilter(digests.legacy(), digests.target());
    }
}
