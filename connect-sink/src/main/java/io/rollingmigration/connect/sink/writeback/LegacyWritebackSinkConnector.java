package io.rollingmigration.connect.sink.writeback;

import io.rollingmigration.connect.common.PluginVersion;
import io.rollingmigration.connect.common.spec.SpecException;
import io.rollingmigration.connect.sink.ConfigChecks;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * The write-back lane: the service's changes (Debezium on the service's store) translated back through the spec's
 * writeback rules into the legacy tables, for the partitions the service owns, so that systems still reading legacy
 * see them and handing a partition back to legacy loses nothing.
 */
public class LegacyWritebackSinkConnector extends SinkConnector {

    private Map<String, String> settings;

    @Override
    public void start(Map<String, String> props) {
        new LegacyWritebackSinkConfig(props);
        this.settings = new HashMap<>(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return LegacyWritebackSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return ConfigChecks.sameForEveryTask(settings, maxTasks);
    }

    /**
     * Cross-field checks: every spec defines the aggregate with writeback rules; legacy is a database whose changes
     * carry the transaction id the echo filter needs; rejected changes need a dead letter queue.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        String specs = connectorConfigs.get(LegacyWritebackSinkConfig.MAPPING_SPEC);
        String aggregate = connectorConfigs.get(LegacyWritebackSinkConfig.AGGREGATE);
        if (specs != null
                && aggregate != null
                && !aggregate.isBlank()
                && !ConfigChecks.hasErrors(config, LegacyWritebackSinkConfig.MAPPING_SPEC)) {
            try {
                WritebackSpecs.compile(specs, aggregate, null);
            } catch (SpecException e) {
                ConfigChecks.error(config, LegacyWritebackSinkConfig.MAPPING_SPEC, e.getMessage());
            }
        }
        if (!ConfigChecks.reportsTransactionIds(
                connectorConfigs.get(LegacyWritebackSinkConfig.LEGACY_PREFIX + "connection.url"))) {
            ConfigChecks.error(
                    config,
                    LegacyWritebackSinkConfig.LEGACY_PREFIX + "connection.url",
                    "Writing back into this database is not supported yet: the lane recognises its own changes "
                            + "by the transaction id Debezium reports, which only PostgreSQL's change events carry "
                            + "(docs/decisions/0023)");
        }
        if (!ConfigChecks.reportsTransactionIds(
                connectorConfigs.get(LegacyWritebackSinkConfig.SERVICE_PREFIX + "connection.url"))) {
            ConfigChecks.error(
                    config,
                    LegacyWritebackSinkConfig.SERVICE_PREFIX + "connection.url",
                    "The service's store must be PostgreSQL for now: the write-back tells the forward lane's writes "
                            + "by the transaction id of the service's change events (docs/decisions/0023)");
        }
        if (!ConfigChecks.hasDeadLetterQueue(connectorConfigs)) {
            ConfigChecks.error(
                    config,
                    LegacyWritebackSinkConfig.MAPPING_SPEC,
                    "Changes that cannot be written back (no legacy value for a service value, a service write "
                            + "in a partition legacy owns) go to the dead letter queue: set errors.tolerance=all and "
                            + "errors.deadletterqueue.topic.name");
        }
        return config;
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return LegacyWritebackSinkConfig.CONFIG_DEF;
    }

    @Override
    public String version() {
        return PluginVersion.get();
    }
}
