package io.rollingmigration.connect.sink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;

/** The worker's side of a sink task, reduced to what these tests observe: errant records and requested timeouts. */
final class RecordingSinkContext implements SinkTaskContext {

    final List<SinkRecord> errant = new ArrayList<>();
    final List<Throwable> reasons = new ArrayList<>();
    final List<Long> timeouts = new ArrayList<>();
    final Map<TopicPartition, Long> seeks = new HashMap<>();
    private final boolean withReporter;

    RecordingSinkContext(boolean withReporter) {
        this.withReporter = withReporter;
    }

    @Override
    public Map<String, String> configs() {
        return Map.of();
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {
        seeks.putAll(offsets);
    }

    @Override
    public void offset(TopicPartition tp, long offset) {
        seeks.put(tp, offset);
    }

    @Override
    public void timeout(long timeoutMs) {
        timeouts.add(timeoutMs);
    }

    @Override
    public Set<TopicPartition> assignment() {
        return Set.of();
    }

    @Override
    public void pause(TopicPartition... partitions) {}

    @Override
    public void resume(TopicPartition... partitions) {}

    @Override
    public void requestCommit() {}

    /** A real metrics registry, as the worker's, so tests read what operators would see. */
    final Metrics metrics = new Metrics();

    private final PluginMetrics pluginMetrics = new PluginMetricsImpl(metrics, Map.of("connector", "test"));

    @Override
    public PluginMetrics pluginMetrics() {
        return pluginMetrics;
    }

    /** The current value of one of the plugin's metrics, by name. */
    double metric(String name) {
        return metrics.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name))
                .findFirst()
                .map(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .orElseThrow(() -> new AssertionError(
                        "no metric " + name + " in " + metrics.metrics().keySet()));
    }

    @Override
    public ErrantRecordReporter errantRecordReporter() {
        if (!withReporter) {
            return null;
        }
        return (record, error) -> {
            errant.add(record);
            reasons.add(error);
            return CompletableFuture.completedFuture(null);
        };
    }
}
