package io.rollingmigration.connect.sink;

import io.rollingmigration.connect.common.dialect.Dialects;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;

/** The cross-field checks and task settings the suite's sink connectors share. */
public final class ConfigChecks {

    private ConfigChecks() {}

    /** Adds an error to the key's entry in a validation result, so the REST validate call shows it on that key. */
    public static void error(Config config, String key, String message) {
        config.configValues().stream()
                .filter(v -> v.name().equals(key))
                .findFirst()
                .ifPresent(v -> v.addErrorMessage(message));
    }

    public static boolean hasErrors(Config config, String key) {
        return config.configValues().stream()
                .filter(v -> v.name().equals(key))
                .anyMatch(v -> !v.errorMessages().isEmpty());
    }

    /** True if rejected records have somewhere to go: {@code errors.tolerance=all} and a dead letter queue. */
    public static boolean hasDeadLetterQueue(Map<String, String> connectorConfigs) {
        return "all".equals(connectorConfigs.get("errors.tolerance"))
                && !connectorConfigs
                        .getOrDefault("errors.deadletterqueue.topic.name", "")
                        .isBlank();
    }

    /**
     * True if the URL is one of a database whose change events carry the writing transaction's id, which the lanes'
     * echo filter needs (PostgreSQL); an unknown or missing URL is left to the URL's own validator.
     */
    public static boolean reportsTransactionIds(String jdbcUrl) {
        return jdbcUrl == null
                || Dialects.forUrl(jdbcUrl)
                        .map(dialect -> dialect.currentTransactionId().isPresent())
                        .orElse(true);
    }

    /** The same settings for every task: topic partitions are what tasks share. */
    public static List<Map<String, String>> sameForEveryTask(Map<String, String> settings, int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            configs.add(new HashMap<>(settings));
        }
        return configs;
    }
}
