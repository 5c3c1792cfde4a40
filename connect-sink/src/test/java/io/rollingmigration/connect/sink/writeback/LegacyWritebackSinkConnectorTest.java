package io.rollingmigration.connect.sink.writeback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class LegacyWritebackSinkConnectorTest {

    private static Map<String, String> valid() {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", LegacyWritebackSinkConnector.class.getName());
        config.put("legacy.connection.url", "jdbc:postgresql://legacy:5432/fleet");
        config.put("service.connection.url", "jdbc:postgresql://service:5432/fleet_service");
        config.put("mapping.spec", LegacyWritebackSinkTest.VEHICLE_SPEC + "\n---\n" + LegacyWritebackSinkTest.TAX_SPEC);
        config.put("aggregate", "vehicle");
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", "dlq");
        return config;
    }

    private static List<String> errors(Map<String, String> config, String key) {
        return new LegacyWritebackSinkConnector()
                .validate(config).configValues().stream()
                        .filter(v -> v.name().equals(key))
                        .findFirst()
                        .map(ConfigValue::errorMessages)
                        .orElseThrow();
    }

    @Test
    void aCompleteConfigValidates() {
        for (String key : LegacyWritebackSinkConfig.CONFIG_DEF.names()) {
            assertEquals(List.of(), errors(valid(), key), key);
        }
    }

    @Test
    void aSpecThatCannotBeWrittenBackFailsOnMappingSpecWithThePathOfTheProblem() {
        Map<String, String> config = valid();
        config.put(
                "mapping.spec",
                LegacyWritebackSinkTest.VEHICLE_SPEC.replace(
                        "        notes: {keep: previous, default: 'new in the service'}", ""));
        String error = String.join(" ", errors(config, "mapping.spec"));
        assertTrue(
                error.contains("fleet-vehicle@1 aggregates.vehicle.writeback.columns") && error.contains("notes"),
                error);
    }

    @Test
    void aSpecWithoutWritebackRulesForTheAggregateIsRefused() {
        Map<String, String> config = valid();
        config.put(
                "mapping.spec",
                LegacyWritebackSinkTest.VEHICLE_SPEC.substring(
                        0, LegacyWritebackSinkTest.VEHICLE_SPEC.indexOf("    writeback:")));
        String error = String.join(" ", errors(config, "mapping.spec"));
        assertTrue(error.contains("has no writeback rules"), error);

        config = valid();
        config.put("aggregate", "lorry");
        assertTrue(String.join(" ", errors(config, "mapping.spec")).contains("no aggregate 'lorry'"));
    }

    @Test
    void aLegacyDatabaseWhoseChangesCarryNoTransactionIdIsRefusedOnItsUrl() {
        Map<String, String> config = valid();
        config.put("legacy.connection.url", "jdbc:mariadb://legacy:3306/fleet");
        String error = String.join(" ", errors(config, "legacy.connection.url"));
        assertTrue(error.contains("not supported yet"), error);

        config = valid();
        config.put("service.connection.url", "jdbc:mariadb://service:3306/fleet");
        assertTrue(String.join(" ", errors(config, "service.connection.url")).contains("must be PostgreSQL"));
    }

    @Test
    void withoutADeadLetterQueueTheRejectedChangesWouldBeLostSoValidationSaysSo() {
        Map<String, String> config = valid();
        config.remove("errors.tolerance");
        assertTrue(String.join(" ", errors(config, "mapping.spec")).contains("errors.tolerance=all"));
    }

    @Test
    void malformedTableNamesAreReportedOnTheirKeys() {
        for (String key : List.of("id.mapping.table", "ownership.table", "lane.transactions.table")) {
            Map<String, String> config = valid();
            config.put(key, "a.b.c");
            assertTrue(String.join(" ", errors(config, key)).contains("not of the form"), key);
        }
    }

    @Test
    void passwordsArePasswordTypesSoConnectMasksThem() {
        assertEquals(
                ConfigDef.Type.PASSWORD,
                LegacyWritebackSinkConfig.CONFIG_DEF.configKeys().get("legacy.connection.password").type);
        assertEquals(
                ConfigDef.Type.PASSWORD,
                LegacyWritebackSinkConfig.CONFIG_DEF.configKeys().get("service.connection.password").type);
    }

    @Test
    void everyConfigKeyIsDocumentedInTheOperatorGuide() throws Exception {
        Path guide = Paths.get("").toAbsolutePath().getParent().resolve("docs/connect-sink.md");
        String text = Files.readString(guide);
        for (String key : LegacyWritebackSinkConfig.CONFIG_DEF.names()) {
            assertTrue(text.contains("`" + key + "`"), "docs/connect-sink.md documents `" + key + "`");
        }
    }
}
