package io.rollingmigration.connect.reconcile;

import io.rollingmigration.connect.common.PluginVersion;
import io.rollingmigration.connect.reconcile.store.KeyRange;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Continuously compares a legacy table with the target table the migration fills, translating legacy rows with
 * the pipeline's own mapping spec, and publishes open drift as a compacted topic and run summaries to a second one.
 * With {@code tasks.max} above 1 the key space is split into ranges, one per task.
 */
public class ReconcileSourceConnector extends SourceConnector {

    private Map<String, String> settings;
    private ReconcileConfig config;

    @Override
    public void start(Map<String, String> props) {
        config = new ReconcileConfig(props);
        Comparison.of(config);
        this.settings = new HashMap<>(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return ReconcileSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<KeyRange> ranges;
        try {
            ranges = TaskRanges.split(config, maxTasks);
        } catch (SQLException e) {
            throw new ConnectException(
                    "Cannot split " + config.legacyTable() + " into " + maxTasks + " key ranges ("
                            + config.legacyConnection() + " / " + config.targetConnection() + "): " + e.getMessage(),
                    e);
        }
        List<Map<String, String>> tasks = new ArrayList<>();
        for (KeyRange range : ranges) {
            Map<String, String> task = new HashMap<>(settings);
            task.putAll(TaskRanges.toConfig(range));
            tasks.add(task);
        }
        return tasks;
    }

    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        boolean valid =
                config.configValues().stream().allMatch(v -> v.errorMessages().isEmpty());
        String drift = connectorConfigs.get(ReconcileConfig.DRIFT_TOPIC);
        String summary = connectorConfigs.get(ReconcileConfig.SUMMARY_TOPIC);
        if (drift != null && drift.equals(summary)) {
            find(config, ReconcileConfig.SUMMARY_TOPIC)
                    .ifPresent(value -> value.addErrorMessage("The summary topic must differ from the drift topic '"
                            + drift + "': drift records and run " + "summaries have different keys and schemas"));
        }
        if (valid) {
            try {
                Comparison.of(new ReconcileConfig(connectorConfigs))
                        .problemWithLegacyTable()
                        .ifPresent(problem ->
                                find(config, ReconcileConfig.MAPPING_SPEC).ifPresent(v -> v.addErrorMessage(problem)));
            } catch (ConfigException e) {
                report(config, e);
            }
        }
        return config;
    }

    /** Puts a problem on the setting it names, adding the setting (a rule's, say) if the definition lacks it. */
    private static void report(Config config, ConfigException e) {
        String message = e.getMessage();
        for (ConfigValue value : config.configValues()) {
            if (message.contains(" for configuration " + value.name() + ":")) {
                value.addErrorMessage(message);
                return;
            }
        }
        int at = message.indexOf(" for configuration ");
        if (at > 0) {
            String setting = message.substring(at + " for configuration ".length(), message.indexOf(':', at));
            ConfigValue value = new ConfigValue(setting);
            value.addErrorMessage(message);
            config.configValues().add(value);
            return;
        }
        find(config, ReconcileConfig.MAPPING_SPEC).ifPresent(v -> v.addErrorMessage(message));
    }

    private static Optional<ConfigValue> find(Config config, String name) {
        return config.configValues().stream().filter(v -> v.name().equals(name)).findFirst();
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return ReconcileConfig.CONFIG_DEF;
    }

    @Override
    public String version() {
        return PluginVersion.get();
    }
}
