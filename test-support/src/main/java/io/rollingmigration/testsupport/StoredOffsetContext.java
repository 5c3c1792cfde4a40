package io.rollingmigration.testsupport;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * The worker's side of a source task run outside a worker (tests, benchmarks): one stored offset, returned for every
 * partition, and no plugin metrics.
 */
public final class StoredOffsetContext implements SourceTaskContext {

    private final Map<String, Object> storedOffset;

    public StoredOffsetContext(Map<String, Object> storedOffset) {
        this.storedOffset = storedOffset;
    }

    @Override
    public Map<String, String> configs() {
        return Map.of();
    }

    @Override
    public OffsetStorageReader offsetStorageReader() {
        return new OffsetStorageReader() {
            @Override
            public <T> Map<String, Object> offset(Map<String, T> partition) {
                return storedOffset;
            }

            @Override
            public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                Map<Map<String, T>, Map<String, Object>> all = new HashMap<>();
                partitions.forEach(p -> all.put(p, storedOffset));
                return all;
            }
        };
    }

    @Override
    public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
        return null;
    }
}
