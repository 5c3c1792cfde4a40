package io.rollingmigration.testsupport;

import java.util.ArrayList;
import java.util.Collections;
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

/**
 * The worker's side of a sink task, reduced to what tests and benchmarks observe: errant records with their reasons,
 * requested timeouts and seeks, and the plugin's metrics in a real registry.
 */
public final class RecordingSinkContext implements SinkTaskContext {

    public final List<SinkRecord> errant = Collections.synchronizedList(new ArrayList<>());
    public final List<Throwable> reasons = Collections.synchronizedList(new ArrayList<>());
    public final List<Long> timeouts = new ArrayList<>();
    public final Map<TopicPartition, Long> seeks = new HashMap<>();
    private final boolean withReporter;
    private final Map<String, String> configs;
    private final Set<TopicPartition> assignment;

    /** @param withReporter false for a worker without a dead letter queue (no errant record reporter) */
    public RecordingSinkContext(boolean withReporter) {
        this(withReporter, Map.of(), Set.of());
    }

    /** A context that also answers with the task's configs and the partitions assigned to it. */
    public RecordingSinkContext(boolean withReporter, Map<String, String> configs, Set<TopicPartition> assignment) {
        this.withReporter = withReporter;
        this.configs = configs;
        this.assignment = assignment;
    }

    @Override
    public Map<String, String> configs() {
        return configs;
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
        return assignment;
    }

    @Override
    public void pause(TopicPartition... partitions) {}

    @Override
    public void resume(TopicPartition... partitions) {}

    @Override
    public void requestCommit() {}

    /** A real metrics registry, as the worker's, so tests read what operators would see. */
    public final Metrics metrics = new Metrics();

    private final PluginMetrics pluginMetrics = new PluginMetricsImpl(metrics, Map.of("connector", "test"));

    @Override
    public PluginMetrics pluginMetrics() {
        return pluginMetrics;
    }

    /** The current value of one of the plugin's metrics, by name. */
    public double metric(String name) {
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
