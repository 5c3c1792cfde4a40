package io.rollingmigration.connect.sink.metrics;

import io.rollingmigration.connect.common.config.RetryMetrics;
import io.rollingmigration.connect.sink.write.BatchRetries;
import java.util.LinkedHashMap;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Value;

/**
 * What operators watch on the sink, published through Connect's plugin metrics (JMX, and every metrics reporter
 * the worker has): changes applied, refused as stale, blocked by ownership, dropped as echoes of the write-back lane,
 * deleted, errant; batch size and latency;
 * replication lag from the legacy commit to the target write.
 */
public final class SinkMetrics {

    private static final String GROUP = "rolling-migration-sink";

    private final Sensor applied;
    private final Sensor stale;
    private final Sensor blocked;
    private final Sensor deleted;
    private final Sensor errant;
    private final Sensor echoes;
    private final Sensor batchSize;
    private final Sensor batchLatency;
    private final Sensor lag;

    private SinkMetrics(PluginMetrics metrics) {
        plugin = metrics;
        applied = total(metrics, "changes-applied", "Changes that took effect in the target");
        stale = total(
                metrics,
                "changes-skipped-stale",
                "Changes the version guard refused: the row held a newer "
                        + "or equal version (replays, duplicates, late older changes)");
        blocked = total(
                metrics,
                "changes-blocked-by-ownership",
                "CDC changes not applied because the target owns "
                        + "writes for their partition (LEGACY_WRITE_AFTER_CUTOVER)");
        deleted = total(metrics, "rows-deleted", "Deletes that took effect (markers set or rows removed)");
        errant = total(metrics, "records-errant", "Records handed to the errant record reporter");
        echoes = total(
                metrics,
                "changes-dropped-as-echoes",
                "Legacy changes the write-back lane made itself (its transactions), dropped instead of applied");
        batchSize = metrics.addSensor("batch-size");
        batchSize.add(name(metrics, "batch-size-avg", "Records per put() batch, average"), new Avg());
        batchSize.add(name(metrics, "batch-size-max", "Records per put() batch, maximum"), new Max());
        batchLatency = metrics.addSensor("batch-latency");
        batchLatency.add(name(metrics, "batch-latency-avg-ms", "Time to write a batch, average"), new Avg());
        batchLatency.add(name(metrics, "batch-latency-max-ms", "Time to write a batch, maximum"), new Max());
        lag = metrics.addSensor("replication-lag");
        lag.add(
                name(
                        metrics,
                        "replication-lag-ms",
                        "Now minus the legacy commit time of the latest change " + "written"),
                new Value());
        lag.add(name(metrics, "replication-lag-max-ms", "Largest such lag in the metrics window"), new Max());
    }

    private final PluginMetrics plugin;

    /** Publishes the state of the task's database retries ({@link RetryMetrics}). */
    public void watch(BatchRetries retries) {
        RetryMetrics.watch(plugin, retries.policy());
    }

    /** Metrics published through the worker, or none when the worker offers no plugin metrics. */
    public static SinkMetrics of(PluginMetrics metrics) {
        return metrics == null ? null : new SinkMetrics(metrics);
    }

    public void batch(int records, long latencyMillis, int appliedCount, int staleCount, int deletedCount) {
        batchSize.record(records);
        batchLatency.record(latencyMillis);
        applied.record(appliedCount);
        stale.record(staleCount);
        deleted.record(deletedCount);
    }

    public void blocked() {
        blocked.record();
    }

    public void errant() {
        errant.record();
    }

    public void echo() {
        echoes.record();
    }

    public void lag(long millis) {
        lag.record(millis);
    }

    private static Sensor total(PluginMetrics metrics, String name, String description) {
        Sensor sensor = metrics.addSensor(name);
        sensor.add(name(metrics, name + "-total", description), new CumulativeSum());
        return sensor;
    }

    private static MetricName name(PluginMetrics metrics, String name, String description) {
        return metrics.metricName(name, description, new LinkedHashMap<>());
    }

    static String group() {
        return GROUP;
    }
}
