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

    /** The task's number within its connector, which the connector adds to each task's settings. */
    public static final String TASK_NUMBER = "rollingmigration.task.number";

    /**
     * The same settings for every task (topic partitions are what tasks share), each with its number, which names
     * the task in its status records.
     */
    public static List<Map<String, String>> sameForEveryTask(Map<String, String> settings, int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            Map<String, String> task = new HashMap<>(settings);
            task.put(TASK_NUMBER, Integer.toString(i));
            configs.add(task);
        }
        return configs;
    }

    /** The task's number from its settings; 0 for a task started without it (tests, older connectors). */
    public static int taskNumber(Map<String, String> props) {
        try {
            return Integer.parseInt(props.getOrDefault(TASK_NUMBER, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
