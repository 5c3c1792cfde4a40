package io.rollingmigration.connect.smt.translate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;

/**
 * What a translation transform reports through Connect's plugin metrics: records translated, dropped on purpose,
 * failed, translation latency, and semantic loss: per legacy column dropped by the spec, how many rows held a value
 * the target does not keep.
 */
final class TranslationMetrics {

    private final PluginMetrics metrics;
    private final Sensor translated;
    private final Sensor droppedRecords;
    private final Sensor failed;
    private final Sensor latency;
    private final Map<String, Sensor> semanticLoss = new ConcurrentHashMap<>();

    TranslationMetrics(PluginMetrics metrics) {
        this.metrics = metrics;
        translated = total("records-translated", "Records translated into aggregates (tombstones included)");
        droppedRecords = total(
                "records-dropped",
                "Records dropped on purpose (Debezium tombstones, truncates and "
                        + "messages when configured to drop)");
        failed = total("records-failed", "Records that could not be translated (raised to errors.tolerance)");
        latency = metrics.addSensor("translation-latency");
        latency.add(
                metrics.metricName(
                        "translation-latency-avg-ns", "Time to translate a record, average", new LinkedHashMap<>()),
                new Avg());
        latency.add(
                metrics.metricName(
                        "translation-latency-max-ns", "Time to translate a record, maximum", new LinkedHashMap<>()),
                new Max());
    }

    /** The tags Connect gives the plugin's metrics: the connector, the task, the transform's alias. */
    Map<String, String> tags() {
        return metrics.metricName("records-translated-total", "", new LinkedHashMap<>())
                .tags();
    }

    void translated(long nanos) {
        translated.record();
        latency.record(nanos);
    }

    void dropped() {
        droppedRecords.record();
    }

    void failed() {
        failed.record();
    }

    void semanticLoss(String column) {
        semanticLoss
                .computeIfAbsent(column, c -> {
                    LinkedHashMap<String, String> tags = new LinkedHashMap<>();
                    tags.put("column", c);
                    Sensor sensor = metrics.addSensor("semantic-loss-" + c);
                    sensor.add(
                            metrics.metricName(
                                    "semantic-loss-total",
                                    "Rows whose value in a legacy column the spec "
                                            + "drops on purpose did not reach the target",
                                    tags),
                            new CumulativeSum());
                    return sensor;
                })
                .record();
    }

    private Sensor total(String name, String description) {
        Sensor sensor = metrics.addSensor(name);
        sensor.add(metrics.metricName(name + "-total", description, new LinkedHashMap<>()), new CumulativeSum());
        return sensor;
    }
}
