package io.rollingmigration.connect.reconcile.metrics;

import io.rollingmigration.connect.common.drift.Severity;
import io.rollingmigration.connect.reconcile.drift.OpenDriftSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Rate;

/**
 * What operators watch on the reconciler, through Connect's plugin metrics: rows compared (and per second), open
 * drift by severity, alignment of the last completed run, the age of the oldest open drift (exception aging),
 * suspects held and the replication lag observed in the target.
 */
public final class ReconcileMetrics {

    private final Sensor compared;
    private volatile double alignment = 100.0;
    private volatile long suspects;
    private volatile long lagMillis;

    private ReconcileMetrics(PluginMetrics metrics, OpenDriftSet open, LongSupplier clock) {
        compared = metrics.addSensor("rows-compared");
        compared.add(name(metrics, "rows-compared-total", "Keys compared, all runs together"), new CumulativeSum());
        compared.add(name(metrics, "rows-compared-rate", "Keys compared per second"), new Rate());
        for (Severity severity : Severity.values()) {
            String level = severity.name().toLowerCase(Locale.ROOT);
            metrics.addMetric(name(metrics, "drift-open-" + level, "Open drift of severity " + severity), (Gauge<Long>)
                    (config, now) -> open.countBySeverity().get(severity));
        }
        metrics.addMetric(name(metrics, "drift-open-total", "Open drift, all severities"), (Gauge<Integer>)
                (config, now) -> open.size());
        metrics.addMetric(
                name(
                        metrics,
                        "oldest-open-drift-age-ms",
                        "Time since the oldest open drift was first " + "detected; 0 when none is open"),
                (Gauge<Long>) (config, now) -> {
                    long oldest = open.oldestFirstDetected();
                    return oldest == 0 ? 0L : Math.max(0L, clock.getAsLong() - oldest);
                });
        metrics.addMetric(
                name(
                        metrics,
                        "alignment-percent",
                        "Share of compared keys without drift in the last " + "completed run"),
                (Gauge<Double>) (config, now) -> alignment);
        metrics.addMetric(
                name(metrics, "suspects", "Differences held for a recheck (possibly in flight)"),
                (Gauge<Long>) (config, now) -> suspects);
        metrics.addMetric(
                name(
                        metrics,
                        "observed-lag-ms",
                        "Largest replication lag seen in the target's lineage " + "in the last minute"),
                (Gauge<Long>) (config, now) -> lagMillis);
    }

    /** Metrics published through the worker, or none when the worker offers no plugin metrics. */
    public static ReconcileMetrics of(PluginMetrics metrics, OpenDriftSet open, LongSupplier clock) {
        return metrics == null ? null : new ReconcileMetrics(metrics, open, clock);
    }

    public void compared(long keys) {
        compared.record(keys);
    }

    public void runCompleted(double alignmentPercent) {
        alignment = alignmentPercent;
    }

    public void progress(long suspectsHeld, long observedLagMillis) {
        suspects = suspectsHeld;
        lagMillis = observedLagMillis;
    }

    private static MetricName name(PluginMetrics metrics, String name, String description) {
        return metrics.metricName(name, description, new LinkedHashMap<>());
    }
}
