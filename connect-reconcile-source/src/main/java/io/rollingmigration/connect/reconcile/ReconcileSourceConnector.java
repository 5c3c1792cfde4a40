package io.rollingmigration.connect.reconcile;

import io.rollingmigration.connect.common.PluginVersion;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compares a legacy table with its target table on an interval and publishes each difference as a drift record,
 * and each sweep's figures as a summary record. One task compares one table pair; splitting the key space over
 * several tasks comes later, so {@code tasks.max} above 1 still yields one task.
 */
public class ReconcileSourceConnector extends SourceConnector {

    private Map<String, String> settings;

    @Override
    public void start(Map<String, String> props) {
        new ReconcileConfig(props);
        this.settings = new HashMap<>(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return ReconcileSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(new HashMap<>(settings));
    }

    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        String drift = connectorConfigs.get(ReconcileConfig.DRIFT_TOPIC);
        String summary = connectorConfigs.get(ReconcileConfig.SUMMARY_TOPIC);
        if (drift != null && drift.equals(summary)) {
            find(config, ReconcileConfig.SUMMARY_TOPIC).ifPresent(value -> value.addErrorMessage(
                    "The summary topic must differ from the drift topic '" + drift + "': drift records and run "
                            + "summaries have different keys and schemas"));
        }
        return config;
    }

    private static Optional<ConfigValue> find(Config config, String name) {
        return config.configValues().stream().filter(v -> v.name().equals(name)).findFirst();
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return ReconcileConfig.CONFIG_DEF;
    }

    @Override
    public String version() {
        return PluginVersion.get();
    }
}
