package io.rollingmigration.sandbox;

import java.util.Locale;
import java.util.Map;

/**
 * What the sandbox prints every few seconds, as the worker's migration dashboard shows it.
 *
 * @param takenAt          epoch ms
 * @param legacyRows       rows in the legacy table at the last full reconciliation, or -1 before one
 * @param targetRows       rows landed in the target at that reconciliation, or -1 before one
 * @param lagP50Ms         replication lag (legacy commit to target write) over the sinks' last interval, median
 * @param lagP99Ms         the same, 99th percentile
 * @param applied          changes the sink applied
 * @param skipped          changes the sink's version guard skipped (replays, duplicates, older changes)
 * @param failed           records the sinks sent to the dead letter queue
 * @param openDrift        open drift by severity; empty while no reconciler reports
 * @param alignmentPercent the last completed reconciliation's alignment, or -1 before the first
 * @param ownership        who owns writes, per region
 * @param readShift        where reads go and how they compare
 */
public record MigrationStatus(
        long takenAt,
        long legacyRows,
        long targetRows,
        long lagP50Ms,
        long lagP99Ms,
        long applied,
        long skipped,
        long failed,
        Map<String, Long> openDrift,
        double alignmentPercent,
        Map<String, String> ownership,
        ReadShiftStatus readShift) {

    /** Share of legacy rows landed in the target, in percent; -1 before a full reconciliation counted them. */
    public double backfillPercent() {
        if (legacyRows < 0) {
            return -1;
        }
        return legacyRows == 0 ? 100.0 : Math.min(100.0, 100.0 * targetRows / legacyRows);
    }

    public long openDriftTotal() {
        return openDrift.values().stream().mapToLong(Long::longValue).sum();
    }

    /** One console line. */
    public String line() {
        return String.format(
                Locale.ROOT,
                "backfill %s | lag p50 %d ms p99 %d ms | applied %d "
                        + "skipped %d failed %d | open drift %s | alignment %s | ownership %s | %s",
                legacyRows < 0
                        ? "n/a"
                        : String.format(Locale.ROOT, "%.1f%% (%d/%d)", backfillPercent(), targetRows, legacyRows),
                lagP50Ms,
                lagP99Ms,
                applied,
                skipped,
                failed,
                openDrift.isEmpty() ? "n/a" : openDrift,
                alignmentPercent < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f%%", alignmentPercent),
                ownership,
                readShift.line());
    }
}
