package io.rollingmigration.connect.sink;

import io.rollingmigration.connect.common.PluginVersion;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Writes change records into a migration's target store: version-guarded upserts and deletes, with the lineage of
 * each change kept in the row. Tasks share the topic partitions; each key lives in one partition, so its changes
 * are written by one task.
 */
public class TargetStoreSinkConnector extends SinkConnector {

    private Map<String, String> settings;

    @Override
    public void start(Map<String, String> props) {
        // Parsing here makes a bad config fail the connector at once, not each task later.
        new TargetStoreSinkConfig(props);
        this.settings = new HashMap<>(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return TargetStoreSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return ConfigChecks.sameForEveryTask(settings, maxTasks);
    }

    /**
     * Cross-field checks: a gate needs the field that names the partition, and somewhere to report blocked
     * changes, so it is refused without a dead letter queue.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        boolean fragment = !connectorConfigs
                .getOrDefault(TargetStoreSinkConfig.FRAGMENT_COLUMNS, "")
                .isBlank();
        boolean fragmentVersion = !connectorConfigs
                .getOrDefault(TargetStoreSinkConfig.FRAGMENT_VERSION_COLUMN, "")
                .isBlank();
        if (fragment != fragmentVersion) {
            ConfigChecks.error(
                    config,
                    fragment ? TargetStoreSinkConfig.FRAGMENT_VERSION_COLUMN : TargetStoreSinkConfig.FRAGMENT_COLUMNS,
                    "fragment.columns and fragment.version.column go "
                            + "together: a fragment is guarded by its own version column");
        }
        if (!connectorConfigs
                        .getOrDefault(TargetStoreSinkConfig.LANE_TRANSACTIONS_TABLE, "")
                        .isBlank()
                && !ConfigChecks.reportsTransactionIds(connectorConfigs.get("connection.url"))) {
            ConfigChecks.error(
                    config,
                    TargetStoreSinkConfig.LANE_TRANSACTIONS_TABLE,
                    "A write-back lane needs a PostgreSQL target for now: the lanes tell each other's writes by the "
                            + "transaction id of Debezium's PostgreSQL change events (docs/decisions/0023)");
        }
        String gate = connectorConfigs.getOrDefault(TargetStoreSinkConfig.OWNERSHIP_TABLE, "");
        if (!gate.isBlank()) {
            if (connectorConfigs
                    .getOrDefault(TargetStoreSinkConfig.OWNERSHIP_PARTITION_FIELD, "")
                    .isBlank()) {
                ConfigChecks.error(
                        config,
                        TargetStoreSinkConfig.OWNERSHIP_PARTITION_FIELD,
                        "An ownership gate needs the field that names the partition (tenant, region...)");
            }
            if (!ConfigChecks.hasDeadLetterQueue(connectorConfigs)) {
                ConfigChecks.error(
                        config,
                        TargetStoreSinkConfig.OWNERSHIP_TABLE,
                        "Changes blocked by the ownership gate are "
                                + "reported to the dead letter queue: set errors.tolerance=all and "
                                + "errors.deadletterqueue.topic.name");
            }
        }
        return config;
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return TargetStoreSinkConfig.CONFIG_DEF;
    }

    @Override
    public String version() {
        return PluginVersion.get();
    }
}
