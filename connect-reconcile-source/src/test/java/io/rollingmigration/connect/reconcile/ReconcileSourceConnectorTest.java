package io.rollingmigration.connect.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.testsupport.PostgresFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class ReconcileSourceConnectorTest {

    private static Map<String, String> valid() {
        Map<String, String> config = new HashMap<>();
        config.put("legacy.connection.url", "jdbc:postgresql://legacy-db:5432/legacy");
        config.put("target.connection.url", "jdbc:mariadb://target-db:3306/target");
        config.put("legacy.table", "public.customer");
        config.put("target.table", "customer");
        config.put("drift.topic", "migration.drift");
        config.put("drift.state.bootstrap.servers", "kafka:9092");
        return config;
    }

    private static List<String> errorsOn(Map<String, String> config, String key) {
        return new ReconcileSourceConnector()
                .validate(config).configValues().stream()
                        .filter(v -> v.name().equals(key))
                        .findFirst()
                        .map(ConfigValue::errorMessages)
                        .orElseThrow();
    }

    @Test
    void validConfigHasNoErrors() {
        new ReconcileSourceConnector()
                .validate(valid())
                .configValues()
                .forEach(v -> assertTrue(v.errorMessages().isEmpty(), v.name() + ": " + v.errorMessages()));
    }

    @Test
    void hashPushdownIsRefusedOnTheSettingWhereSqlCannotComputeTheComparison() {
        Map<String, String> config = valid();
        config.put("hash.pushdown", "true");
        config.put("mapping.spec", PolicyTables.SPEC);
        assertTrue(
                errorsOn(config, "hash.pushdown").get(0).contains("PostgreSQL only"),
                "a MariaDB target has other hash functions");

        config.put("target.connection.url", "jdbc:postgresql://target-db:5432/target");
        config.put("rules", "positive");
        config.put("rule.positive", "target.premium > decimal(0)");
        assertTrue(errorsOn(config, "hash.pushdown").get(0).contains("rules"));

        config.remove("rules");
        config.put(
                "mapping.spec",
                PolicyTables.SPEC.replace(
                        "holder: holder_name", "holder: {from: holder_name, when: \"after.status_code == 'A'\"}"));
        assertTrue(errorsOn(config, "hash.pushdown").get(0).contains("field 'holder' is conditional"));

        config.put(
                "mapping.spec",
                PolicyTables.SPEC.replace(
                        "decimal(after.premium_cents) / decimal(100)",
                        "decimal(after.premium_cents) / decimal(size(after.holder_name))"));
        assertTrue(errorsOn(config, "hash.pushdown").get(0).contains("size"));

        config.put("mapping.spec", PolicyTables.SPEC);
        config.put("hash.pushdown.buckets", "1000");
        assertTrue(errorsOn(config, "hash.pushdown.buckets").get(0).contains("power of two"));
        config.put("hash.pushdown.buckets", "1024");
        new ReconcileSourceConnector()
                .validate(config)
                .configValues()
                .forEach(v -> assertTrue(v.errorMessages().isEmpty(), v.name() + ": " + v.errorMessages()));
    }

    @Test
    void validationChecksTheSpecAgainstTheLegacyTablesRealColumnTypes() {
        PostgresFixture postgres = PostgresFixture.shared();
        postgres.execute(PostgresFixture.LEGACY, "DROP TABLE IF EXISTS policy", PolicyTables.LEGACY_DDL);
        Map<String, String> config = PolicyTables.settings(postgres);
        assertEquals(List.of(), errorsOn(config, "mapping.spec"));

        config.put(
                "mapping.spec",
                PolicyTables.SPEC.replace(
                        "holder: holder_name", "holder: {type: decimal(2), expr: \"round(after.holder_name, 2)\"}"));
        List<String> errors = errorsOn(config, "mapping.spec");
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(
                errors.get(0).contains("aggregates.policy.fields.holder.expr")
                        && errors.get(0).contains("round() does not take a string"),
                errors.get(0));
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
    void oneTaskComparesTheWholeKeySpace() {
        ReconcileSourceConnector connector = new ReconcileSourceConnector();
        connector.start(valid());
        List<Map<String, String>> tasks = connector.taskConfigs(1);
        assertEquals(1, tasks.size());
        assertEquals("0/1", TaskRanges.range(tasks.get(0)).id());
    }

    @Test
    void aBrokenMappingSpecIsReportedOnTheSpecWithItsPath() {
        Map<String, String> config = valid();
        config.put(
                "mapping.spec",
                PolicyTables.SPEC.replace("decimal(after.premium_cents)", "decimal(after.premium_cents"));
        List<String> errors = errorsOn(config, "mapping.spec");
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("aggregates.policy.fields.premium.expr"), errors.get(0));
    }

    @Test
    void anAggregateTheSpecLacksIsReportedOnTheAggregate() {
        Map<String, String> config = valid();
        config.put("mapping.spec", PolicyTables.SPEC);
        config.put("mapping.aggregate", "claim");
        assertTrue(errorsOn(config, "mapping.aggregate").get(0).contains("[policy]"));
    }

    @Test
    void aRuleThatDoesNotCompileIsReportedOnTheRulesOwnSetting() {
        Map<String, String> config = valid();
        config.put("rules", "balance");
        config.put("rule.balance", "legacy.balance_cents == ");
        List<String> errors = errorsOn(config, "rule.balance");
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).contains("invalid expression"), errors.get(0));
    }

    @Test
    void aRuleThatReachesForTheJvmDoesNotCompile() {
        Map<String, String> config = valid();
        config.put("rules", "escape");
        config.put("rule.escape", "java.lang.Runtime.getRuntime() != null");
        assertEquals(1, errorsOn(config, "rule.escape").size());
    }

    @Test
    void aRuleWithoutExpressionIsReportedOnRules() {
        Map<String, String> config = valid();
        config.put("rules", "balance");
        assertTrue(errorsOn(config, "rules").get(0).contains("rule.balance"));
    }

    @Test
    void anUnknownSeverityOrKindIsReportedOnItsSetting() {
        Map<String, String> config = valid();
        config.put("severity.kinds", "FIELD_MISMATCH:URGENT");
        config.put("severity.fields", "balance");
        assertEquals(1, errorsOn(config, "severity.kinds").size());
        assertEquals(1, errorsOn(config, "severity.fields").size());
    }

    @Test
    void theDriftStateBootstrapServersAreRequired() {
        Map<String, String> config = valid();
        config.remove("drift.state.bootstrap.servers");
        assertEquals(1, errorsOn(config, "drift.state.bootstrap.servers").size());
    }

    @Test
    void defaultSummaryTopicFollowsTheDriftTopic() {
        assertEquals("migration.drift.summary", new ReconcileConfig(valid()).summaryTopic());
        assertEquals("customer", new ReconcileConfig(valid()).aggregate(null));
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
