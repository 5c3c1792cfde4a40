package io.rollingmigration.connect.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class TargetStoreSinkConnectorTest {

    private static Map<String, String> valid() {
        Map<String, String> config = new HashMap<>();
        config.put("connection.url", "jdbc:postgresql://localhost:5432/target");
        config.put("target.table", "public.customer");
        return config;
    }

    private static List<String> errorsOn(Map<String, String> config, String key) {
        Config result = new TargetStoreSinkConnector().validate(config);
        return result.configValues().stream()
                .filter(v -> v.name().equals(key))
                .findFirst()
                .map(ConfigValue::errorMessages)
                .orElseThrow();
    }

    @Test
    void validConfigHasNoErrors() {
        Config result = new TargetStoreSinkConnector().validate(valid());
        result.configValues()
                .forEach(v -> assertTrue(v.errorMessages().isEmpty(), v.name() + ": " + v.errorMessages()));
    }

    @Test
    void missingConnectionUrlIsReportedOnThatKey() {
        Map<String, String> config = valid();
        config.remove("connection.url");
        assertEquals(1, errorsOn(config, "connection.url").size());
    }

    @Test
    void unsupportedDatabaseIsReportedOnTheUrl() {
        Map<String, String> config = valid();
        config.put("connection.url", "jdbc:oracle:thin:@host:1521:db");
        assertTrue(errorsOn(config, "connection.url").get(0).contains("Unsupported JDBC URL"));
    }

    @Test
    void aWritebackLaneBesideATargetWhoseChangesCarryNoTransactionIdIsRefusedOnTheLaneTable() {
        Map<String, String> config = valid();
        config.put("lane.transactions.table", "migration_lane_transactions");
        assertEquals(List.of(), errorsOn(config, "lane.transactions.table"));

        config.put("connection.url", "jdbc:mariadb://localhost:3306/target");
        assertTrue(errorsOn(config, "lane.transactions.table").get(0).contains("PostgreSQL target"));
    }

    @Test
    void aMalformedLaneTransactionsTableIsReportedOnItsKey() {
        Map<String, String> config = valid();
        config.put("lane.transactions.table", "a.b.c");
        assertTrue(errorsOn(config, "lane.transactions.table").get(0).contains("not of the form"));
    }

    @Test
    void malformedTableNameIsReportedOnTheTableKey() {
        Map<String, String> config = valid();
        config.put("target.table", "a.b.c");
        assertTrue(errorsOn(config, "target.table").get(0).contains("not of the form"));
    }

    @Test
    void nonsensicalRetrySettingsAreRejectedOnTheirField() {
        for (Map.Entry<String, String> bad : Map.of(
                        "max.retries", "-2",
                        "errors.retry.timeout", "-5",
                        "errors.retry.delay.max.ms", "-1",
                        "retry.backoff.ms", "-10",
                        "connection.socket.timeout.ms", "-1",
                        "connection.statement.timeout.ms", "soon")
                .entrySet()) {
            Map<String, String> config = valid();
            config.put(bad.getKey(), bad.getValue());
            assertFalse(errorsOn(config, bad.getKey()).isEmpty(), bad.toString());
        }
    }

    @Test
    void ownershipGateWithoutADeadLetterQueueIsRefusedOnTheOwnershipTable() {
        Map<String, String> config = valid();
        config.put("ownership.table", "migration_ownership");
        config.put("ownership.partition.field", "region");
        assertTrue(errorsOn(config, "ownership.table").get(0).contains("dead letter queue"));

        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", "dlq");
        assertEquals(List.of(), errorsOn(config, "ownership.table"));
        config.remove("ownership.partition.field");
        assertEquals(1, errorsOn(config, "ownership.partition.field").size());
    }

    @Test
    void passwordIsAPasswordTypeSoConnectMasksIt() {
        assertEquals(
                ConfigDef.Type.PASSWORD,
                TargetStoreSinkConfig.CONFIG_DEF.configKeys().get("connection.password").type);
    }

    @Test
    void everyConfigKeyIsDocumentedInTheOperatorGuide() throws Exception {
        Path guide = Paths.get("").toAbsolutePath().getParent().resolve("docs/connect-sink.md");
        String text = Files.readString(guide);
        for (String key : TargetStoreSinkConfig.CONFIG_DEF.names()) {
            assertTrue(text.contains("`" + key + "`"), "docs/connect-sink.md documents `" + key + "`");
        }
    }
}
