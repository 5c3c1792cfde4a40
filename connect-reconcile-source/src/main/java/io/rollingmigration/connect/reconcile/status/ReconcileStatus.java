package io.rollingmigration.connect.reconcile.status;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollingmigration.connect.common.drift.DriftKind;
import io.rollingmigration.connect.common.drift.Severity;
import io.rollingmigration.connect.common.status.StatusReport;
import io.rollingmigration.connect.reconcile.drift.OpenDrift;
import io.rollingmigration.connect.reconcile.drift.OpenDriftSet;
import io.rollingmigration.connect.reconcile.drift.RunFigures;
import io.rollingmigration.connect.reconcile.run.RunState;
import io.rollingmigration.readshift.FeedFigures;
import io.rollingmigration.readshift.ReadShiftFigures;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A reconciler task's figures for the status topic: its open drift by severity and kind with their ages (exception
 * aging), the last run and the last full run with their alignment, the run under way, and, when the task shows
 * the read-shift lane's figures, where reads go and how they compare. Built on the task's thread, which owns the
 * open drift and the runs, and handed to the publisher's.
 */
public final class ReconcileStatus {

    /** Bounds of the open-drift age histogram, in hours; the last bucket is open-ended. */
    static final List<Long> AGE_BOUNDS_HOURS = List.of(1L, 6L, 24L, 168L);

    private final String connector;
    private final int task;
    private final String unit;
    private final String range;

    private Finished last;
    private Finished lastFull;
    private volatile StatusReport latest;
    /** Since when no drift above LOW has been open, as far as this task knows; {@code null} while some is. */
    private Long clearAboveLowSince;
    /** Since when no consumer has read the unit from legacy, as far as this task knows; {@code null} while some do. */
    private Long noLegacyReadsSince;

    /** A run's figures as it finished. */
    private record Finished(long number, boolean full, long startedAt, long completedAt, RunFigures figures) {}

    public ReconcileStatus(String connector, int task, String unit, String range, long startedAt) {
        this.connector = connector;
        this.task = task;
        this.unit = unit;
        this.range = range;
        this.clearAboveLowSince = startedAt;
        this.noLegacyReadsSince = startedAt;
    }

    public void finished(RunState state, long completedAt) {
        last = new Finished(state.number(), state.full(), state.startedAt(), completedAt, state.figures());
        if (state.full()) {
            lastFull = last;
        }
    }

    /** The latest report, for the publisher's thread; {@code null} before the first. */
    public StatusReport latest() {
        return latest;
    }

    /**
     * Builds the report as of now.
     *
     * @param current      the run under way, or {@code null} between runs
     * @param suspects     differences held for a recheck
     * @param readShift    the read-shift lane's figures, or {@code null} when the task shows none
     */
    public void update(
            OpenDriftSet open,
            RunState current,
            long suspects,
            long observedLagMillis,
            long nextRunAt,
            FeedFigures readShift,
            long now) {
        ObjectNode figures = StatusReport.newFigures();
        figures.put("range", range);
        openDrift(figures.putObject("open_drift"), open, now);
        boolean aboveLow = open.all().stream().anyMatch(d -> d.severity().compareTo(Severity.LOW) > 0);
        clearAboveLowSince = aboveLow ? null : clearAboveLowSince == null ? now : clearAboveLowSince;
        if (clearAboveLowSince == null) {
            figures.putNull("no_drift_above_low_since_ms");
        } else {
            figures.put("no_drift_above_low_since_ms", clearAboveLowSince);
        }
        if (last != null) {
            run(figures.putObject("last_run"), last);
        }
        if (lastFull != null) {
            run(figures.putObject("last_full_run"), lastFull);
        }
        if (current != null) {
            ObjectNode running = figures.putObject("current_run");
            running.put("number", current.number());
            running.put("mode", current.mode());
            running.put("phase", current.phase().name());
            running.put("started_at_ms", current.startedAt());
            running.put("compared", current.figures().compared());
            running.put("legacy_rows_read", current.figures().legacyRows());
            running.put("target_rows_read", current.figures().targetRows());
        } else {
            figures.put("next_run_at_ms", nextRunAt);
        }
        figures.put("suspects", suspects);
        figures.put("observed_lag_ms", observedLagMillis);
        if (readShift == null) {
            figures.putNull("read_shift");
        } else {
            boolean legacyReads = readShift(figures.putObject("read_shift"), readShift);
            noLegacyReadsSince = legacyReads ? null : noLegacyReadsSince == null ? now : noLegacyReadsSince;
            if (noLegacyReadsSince == null) {
                figures.putNull("no_legacy_reads_since_ms");
            } else {
                figures.put("no_legacy_reads_since_ms", noLegacyReadsSince);
            }
        }
        latest = new StatusReport(StatusReport.Kind.RECONCILER, connector, task, unit, figures);
    }

