package io.rollingmigration.connect.reconcile.digest;

import io.rollingmigration.connect.reconcile.store.KeyRange;
import io.rollingmigration.connect.reconcile.store.LegacyTable;
import io.rollingmigration.connect.reconcile.store.TargetTable;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Computes both sides' digests at once, each in its own database, and compares them bucket by bucket. */
public final class Digests {

    private Digests() {
    }

    public static BucketFilter compare(DigestPlan plan, LegacyTable legacy, TargetTable target, KeyRange share)
            throws SQLException {
        CompletableFuture<BucketDigests> targetDigests = CompletableFuture.supplyAsync(() -> {
            try {
                return target.digests(plan, share);
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        });
        BucketDigests legacyDigests;
        try {
            legacyDigests = legacy.digests(plan, share);
        } catch (SQLException e) {
            // Never leave the target query running on its own.
            targetDigests.exceptionally(failure -> null).join();
            throw e;
        }
        try {
            return new BucketFilter(plan, legacyDigests, targetDigests.join());
        } catch (CompletionException e) {
            if (e.getCause() instanceof SQLException) {
                throw (SQLException) e.getCause();
            }
            throw e;
        }
    }
}
