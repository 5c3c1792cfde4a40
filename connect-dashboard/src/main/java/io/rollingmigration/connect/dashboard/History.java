package io.rollingmigration.connect.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;

/**
 * The last hour of each unit's lag, open drift and backfill, sampled by this worker for the page's charts. Each
 * worker samples its own from the same status topic, so every worker draws the same lines from the moment it
 * started; a value a unit has no source for is a gap, not a zero.
 */
final class History {

    static final long WINDOW_MILLIS = 3_600_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One sample of one unit; {@code null} where the unit has no source for a figure. */
    record Point(long at, Long lagP99Millis, Long driftOpen, Double backfillPercent) {}

    private final Map<String, Deque<Point>> units = new TreeMap<>();
    private final long sampleMillis;

    History(long sampleMillis) {
        this.sampleMillis = sampleMillis;
    }

    synchronized void sample(Map<String, UnitView> views, long now) {
        views.forEach((unit, view) -> {
            Long lag = view.has("SINK") ? view.lag("SINK").p99() : null;
            Long drift = view.has("RECONCILER")
                    ? view.openDrift("by_severity").values().stream()
                            .mapToLong(Long::longValue)
                            .sum()
                    : null;
            UnitView.Verification full = view.lastFullReconciliation();
            Double backfill = !full.complete()
                    ? null
                    : full.legacyRows() == 0 ? 100.0 : Math.min(100.0, 100.0 * full.targetRows() / full.legacyRows());
            units.computeIfAbsent(unit, u -> new ArrayDeque<>()).addLast(new Point(now, lag, drift, backfill));
        });
        for (Deque<Point> points : units.values()) {
            while (!points.isEmpty() && points.peekFirst().at() < now - WINDOW_MILLIS) {
                points.removeFirst();
            }
        }
    }

    synchronized ObjectNode json() {
        ObjectNode history = JSON.createObjectNode();
        history.put("sample_ms", sampleMillis);
        history.put("window_ms", WINDOW_MILLIS);
        ObjectNode all = history.putObject("units");
        units.forEach((unit, points) -> {
            ObjectNode series = all.putObject(unit);
            ArrayNode at = series.putArray("at_ms");
            ArrayNode lag = series.putArray("lag_p99_ms");
            ArrayNode drift = series.putArray("drift_open");
            ArrayNode backfill = series.putArray("backfill_pct");
            for (Point point : points) {
                at.add(point.at());
                if (point.lagP99Millis() == null) {
                    lag.addNull();
                } else {
                    lag.add(point.lagP99Millis());
                }
                if (point.driftOpen() == null) {
                    drift.addNull();
                } else {
                    drift.add(point.driftOpen());
                }
                if (point.backfillPercent() == null) {
                    backfill.addNull();
                } else {
                    backfill.add(point.backfillPercent());
                }
            }
        });
        return history;
    }
}
