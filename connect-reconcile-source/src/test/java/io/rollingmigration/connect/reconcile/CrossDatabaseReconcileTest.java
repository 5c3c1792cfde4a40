package io.rollingmigration.connect.reconcile;

import static io.rollingmigration.connect.reconcile.PolicyTables.legacyInsert;
import static io.rollingmigration.connect.reconcile.PolicyTables.targetId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.connect.reconcile.drift.OpenDriftSet;
import io.rollingmigration.testsupport.MariaDbFixture;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.StoredOffsetContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL legacy table (ICU en-US collation) against a MariaDB target (utf8mb4_general_ci, which calls
 * 'apple' and 'APPLE', 'emile' and 'émile' equal), with keys in mixed case, with accents and in other scripts: no
 * false drift, and exactly the planted differences, whether one task or several compare.
 */
class CrossDatabaseReconcileTest {

    private static final String DB = "reconcile_target";
    private static final String T0 = "2026-01-01 10:00:00";
    private static final List<String> KEYS = List.of(
            "apple",
            "Apple",
            "APPLE",
            "emile",
            "émile",
            "Émile",
            "e\u0301mile",
            "日本",
            "ｶﾀｶﾅ",
            "zebra",
            "Zebra",
            "ss",
            "ß",
            "a b",
            "ab",
            "10",
            "9");
    private static PostgresFixture postgres;
    private static MariaDbFixture mariadb;

    @BeforeAll
    static void databases() {
        postgres = PostgresFixture.shared();
        mariadb = MariaDbFixture.availableOrSkip();
        mariadb.createDatabase(DB);
    }

    @BeforeEach
    void alignedTables() {
        postgres.execute(PostgresFixture.LEGACY, "DROP TABLE IF EXISTS policy", PolicyTables.LEGACY_DDL);
        mariadb.execute(
                DB,
                "DROP TABLE IF EXISTS policy",
                "CREATE TABLE policy (policy_id VARCHAR(64) PRIMARY KEY, "
                        + "status VARCHAR(32), premium DECIMAL(12,2), holder VARCHAR(255), updated_at DATETIME(3), "
                        + "lineage_source_key VARCHAR(768), lineage_source_table VARCHAR(255), "
                        + "lineage_source_committed_at DATETIME(3), lineage_applied_at DATETIME(3), "
                        + "lineage_deleted_at DATETIME(3), KEY policy_lineage_source_key (lineage_source_key)) "
                        + "CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");
        int premium = 100;
        for (String key : KEYS) {
            premium += 100;
            postgres.execute(PostgresFixture.LEGACY, legacyInsert(key, "A", premium, "holder of " + key, T0));
            mariadb.execute(
                    DB,
                    "INSERT INTO policy VALUES ('" + targetId(key) + "', 'ACTIVE', " + (premium / 100.0)
                            + ", 'holder of " + key + "', '" + T0 + "', '" + PolicyTables.sourceKey(key) + "', "
                            + "'public.policy', '" + T0 + "', '" + T0 + "', NULL)");
        }
    }

    private Map<String, String> config() {
        Map<String, String> config = new HashMap<>(postgres.connectionSettings("legacy.", PostgresFixture.LEGACY));
        config.putAll(mariadb.connectionSettings("target.", DB));
        config.put("legacy.table", "policy");
        config.put("target.table", "policy");
        config.put("mapping.spec", PolicyTables.SPEC);
        config.put("drift.topic", "drift");
        config.put("drift.state.bootstrap.servers", "unused:9092");
        config.put("chunk.size", "3");
        config.put("recheck.delay.ms", "0");
        return config;
    }

    private static List<SourceRecord> run(Map<String, String> config) throws InterruptedException {
        ReconcileSourceTask task =
                new ReconcileSourceTask(System::currentTimeMillis, (c, aggregate) -> new OpenDriftSet());
        task.initialize(new StoredOffsetContext(null));
        task.start(config);
        try {
            return TaskRuns.untilFinalSummary(task, 300, () -> {});
        } finally {
            task.stop();
        }
    }

    private static List<String> drift(List<SourceRecord> records) {
        return records.stream()
                .filter(r -> r.topic().equals("drift") && r.value() != null)
                .map(r -> ((Struct) r.value()).getString("kind") + " " + ((Struct) r.value()).getString("legacy_key"))
                .sorted()
                .collect(Collectors.toList());
    }

    private static Struct summary(List<SourceRecord> records) {
        return (Struct) records.get(records.size() - 1).value();
    }

    @Test
    void keysThatOnlyDifferInCaseOrAccentsAreNotReportedAsDrift() throws Exception {
        List<SourceRecord> records = run(config());

        assertEquals(List.of(), drift(records));
        assertEquals(KEYS.size(), summary(records).getInt64("compared"));
        assertEquals(KEYS.size(), summary(records).getInt64("matched"));
    }

    @Test
    void exactlyThePlantedDifferencesAreFound() throws Exception {
        mariadb.execute(
                DB,
                "DELETE FROM policy WHERE policy_id = '" + targetId("Apple") + "'",
                "UPDATE policy SET holder = 'someone' WHERE policy_id = '" + targetId("émile") + "'");
        postgres.execute(PostgresFixture.LEGACY, "DELETE FROM policy WHERE policy_no = 'ß'");

        List<SourceRecord> records = run(config());

        assertEquals(
                List.of(
                        "FIELD_MISMATCH {\"policy_no\":\"émile\"}",
                        "MISSING_IN_TARGET {\"policy_no\":\"Apple\"}",
                        "UNEXPECTED_IN_TARGET {\"policy_no\":\"ß\"}"),
                drift(records));
    }

    @Test
    void severalTasksSplitTheKeySpaceAndTogetherFindTheSameDifferences() throws Exception {
        mariadb.execute(
                DB,
                "DELETE FROM policy WHERE policy_id = '" + targetId("APPLE") + "'",
                "UPDATE policy SET premium = 0 WHERE policy_id = '" + targetId("日本") + "'");
        postgres.execute(PostgresFixture.LEGACY, "DELETE FROM policy WHERE policy_no = 'zebra'");
        ReconcileSourceConnector connector = new ReconcileSourceConnector();
        connector.start(config());
        List<Map<String, String>> tasks = connector.taskConfigs(3);
        assertEquals(3, tasks.size());

        List<String> found = new ArrayList<>();
        long compared = 0;
        for (Map<String, String> task : tasks) {
            List<SourceRecord> records = run(task);
            found.addAll(drift(records));
            compared += summary(records).getInt64("compared");
            assertTrue(summary(records).getInt64("compared") > 0, "every range has keys: " + task);
        }

        assertEquals(
                List.of(
                        "FIELD_MISMATCH {\"policy_no\":\"日本\"}",
                        "MISSING_IN_TARGET {\"policy_no\":\"APPLE\"}",
                        "UNEXPECTED_IN_TARGET {\"policy_no\":\"zebra\"}"),
                found.stream().sorted().collect(Collectors.toList()));
        assertEquals(KEYS.size(), compared, "each key compared by exactly one task");
    }
}
