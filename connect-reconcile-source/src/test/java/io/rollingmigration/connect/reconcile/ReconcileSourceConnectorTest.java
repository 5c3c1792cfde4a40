package io.rollingmigration.connect.reconcile;

import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReconcileSourceConnectorTest {

    private static Map<String, String> valid() {
        Map<String, String> config = new HashMap<>();
        config.put("legacy.connection.url", "jdbc:postgresql://legacy-db:5432/legacy");
        config.put("target.connection.url", "jdbc:mariadb://target-db:3306/target");
        config.put("legacy.table", "public.customer");
        config.put("target.table", "customer");
        config.put("drift.topic", "migration.drift");
        return config;
    }

    private static List<String> errorsOn(Map<String, String> config, String key) {
        return new ReconcileSourceConnector().validate(config).configValues().stream()
                .filter(v -> v.name().equals(key)).findFirst().map(ConfigValue::errorMessages).orElseThrow();
    }

    @Test
    void validConfigHasNoErrors() {
        new ReconcileSourceConnector().validate(valid()).configValues()
                .forEach(v -> assertTrue(v.errorMessages().isEmpty(), v.name() + ": " + v.errorMessages()));
    }

    @Test
    void missingDriftTopicIsReportedOnThatKey() {
        Map<String, String> config = valid();
        config.remove("drift.topic");
        assertEquals(1, errorsOn(config, "drift.topic").size());
    }

    @Test
    void summaryTopicEqualToDriftTopicIsReportedOnTheSummaryTopic() {
        Map<String, String> config = valid();
        config.put("summary.topic", "migration.drift");
        assertTrue(errorsOn(config, "summary.topic").get(0).contains("must differ"));
    }

    @Test
    void malformedTableNameIsReportedOnItsKey() {
        Map<String, String> config = valid();
        config.put("legacy.table", ".customer");
        assertEquals(1, errorsOn(config, "legacy.table").size());
    }

    @Test
    void oneTaskComparesTheTablePairWhateverTasksMax() {
        ReconcileSourceConnector connector = new ReconcileSourceConnector();
        connector.start(valid());
        assertEquals(1, connector.taskConfigs(4).size());
    }

    @Test
    void defaultSummaryTopicFollowsTheDriftTopic() {
        assertEquals("migration.drift.summary", new ReconcileConfig(valid()).summaryTopic());
        assertEquals("customer", new ReconcileConfig(valid()).aggregate());
    }

    @Test
    void everyConfigKeyIsDocumentedInTheOperatorGuide() throws Exception {
        Path guide = Paths.get("").toAbsolutePath().getParent().resolve("docs/connect-reconcile-source.md");
        String text = Files.readString(guide);
        for (String key : ReconcileConfig.CONFIG_DEF.names()) {
            assertTrue(text.contains("`" + key + "`"), "docs/connect-reconcile-source.md documents `" + key + "`");
        }
    }
}
