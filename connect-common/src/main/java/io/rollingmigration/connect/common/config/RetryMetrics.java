package io.rollingmigration.connect.common.config;

import java.util.LinkedHashMap;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;

/**
 * A task's database retries as plugin metrics, the same names in every plugin: since when a database has not been
 * answering (epoch ms, 0 while it answers), the retries in this outage, and when the next is due. What an alert or
 * the dashboard shows as "the sink has been waiting for its target for 4 minutes".
 */
public final class RetryMetrics {

    private RetryMetrics() {}

    public static void watch(PluginMetrics metrics, RetryPolicy retries) {
        metrics.addMetric(
                metrics.metricName(
                        "database-unavailable-since-ms",
                        "When the task's database stopped answering (epoch ms), 0 while it answers",
                        new LinkedHashMap<>()),
                (Gauge<Long>) (config, now) -> retries.unavailableSince());
        metrics.addMetric(
                metrics.metricName(
                        "database-retry-attempt", "Retries in the current database outage", new LinkedHashMap<>()),
                (Gauge<Integer>) (config, now) -> retries.retries());
        metrics.addMetric(
                metrics.metricName(
                        "database-next-retry-ms",
                        "When the next retry is due (epoch ms), 0 while the database answers",
                        new LinkedHashMap<>()),
                (Gauge<Long>) (config, now) -> retries.nextTryAt());
    }
}
