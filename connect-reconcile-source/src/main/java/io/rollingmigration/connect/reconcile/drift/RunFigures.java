package io.rollingmigration.connect.reconcile.drift;

import io.rollingmigration.connect.common.drift.Drift;
import io.rollingmigration.connect.common.drift.DriftKind;
import io.rollingmigration.connect.common.drift.Severity;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The running figures of one run of one key range: rows read, keys compared, matched, in flight, and drift by kind
 * and severity. They travel in the task's source offset, so a resumed run goes on counting.
 */
public final class RunFigures {

    private long legacyRows;
    private long targetRows;
    private long compared;
    private long matched;
    private long inFlight;
    private final Map<DriftKind, Long> byKind = new EnumMap<>(DriftKind.class);
    private final Map<Severity, Long> bySeverity = new EnumMap<>(Severity.class);

    public void legacyRowsRead(long rows) {
        legacyRows += rows;
    }

    public void targetRowsRead(long rows) {
        targetRows += rows;
    }

    public void compared(long keys) {
        compared += keys;
    }

    public void countMatch() {
        matched++;
    }

    /** Rows found equal together, by their digests. */
    public void countMatches(long rows) {
        matched += rows;
    }

    /** A difference that went away on recheck, or that the pipeline had not yet applied. */
    public void countInFlight() {
        inFlight++;
    }

    public void drift(Drift drift) {
        byKind.merge(drift.kind(), 1L, Long::sum);
        bySeverity.merge(drift.severity(), 1L, Long::sum);
    }

    public long legacyRows() {
        return legacyRows;
    }

    public long targetRows() {
        return targetRows;
    }

    public long compared() {
        return compared;
    }

    public long matched() {
        return matched;
    }

    public long inFlight() {
        return inFlight;
    }

    public long drift(DriftKind kind) {
        return byKind.getOrDefault(kind, 0L);
    }

    public long drift(Severity severity) {
        return bySeverity.getOrDefault(severity, 0L);
    }

    public long drift() {
        return byKind.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Share of compared keys without drift, in percent; 100 when nothing was compared. */
    public double alignmentPercent() {
        return compared == 0 ? 100.0 : 100.0 * (compared - Math.min(compared, drift())) / compared;
    }

    /** The figures as a source offset fragment (JSON-friendly). */
    public Map<String, Object> toOffset() {
        Map<String, Object> offset = new HashMap<>();
        offset.put("legacy_rows", legacyRows);
        offset.put("target_rows", targetRows);
        offset.put("compared", compared);
        offset.put("matched", matched);
        offset.put("in_flight", inFlight);
        byKind.forEach((kind, count) -> offset.put("kind." + kind.name(), count));
        bySeverity.forEach((severity, count) -> offset.put("severity." + severity.name(), count));
        return offset;
    }

    public static RunFigures fromOffset(Map<String, Object> offset) {
        RunFigures figures = new RunFigures();
        figures.legacyRows = number(offset, "legacy_rows");
        figures.targetRows = number(offset, "target_rows");
        figures.compared = number(offset, "compared");
        figures.matched = number(offset, "matched");
        figures.inFlight = number(offset, "in_flight");
        for (DriftKind kind : DriftKind.values()) {
            long count = number(offset, "kind." + kind.name());
            if (count > 0) {
                figures.byKind.put(kind, count);
            }
        }
        for (Severity severity : Severity.values()) {
            long count = number(offset, "severity." + severity.name());
            if (count > 0) {
                figures.bySeverity.put(severity, count);
            }
        }
        return figures;
    }

    private static long number(Map<String, Object> offset, String name) {
        Object value = offset.get(name);
        return value instanceof Number ? ((Number) value).longValue() : 0L;
    }
}
