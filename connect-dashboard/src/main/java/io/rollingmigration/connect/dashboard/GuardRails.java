package io.rollingmigration.connect.dashboard;

import io.rollingmigration.connect.common.ownership.Owner;
import io.rollingmigration.readshift.ReadMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What must hold before the dashboard moves a partition, as Vitess refuses a traffic switch above a maximum
 * replication lag and treats a verification older than a day as stale: the lane that must catch up lags less than
 * a bound and reports fresh figures, and the unit's last full reconciliation is recent and fully aligned. Each
 * failure is a sentence an operator can act on; a caller may force the move, and the force is recorded.
 */
final class GuardRails {

    /** The bounds, from the worker's {@code migration.dashboard.guard.*} settings. */
    record Bounds(long maxLagMillis, long maxVerificationAgeMillis, double minAlignmentPercent) {}

    private final Bounds bounds;

    GuardRails(Bounds bounds) {
        this.bounds = bounds;
    }

    Bounds bounds() {
        return bounds;
    }

    /** The failures a move of the unit's writes to {@code to} meets; empty when it may go ahead. */
    List<String> ownershipMove(UnitView view, Owner to, long now) {
        List<String> failures = new ArrayList<>();
        String lane = to == Owner.TARGET ? "SINK" : "WRITEBACK";
        String laneName = to == Owner.TARGET ? "forward lane (sink)" : "write-back lane";
        if (!view.has(lane)) {
            failures.add("no " + laneName + " of unit " + view.unit() + " reports its status, so its lag is unknown"
                    + (to == Owner.LEGACY
                            ? "; without a write-back lane the service's writes would not reach legacy"
                            : ""));
        } else {
            UnitView.Lag lag = view.lag(lane);
            if (lag.stale()) {
                failures.add("the " + laneName + "'s figures are stale (a task last reported at "
                        + Instant.ofEpochMilli(lag.newestPublishedAt()) + ")");
            }
            if (lag.p99() > bounds.maxLagMillis()) {
                failures.add(String.format(
                        Locale.ROOT,
                        "the %s lags: replication lag p99 %d ms is above the bound of %d ms "
                                + "(migration.dashboard.guard.max.lag.ms)",
                        laneName,
                        lag.p99(),
                        bounds.maxLagMillis()));
            }
        }
        verification(view, now, failures);
        return failures;
    }

    /** The failures a change of the unit's reads to {@code mode} meets: reads the service answers need a proof. */
    List<String> readRouting(UnitView view, ReadMode mode, long now) {
        List<String> failures = new ArrayList<>();
        if (mode == ReadMode.CANARY || mode == ReadMode.TARGET) {
            verification(view, now, failures);
        }
        return failures;
    }

    private void verification(UnitView view, long now, List<String> failures) {
        if (!view.has("RECONCILER")) {
            failures.add("no reconciler of unit " + view.unit() + " reports its status: nothing shows legacy and "
                    + "target agree");
            return;
        }
        UnitView.Verification last = view.lastFullReconciliation();
        if (!last.complete()) {
            failures.add(String.format(
                    Locale.ROOT,
                    "no full reconciliation of unit %s has finished in every key range since its reconciler "
                            + "started (%d of %d ranges)",
                    view.unit(),
                    last.rangesReporting(),
                    last.rangesExpected()));
            return;
        }
        long age = now - last.oldestCompletedAt();
        if (age > bounds.maxVerificationAgeMillis()) {
            failures.add(String.format(
                    Locale.ROOT,
                    "the last full reconciliation is stale: it finished at %s, %d min ago, more than the bound of "
                            + "%d min (migration.dashboard.guard.max.verification.age.ms)",
                    Instant.ofEpochMilli(last.oldestCompletedAt()),
                    age / 60_000,
                    bounds.maxVerificationAgeMillis() / 60_000));
        }
        if (last.lowestAlignment() < bounds.minAlignmentPercent()) {
            failures.add(String.format(
                    Locale.ROOT,
                    "the last full reconciliation was %.3f%% aligned, below %.3f%% "
                            + "(migration.dashboard.guard.min.alignment.pct): repair the drift first",
                    last.lowestAlignment(),
                    bounds.minAlignmentPercent()));
        }
    }
}
