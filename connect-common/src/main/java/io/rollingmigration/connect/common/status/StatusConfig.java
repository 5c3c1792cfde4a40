package io.rollingmigration.connect.common.status;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Where a plugin publishes its status records ({@link StatusPublisher}): the same keys, with the same meaning, in
 * every plugin of the suite, so that one compacted topic holds the whole migration's state for the dashboard that
 * every worker serves.
 */
public final class StatusConfig {

    public static final String TOPIC = "status.topic";
    public static final String BOOTSTRAP_SERVERS = "status.bootstrap.servers";
    public static final String INTERVAL_MS = "status.interval.ms";
    /** Producer settings for the status records (security, above all), as Connect's own override prefixes do. */
    public static final String PRODUCER_PREFIX = "status.producer.";

    public static final String DEFAULT_TOPIC = "migration-status";
    public static final long DEFAULT_INTERVAL_MS = 10_000;

    private StatusConfig() {}

    /**
     * Defines the keys in {@code group} from {@code order}.
     *
     * @param bootstrapFallback what an empty {@code status.bootstrap.servers} means in this plugin, for the
     *                          documentation
     */
    public static ConfigDef define(ConfigDef def, String group, int order, String bootstrapFallback) {
        ExitCriteriaConfig.define(def, "Exit criteria");
        return defineWithoutExitCriteria(def, group, order, bootstrapFallback);
    }

    /** The same keys without the exit criteria: for a plugin that is no bridge of its own (a transform). */
    public static ConfigDef defineWithoutExitCriteria(
            ConfigDef def, String group, int order, String bootstrapFallback) {
        return def.define(
                        TOPIC,
                        ConfigDef.Type.STRING,
                        DEFAULT_TOPIC,
                        new ConfigDef.NonEmptyString(),
                        ConfigDef.Importance.LOW,
                        "The compacted topic the tasks publish their status records to, keyed by kind, connector, "
                                + "task and migration unit; the migration dashboard of every worker reads it. Created "
                                + "compacted if missing. Give every plugin of a migration the same topic.",
                        group,
                        order,
                        ConfigDef.Width.MEDIUM,
                        "Status topic")
                .define(
                        BOOTSTRAP_SERVERS,
                        ConfigDef.Type.STRING,
                        "",
                        ConfigDef.Importance.MEDIUM,
                        "Kafka bootstrap servers the status records are published to. Settings prefixed "
                                + PRODUCER_PREFIX + " (security.protocol, sasl.*, ssl.*) are passed to its "
                                + "producer. Empty: " + bootstrapFallback + ".",
                        group,
                        order + 1,
                        ConfigDef.Width.LONG,
                        "Status bootstrap servers")
                .define(
                        INTERVAL_MS,
                        ConfigDef.Type.LONG,
                        DEFAULT_INTERVAL_MS,
                        ConfigDef.Range.atLeast(1_000),
                        ConfigDef.Importance.LOW,
                        "How often each task publishes its status record, in milliseconds. The dashboard marks a "
                                + "task's figures as stale when it has not heard from it for three intervals.",
                        group,
                        order + 2,
                        ConfigDef.Width.SHORT,
                        "Status interval (ms)");
    }

    /** Where and how often a task publishes, or {@code null} when it publishes nothing. */
    public record Settings(String topic, long intervalMillis, Map<String, Object> producer, ObjectNode exitCriteria) {}

    /**
     * The settings of a plugin's config.
     *
     * @param fallbackBootstrap the servers an empty {@code status.bootstrap.servers} stands for, or {@code null}
     * @param fallbackClient    client settings (security) to use when no {@code status.producer.*} key is given
     */
    public static Settings from(AbstractConfig config, String fallbackBootstrap, Map<String, Object> fallbackClient) {
        String servers = config.getString(BOOTSTRAP_SERVERS).trim();
        Map<String, Object> producer = new HashMap<>(config.originalsWithPrefix(PRODUCER_PREFIX));
        if (servers.isEmpty()) {
            if (fallbackBootstrap == null || fallbackBootstrap.isBlank()) {
                return null;
            }
            servers = fallbackBootstrap;
            if (producer.isEmpty() && fallbackClient != null) {
                fallbackClient.forEach((key, value) -> {
                    if (isSecurity(key)) {
                        producer.put(key, value);
                    }
                });
            }
        }
        producer.put("bootstrap.servers", servers);
        return new Settings(
                config.getString(TOPIC).trim(),
                config.getLong(INTERVAL_MS),
                producer,
                config.values().containsKey(ExitCriteriaConfig.TARGET_OWNS_ALL_FOR_MS)
                        ? ExitCriteriaConfig.declared(config)
                        : StatusReport.newFigures());
    }

    /** Whether a client setting says how to reach the cluster securely: what every client of it must share. */
    public static boolean isSecurity(String key) {
        return key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.");
    }

    /** The bootstrap servers and security settings among a client's settings, for another client of the cluster. */
    public static Map<String, Object> connectionSettings(Map<String, ?> client) {
        Map<String, Object> connection = new HashMap<>();
        client.forEach((key, value) -> {
            if (key.equals("bootstrap.servers") || isSecurity(key)) {
                connection.put(key, value);
            }
        });
        return connection;
    }
}