    private static void openDrift(ObjectNode node, OpenDriftSet open, long now) {
        node.put("total", open.size());
        ObjectNode severities = node.putObject("by_severity");
        open.countBySeverity().forEach((severity, count) -> severities.put(severity.name(), count));
        Map<DriftKind, Long> kinds = new EnumMap<>(DriftKind.class);
        Map<Severity, Long> firstBySeverity = new EnumMap<>(Severity.class);
        long[] ages = new long[AGE_BOUNDS_HOURS.size() + 1];
        for (OpenDrift drift : open.all()) {
            kinds.merge(drift.kind(), 1L, Long::sum);
            long hours = Math.max(0, now - drift.firstDetected()) / 3_600_000L;
            int bucket = 0;
            while (bucket < AGE_BOUNDS_HOURS.size() && hours >= AGE_BOUNDS_HOURS.get(bucket)) {
                bucket++;
            }
            ages[bucket]++;
            firstBySeverity.merge(drift.severity(), drift.firstDetected(), Math::min);
        }
        ObjectNode byKind = node.putObject("by_kind");
        kinds.forEach((kind, count) -> byKind.put(kind.name(), count));
        long oldest = open.oldestFirstDetected();
        if (oldest > 0) {
            node.put("oldest_first_detected_ms", oldest);
            node.put("oldest_age_ms", Math.max(0, now - oldest));
        }
        ObjectNode oldestBySeverity = node.putObject("oldest_first_detected_ms_by_severity");
        firstBySeverity.forEach((severity, first) -> oldestBySeverity.put(severity.name(), first));
        ObjectNode histogram = node.putObject("age_histogram");
        String lower = "0h";
        for (int i = 0; i < AGE_BOUNDS_HOURS.size(); i++) {
            String upper = AGE_BOUNDS_HOURS.get(i) + "h";
            histogram.put(lower + "-" + upper, ages[i]);
            lower = upper;
        }
        histogram.put(lower + "+", ages[AGE_BOUNDS_HOURS.size()]);
    }

    private static void run(ObjectNode node, Finished run) {
        node.put("number", run.number());
        node.put("mode", run.full() ? "full" : "incremental");
        node.put("started_at_ms", run.startedAt());
        node.put("completed_at_ms", run.completedAt());
        node.put("compared", run.figures().compared());
        node.put("matched", run.figures().matched());
        node.put("in_flight", run.figures().inFlight());
        node.put("drift", run.figures().drift());
        node.put("alignment_pct", run.figures().alignmentPercent());
        node.put("legacy_rows", run.figures().legacyRows());
        node.put("target_rows", run.figures().targetRows());
    }

    /** Writes the read-shift figures; true if some consumer read the unit from legacy in the window. */
    private boolean readShift(ObjectNode node, FeedFigures feed) {
        ReadShiftFigures.Snapshot snapshot = feed.snapshot();
        node.put("window_s", snapshot.window().toSeconds());
        if (feed.lastRecordAt() > 0) {
            node.put("last_record_at_ms", feed.lastRecordAt());
        }
        ObjectNode partitions = node.putObject("partitions");
        snapshot.alignment().getOrDefault(unit, Map.of()).forEach((partition, alignment) -> {
            ObjectNode p = partitions.putObject(partition);
            Double percent = alignment.alignmentPercent();
            if (percent == null) {
                p.putNull("alignment_pct");
            } else {
                p.put("alignment_pct", percent);
            }
            p.put("matched", alignment.matched());
            p.put("mismatched", alignment.mismatched());
            p.put("in_flight", alignment.inFlight());
            p.put("untranslatable", alignment.untranslatable());
            p.put("failed", alignment.failed());
            ObjectNode fields = p.putObject("mismatches_by_field");
            alignment.mismatchesByField().forEach(fields::put);
        });
        snapshot.routingByPartition()
                .getOrDefault(unit, Map.of())
                .forEach((partition, routing) -> share(
                        partitions.has(partition)
                                ? (ObjectNode) partitions.get(partition)
                                : partitions.putObject(partition),
                        routing));
        ObjectNode consumers = node.putObject("consumers");
        snapshot.routingByConsumer()
                .getOrDefault(unit, Map.of())
                .forEach((consumer, routing) -> share(consumers.putObject(consumer), routing));
        Set<String> onLegacy = snapshot.consumersReadingLegacy().getOrDefault(unit, Set.of());
        onLegacy.stream().sorted().forEach(node.putArray("consumers_on_legacy")::add);
        return !onLegacy.isEmpty();
    }

    private static void share(ObjectNode node, ReadShiftFigures.Routing routing) {
        node.put("reads_answered_by_legacy", routing.answeredByLegacy());
        node.put("reads_answered_by_service", routing.answeredByService());
        Double percent = routing.servicePercent();
        if (percent == null) {
            node.putNull("service_pct");
        } else {
            node.put("service_pct", percent);
        }
    }
}
