package io.rollingmigration.connect.reconcile;

import static io.rollingmigration.connect.reconcile.PolicyTables.legacyInsert;
import static io.rollingmigration.connect.reconcile.PolicyTables.targetId;
import static io.rollingmigration.connect.reconcile.PolicyTables.upsert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.connect.common.drift.DriftKind;
import io.rollingmigration.connect.common.drift.Severity;
import io.rollingmigration.connect.reconcile.drift.OpenDrift;
import io.rollingmigration.connect.reconcile.drift.OpenDriftSet;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.StoredOffsetContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler's task against real PostgreSQL legacy and target databases, with the mapping spec between them.
 * The test plays the pipeline: it copies legacy rows into the target as translated aggregates with lineage.
 */
class ReconcileSourceTaskTest {

    private static final String T0 = "2026-01-01 10:00:00";
    private static final String T1 = "2026-03-01 10:00:00";
    private static PostgresFixture postgres;
    private final AtomicLong now = new AtomicLong(System.currentTimeMillis());
    private final OpenDriftSet driftTopic = new OpenDriftSet();
    private ReconcileSourceTask task;

    @BeforeAll
    static void databases() {
        postgres = PostgresFixture.shared();
    }

    @BeforeEach
    void alignedTables() {
        postgres.execute(PostgresFixture.LEGACY, "DROP TABLE IF EXISTS policy", PolicyTables.LEGACY_DDL);
        postgres.execute(PostgresFixture.TARGET, "DROP TABLE IF EXISTS policy", PolicyTables.TARGET_DDL);
        String[][] rows = {
            {"P-1", "A", "1050", "Ann"},
            {"P-2", "A", "2000", "Bob"},
            {"P-3", "L", "3000", "Émile"},
            {"P-4", "A", "4000", "Zoe"},
            {"P-5", "L", "5000", "健"},
            {"P-6", "A", "6000", "Al"},
            {"P-7", "A", "7000", "Eve"}
        };
        for (String[] row : rows) {
            postgres.execute(PostgresFixture.LEGACY, legacyInsert(row[0], row[1], Long.parseLong(row[2]), row[3], T0));
            postgres.execute(PostgresFixture.TARGET, upsert(row[0], row[1], Long.parseLong(row[2]), row[3], T0));
        }
    }

    @AfterEach
    void stopTask() {
        if (task != null) {
            task.stop();
        }
    }

    private ReconcileSourceTask start(Map<String, String> overrides, Map<String, Object> storedOffset) {
        task = new ReconcileSourceTask(now::get, (c, aggregate) -> copy(driftTopic));
        task.initialize(new StoredOffsetContext(storedOffset));
        task.start(config(overrides));
        return task;
    }

    private static Map<String, String> config(Map<String, String> overrides) {
        Map<String, String> config = PolicyTables.settings(postgres);
        config.put("interval.ms", "60000");
        config.put("chunk.size", "2");
        config.put("recheck.delay.ms", "0");
        config.put("retry.backoff.ms", "0");
        config.putAll(overrides);
        return config;
    }

    /** What a restarted task reads back from the compacted drift topic. */
    private static OpenDriftSet copy(OpenDriftSet topic) {
        OpenDriftSet copy = new OpenDriftSet();
        topic.all().forEach(copy::put);
        return copy;
    }

    /** Polls until the run's final summary arrives; returns every record of the run. */
    private List<SourceRecord> run(ReconcileSourceTask task) throws InterruptedException {
        List<SourceRecord> records = TaskRuns.untilFinalSummary(task, 200, () -> now.addAndGet(50));
        records.forEach(this::trackDriftTopic);
        return records;
    }

    private void trackDriftTopic(SourceRecord record) {
        if (!record.topic().equals("drift")) {
            return;
        }
        String key = ((Struct) record.key()).getString("target_key");
        if (record.value() == null) {
            driftTopic.remove(key);
        } else {
            Struct value = (Struct) record.value();
            driftTopic.put(new OpenDrift(
                    key,
                    value.getString("legacy_key"),
                    DriftKind.valueOf(value.getString("kind")),
                    Severity.valueOf(value.getString("severity")),
                    record.headers().lastWithName("drift.range").value().toString(),
                    ((Date) value.get("first_detected")).getTime(),
                    value.getInt64("rechecks")));
        }
    }

    private static Struct summary(List<SourceRecord> records) {
        return (Struct) records.get(records.size() - 1).value();
    }

    private static List<String> drift(List<SourceRecord> records) {
        return records.stream()
                .filter(r -> r.topic().equals("drift") && r.value() != null)
                .map(r -> ((Struct) r.value()).getString("kind") + " " + ((Struct) r.value()).getString("legacy_key"))
                .sorted()
                .collect(Collectors.toList());
    }

    private static List<String> tombstones(List<SourceRecord> records) {
        return records.stream()
                .filter(r -> r.topic().equals("drift") && r.value() == null)
                .map(r -> ((Struct) r.key()).getString("target_key"))
                .sorted()
                .collect(Collectors.toList());
    }

    private static Struct driftFor(List<SourceRecord> records, String kind) {
        return records.stream()
                .filter(r -> r.topic().equals("drift") && r.value() != null)
                .map(r -> (Struct) r.value())
                .filter(v -> v.getString("kind").equals(kind))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aTaskCountsAndRechecksOnlyTheOpenDriftOfItsOwnRange() throws Exception {
        // Open drift reported by the task of the other range, as the drift topic holds it.
        driftTopic.put(new OpenDrift(
                "another-range's-key",
                "{\"policy_no\":\"PA-ELSEWHERE\"}",
                DriftKind.FIELD_MISMATCH,
                Severity.HIGH,
                "1/2",
                1_000L,
                0L));
        ReconcileSourceConnector connector = new ReconcileSourceConnector();
        connector.start(config(Map.of()));
        Map<String, String> firstRange = connector.taskConfigs(2).get(0);
        task = new ReconcileSourceTask(now::get, (c, aggregate) -> copy(driftTopic));
        task.initialize(new StoredOffsetContext(null));
        task.start(firstRange);

        List<SourceRecord> records = run(task);

        assertEquals(List.of(), tombstones(records), "the other range's task resolves its own drift");
        assertEquals(
                0L,
                summary(records).getInt64("open_drift"),
                "drift this task never rechecks is not counted as open by it");
    }

    @Test
    void alignedStoresGiveACleanSummaryAndNoDrift() throws Exception {
        List<SourceRecord> records = run(start(Map.of(), null));

        assertEquals(List.of(), drift(records));
        Struct summary = summary(records);
        assertEquals(7L, summary.getInt64("compared"));
        assertEquals(7L, summary.getInt64("matched"));
        assertEquals(7L, summary.getInt64("legacy_rows"));
        assertEquals(7L, summary.getInt64("target_rows"));
        assertEquals(100.0, summary.getFloat64("alignment_pct"));
        assertEquals("policy#1", summary.getString("run_id"));
        assertEquals("full", summary.getString("mode"));
    }

    @Test
    void everyKindOfDifferenceIsFoundAndClassified() throws Exception {
        postgres.execute(
                PostgresFixture.TARGET,
                "DELETE FROM policy WHERE policy_id = '" + targetId("P-2") + "'",
                upsert("P-99", "A", 100, "Ghost", T0),
                "UPDATE policy SET premium = 30.01 WHERE policy_id = '" + targetId("P-3") + "'");
        postgres.execute(
                PostgresFixture.LEGACY,
                "DELETE FROM policy WHERE policy_no = 'P-99'",
                "UPDATE policy SET status_code = 'X' WHERE policy_no = 'P-6'",
                "UPDATE policy SET premium_cents = -500 WHERE policy_no = 'P-7'");
        postgres.execute(
                PostgresFixture.TARGET, "UPDATE policy SET premium = -5 WHERE policy_id = '" + targetId("P-7") + "'");

        List<SourceRecord> records = run(start(
                Map.of(
                        "rules",
                        "premium_positive",
                        "rule.premium_positive",
                        "target.premium > decimal(0)",
                        "rule.premium_positive.severity",
                        "CRITICAL",
                        "mask.fields",
                        "holder"),
                null));

        assertEquals(
                List.of(
                        "FIELD_MISMATCH {\"policy_no\":\"P-3\"}",
                        "MISSING_IN_TARGET {\"policy_no\":\"P-2\"}",
                        "RULE_VIOLATION {\"policy_no\":\"P-6\"}",
                        "RULE_VIOLATION {\"policy_no\":\"P-7\"}",
                        "UNEXPECTED_IN_TARGET {\"policy_no\":\"P-99\"}"),
                drift(records));
        Struct mismatch = driftFor(records, "FIELD_MISMATCH");
        @SuppressWarnings("unchecked")
        List<Struct> fields = (List<Struct>) mismatch.get("fields");
        assertEquals(1, fields.size());
        assertEquals("premium", fields.get(0).getString("name"));
        assertEquals("30.00", fields.get(0).getString("expected"));
        assertEquals("30.01", fields.get(0).getString("actual"));
        assertEquals("MEDIUM", mismatch.getString("severity"));
        assertEquals("policy-spec@3", mismatch.getString("rule"));
        assertEquals(targetId("P-3"), mismatch.getString("target_key"));
        List<Struct> violations = records.stream()
                .filter(r -> r.topic().equals("drift") && r.value() != null)
                .map(r -> (Struct) r.value())
                .filter(v -> v.getString("kind").equals("RULE_VIOLATION"))
                .collect(Collectors.toList());
        Struct untranslatable = violations.stream()
                .filter(v -> v.getString("legacy_key").contains("P-6"))
                .findFirst()
                .orElseThrow();
        assertTrue(untranslatable.getString("message").contains("'X'"), untranslatable.getString("message"));
        Struct broken = violations.stream()
                .filter(v -> v.getString("legacy_key").contains("P-7"))
                .findFirst()
                .orElseThrow();
        assertEquals(List.of("premium_positive"), broken.getArray("violated_rules"));
        assertEquals("CRITICAL", broken.getString("severity"));
        Struct summary = summary(records);
        assertEquals(1L, summary.getInt64("missing_in_target"));
        assertEquals(1L, summary.getInt64("unexpected_in_target"));
        assertEquals(1L, summary.getInt64("field_mismatch"));
        assertEquals(2L, summary.getInt64("rule_violation"));
        assertEquals(1L, summary.getInt64("drift_critical"));
        assertEquals(8L, summary.getInt64("compared"), "seven legacy keys and one target-only key");
        assertEquals(5L, summary.getInt64("open_drift"));
    }

    /** The differences of {@link #everyKindOfDifferenceIsFoundAndClassified} that need no rule. */
    private static void plantDifferencesWithoutRules() {
        postgres.execute(
                PostgresFixture.TARGET,
                "DELETE FROM policy WHERE policy_id = '" + targetId("P-2") + "'",
                upsert("P-99", "A", 100, "Ghost", T0),
                "UPDATE policy SET premium = 30.01 WHERE policy_id = '" + targetId("P-3") + "'",
                // Equal amounts at another scale are no difference.
                "ALTER TABLE policy ALTER COLUMN premium TYPE numeric(14,4)");
        postgres.execute(
                PostgresFixture.LEGACY,
                "DELETE FROM policy WHERE policy_no = 'P-99'",
                "UPDATE policy SET status_code = 'X' WHERE policy_no = 'P-6'");
    }

    private static final List<String> PLANTED_WITHOUT_RULES = List.of(
            "FIELD_MISMATCH {\"policy_no\":\"P-3\"}",
            "MISSING_IN_TARGET {\"policy_no\":\"P-2\"}",
            "RULE_VIOLATION {\"policy_no\":\"P-6\"}",
            "UNEXPECTED_IN_TARGET {\"policy_no\":\"P-99\"}");

    @Test
    void theHashPushdownFindsWhatARowByRowSweepFinds() throws Exception {
        plantDifferencesWithoutRules();

        List<SourceRecord> records = run(start(Map.of("hash.pushdown", "true", "hash.pushdown.buckets", "256"), null));

        assertEquals(PLANTED_WITHOUT_RULES, drift(records));
        Struct summary = summary(records);
        assertEquals(8L, summary.getInt64("compared"), "seven legacy keys and one target-only key");
        assertEquals(4L, summary.getInt64("open_drift"));
        assertEquals(summary.getInt64("compared") - 4, summary.getInt64("matched"));
    }

    @Test
    void manyDifferingRowsAreWalkedThroughTheBucketFilterInsteadOfLookedUpByKey() throws Exception {
        // Chunks of one row: more than four rows in differing buckets are walked in key order.
        postgres.execute(PostgresFixture.TARGET, "UPDATE policy SET premium = premium + 0.01");

        List<SourceRecord> records =
                run(start(Map.of("hash.pushdown", "true", "hash.pushdown.buckets", "256", "chunk.size", "1"), null));

        assertEquals(7, drift(records).size());
        assertTrue(
                drift(records).stream().allMatch(d -> d.startsWith("FIELD_MISMATCH")),
                drift(records).toString());
        assertEquals(7L, summary(records).getInt64("compared"));
        assertEquals(0L, summary(records).getInt64("matched"));
    }

    @Test
    void underTheHashPushdownTasksShareTheBucketsAndEachKeyHasOneOwner() throws Exception {
        plantDifferencesWithoutRules();
        Map<String, String> pushdown = Map.of(
                "hash.pushdown",
                "true",
                "hash.pushdown.buckets",
                "256",
                "mode",
                "incremental",
                "legacy.change.column",
                "updated_at",
                "incremental.overlap.ms",
                "0");
        ReconcileSourceConnector connector = new ReconcileSourceConnector();
        connector.start(config(pushdown));
        List<Map<String, String>> shares = connector.taskConfigs(2);
        List<ReconcileSourceTask> tasks = new ArrayList<>();
        List<String> found = new ArrayList<>();
        long compared = 0;
        for (Map<String, String> share : shares) {
            ReconcileSourceTask shareTask = new ReconcileSourceTask(now::get, (c, aggregate) -> copy(driftTopic));
            shareTask.initialize(new StoredOffsetContext(null));
            shareTask.start(share);
            tasks.add(shareTask);
            List<SourceRecord> records = run(shareTask);
            found.addAll(drift(records));
            compared += summary(records).getInt64("compared");
        }
        found.sort(null);
        assertEquals(PLANTED_WITHOUT_RULES, found);
        assertEquals(8L, compared, "each key compared by one task only");

        // An incremental run of each share: the change of P-5 is compared by its owner alone.
        postgres.execute(
                PostgresFixture.LEGACY,
                "UPDATE policy SET premium_cents = 999, updated_at = "
                        + "'2026-02-01 10:00:00' WHERE policy_no = 'P-5'");
        postgres.execute(PostgresFixture.TARGET, upsert("P-5", "L", 999, "健", "2026-02-01 10:00:00"));
        now.addAndGet(60_000);
        long legacyRows = 0;
        long matched = 0;
        for (ReconcileSourceTask shareTask : tasks) {
            List<SourceRecord> records = run(shareTask);
            assertEquals("incremental", summary(records).getString("mode"));
            legacyRows += summary(records).getInt64("legacy_rows");
            matched += summary(records).getInt64("matched");
            shareTask.stop();
        }
        assertEquals(1L, legacyRows);
        assertEquals(1L, matched, "the changed row's digests agree");
    }

    @Test
    void incrementalRunsUnderTheHashPushdownCompareChangedRowsByDigestAndReportWhatDiffers() throws Exception {
        Map<String, String> incremental = Map.of(
                "hash.pushdown",
                "true",
                "mode",
                "incremental",
                "legacy.change.column",
                "updated_at",
                "incremental.overlap.ms",
                "0");
        assertEquals(List.of(), drift(run(start(incremental, null))));

        // P-4 changed and the pipeline applied it, but wrote the wrong holder; P-5 came across intact.
        String later = "2026-02-01 10:00:00";
        postgres.execute(
                PostgresFixture.LEGACY,
                "UPDATE policy SET holder_name = 'Zoë', updated_at = '" + later + "' WHERE policy_no = 'P-4'",
                "UPDATE policy SET premium_cents = 999, updated_at = '" + later + "' WHERE policy_no = 'P-5'");
        postgres.execute(
                PostgresFixture.TARGET, upsert("P-4", "A", 4000, "Zoe", later), upsert("P-5", "L", 999, "健", later));
        now.addAndGet(60_000);
        List<SourceRecord> second = run(task);

        assertEquals(List.of("FIELD_MISMATCH {\"policy_no\":\"P-4\"}"), drift(second));
        Struct summary = summary(second);
        assertEquals("incremental", summary.getString("mode"));
        assertEquals(2L, summary.getInt64("compared"));
        assertEquals(1L, summary.getInt64("matched"));
    }

    /**
     * The target key is made from the legacy key, so the row the pipeline applied for a changed key is the key's only
     * row: an incremental run compares with it instead of looking the key up. A second row under the same legacy key
     * cannot come from the pipeline; the next full sweep finds it. (An aggregate keyed by a column the legacy row
     * can change is looked up: see {@link TargetKeyFromAChangeableColumnTest}.)
     */
    @Test
    void incrementalRunsUnderTheHashPushdownSeeTargetOnlyChangesAndLeaveRowsThePipelineCannotWriteToFullSweeps()
            throws Exception {
        Map<String, String> incremental = Map.of(
                "hash.pushdown",
                "true",
                "mode",
                "incremental",
                "legacy.change.column",
                "updated_at",
                "incremental.overlap.ms",
                "0",
                "recheck.max.wait.ms",
                "1000");
        assertEquals(List.of(), drift(run(start(incremental, null))));

        // A second live row under P-5's key, written by someone else before the last run; then P-5 changes and comes
        // across.
        postgres.execute(
                PostgresFixture.TARGET,
                "INSERT INTO policy VALUES ('stale-p5', 'LAPSED', 50.00, '健', '"
                        + T0 + "', '" + PolicyTables.sourceKey("P-5") + "', 'public.policy', '" + T0 + "+00', '" + T0
                        + "+00', NULL)");
        String later = "2026-02-01 10:00:00";
        postgres.execute(
                PostgresFixture.LEGACY,
                "UPDATE policy SET premium_cents = 999, updated_at = '" + later + "' WHERE policy_no = 'P-5'");
        postgres.execute(PostgresFixture.TARGET, upsert("P-5", "L", 999, "健", later));
        // A write to the target alone, with no legacy change behind it.
        postgres.execute(PostgresFixture.TARGET, upsert("P-7", "A", 7001, "Eve", later));
        now.addAndGet(60_000);
        List<SourceRecord> second = run(task);

        assertEquals(List.of("FIELD_MISMATCH {\"policy_no\":\"P-7\"}"), drift(second));
        assertEquals("incremental", summary(second).getString("mode"));
        assertEquals(2L, summary(second).getInt64("compared"), "P-5 from the legacy side, P-7 from the target side");
        assertEquals(1L, summary(second).getInt64("matched"));

        task.stop();
        List<SourceRecord> sweep = run(start(Map.of("hash.pushdown", "true"), null));
        assertEquals(
                "stale-p5",
                ((Struct) sweep.stream()
                                .filter(r -> r.topic().equals("drift")
                                        && r.value() != null
                                        && "UNEXPECTED_IN_TARGET".equals(((Struct) r.value()).getString("kind")))
                                .findFirst()
                                .orElseThrow()
                                .key())
                        .getString("target_key"));
    }

    @Test
    void aNewRunGoesOnOverTheLastRunsConnectionsAndReplacesThoseTheDatabaseDropped() throws Exception {
        start(Map.of(), null);
        run(task);
        List<Object> first = otherBackends(PostgresFixture.LEGACY);
        now.addAndGet(60_000);
        run(task);
        assertEquals(first, otherBackends(PostgresFixture.LEGACY), "the same database backend served both runs");

        postgres.execute(
                PostgresFixture.LEGACY,
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        + "WHERE datname = current_database() AND pid <> pg_backend_pid()");
        now.addAndGet(60_000);
        List<SourceRecord> third = run(task);

        assertEquals("COMPLETED", summary(third).getString("status"));
        assertEquals(7L, summary(third).getInt64("matched"));
        assertEquals(1, otherBackends(PostgresFixture.LEGACY).size());
    }

    /** The backends of the database's other client connections: the task's, while no other test runs. */
    private static List<Object> otherBackends(String database) {
        return postgres
                .query(
                        database,
                        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                                + "AND pid <> pg_backend_pid() AND backend_type = 'client backend' ORDER BY pid")
                .stream()
                .map(row -> row.get(0))
                .collect(Collectors.toList());
    }

    @Test
    void maskedFieldsSayTheyDifferWithoutShowingValues() throws Exception {
        postgres.execute(
                PostgresFixture.TARGET,
                "UPDATE policy SET holder = 'Mallory' WHERE policy_id = '" + targetId("P-1") + "'");

        List<SourceRecord> records =
                run(start(Map.of("mask.fields", "holder", "severity.fields", "holder:HIGH"), null));

        Struct mismatch = driftFor(records, "FIELD_MISMATCH");
        Struct field = (Struct) mismatch.getArray("fields").get(0);
        assertEquals("holder", field.getString("name"));
        assertEquals("***", field.getString("expected"));
        assertEquals("***", field.getString("actual"));
        assertEquals("HIGH", mismatch.getString("severity"));
    }

    @Test
    void aTargetHoldingTheLastChangeIsNotBehindItBecauseOfRoundingAndADifferenceThereIsDrift() throws Exception {
        // now() of 10:00:00.1236 rounds up into the legacy timestamp(3); Debezium's ts_ms of the commit a moment
        // later, 10:00:00.1238, is cut down. The target holds that change, and a bug has since altered it.
        postgres.execute(
                PostgresFixture.LEGACY,
                "UPDATE policy SET premium_cents = 1234, "
                        + "updated_at = '2026-03-01 10:00:00.1236' WHERE policy_no = 'P-4'");
        postgres.execute(
                PostgresFixture.TARGET,
                upsert("P-4", "A", 1234, "Zoe", "2026-03-01 10:00:00.124"),
                "UPDATE policy SET premium = 99, lineage_source_committed_at = '2026-03-01 10:00:00.123+00' "
                        + "WHERE policy_id = '" + targetId("P-4") + "'");
        start(Map.of("legacy.change.column", "updated_at", "recheck.max.wait.ms", "3600000"), null);

        List<SourceRecord> records = run(task);

        assertEquals(List.of("FIELD_MISMATCH {\"policy_no\":\"P-4\"}"), drift(records));
        assertEquals(0L, summary(records).getInt64("in_flight"));
    }

    @Test
    void aChangeThePipelineHasNotAppliedYetIsInFlightNotDrift() throws Exception {
        // The legacy row changed at T1; the target still reflects the legacy commit at T0.
        postgres.execute(
                PostgresFixture.LEGACY,
                "UPDATE policy SET premium_cents = 1234, updated_at = '" + T1 + "' WHERE policy_no = 'P-4'");
        start(Map.of("legacy.change.column", "updated_at"), null);

        List<SourceRecord> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            List<SourceRecord> batch = task.poll();
            if (batch != null) {
                records.addAll(batch);
            }
            now.addAndGet(200);
        }
        assertEquals(List.of(), drift(records), "held while the target reflects an older legacy change");

        postgres.execute(PostgresFixture.TARGET, upsert("P-4", "A", 1234, "Zoe", T1));
        records.addAll(run(task));

        assertEquals(List.of(), drift(records));
        assertEquals(1L, summary(records).getInt64("in_flight"));
        assertEquals(6L, summary(records).getInt64("matched"));
    }

    @Test
    void aLegacyDeleteTheMovingPipelineHasNotAppliedYetIsInFlightNotDrift() throws Exception {
        // P-4 is deleted in legacy; the pipeline keeps writing the target but is still applying older changes.
        postgres.execute(PostgresFixture.LEGACY, "DELETE FROM policy WHERE policy_no = 'P-4'");
        String lagging = "'" + Instant.ofEpochMilli(now.get() - 1000) + "'";
        start(Map.of("recheck.delay.ms", "200"), null);

        List<SourceRecord> records = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            postgres.execute(
                    PostgresFixture.TARGET,
                    "UPDATE policy SET lineage_source_committed_at = " + lagging
                            + ", lineage_applied_at = '" + Instant.ofEpochMilli(now.get()) + "' WHERE policy_id = '"
                            + PolicyTables.targetId("P-1") + "'");
            List<SourceRecord> batch = task.poll();
            if (batch != null) {
                records.addAll(batch);
            }
            now.addAndGet(200);
        }
        assertEquals(List.of(), drift(records), "held while the pipeline has not passed the moment P-4 was missed");

        postgres.execute(
                PostgresFixture.TARGET,
                "UPDATE policy SET lineage_deleted_at = now() WHERE policy_id = '" + PolicyTables.targetId("P-4")
                        + "'");
        for (int polls = 0; polls < 60 && records.stream().noneMatch(TaskRuns::isFinalSummary); polls++) {
            List<SourceRecord> batch = task.poll();
            if (batch != null) {
                records.addAll(batch);
            }
            now.addAndGet(1000);
        }

        assertEquals(List.of(), drift(records));
        assertEquals(1L, summary(records).getInt64("in_flight"));
    }

    @Test
    void aSuspectWhoseChangeThePipelineNeverAppliesBecomesDriftAfterTheMaximumWait() throws Exception {
        postgres.execute(
                PostgresFixture.LEGACY,
                "UPDATE policy SET premium_cents = 4321, updated_at = '" + T1 + "' WHERE policy_no = 'P-4'");
        start(Map.of("legacy.change.column", "updated_at", "recheck.max.wait.ms", "3000"), null);

        List<SourceRecord> early = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            List<SourceRecord> batch = task.poll();
            if (batch != null) {
                early.addAll(batch);
            }
        }
        assertEquals(List.of(), drift(early));

        now.addAndGet(5000);
        List<SourceRecord> records = run(task);
        assertEquals(
                List.of("FIELD_MISMATCH {\"policy_no\":\"P-4\"}"),
                drift(records),
                "a pipeline stuck longer than recheck.max.wait.ms is drift");
        assertTrue(driftFor(records, "FIELD_MISMATCH").getInt64("rechecks") >= 2);
    }

    @Test
    void aDifferenceThatGoesAwayBeforeItsRecheckIsCountedInFlight() throws Exception {
        postgres.execute(
                PostgresFixture.TARGET, "UPDATE policy SET premium = 1 WHERE policy_id = '" + targetId("P-1") + "'");
        start(Map.of("recheck.delay.ms", "5000"), null);
        List<SourceRecord> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            List<SourceRecord> batch = task.poll();
            if (batch != null) {
                records.addAll(batch);
            }
        }
        postgres.execute(
                PostgresFixture.TARGET,
                "UPDATE policy SET premium = 10.50 WHERE policy_id = '" + targetId("P-1") + "'");
        now.addAndGet(6000);
        records.addAll(run(task));

        assertEquals(List.of(), drift(records));
        assertEquals(1L, summary(records).getInt64("in_flight"));
    }

    @Test
    void driftThatComesBackIntoLineIsTombstonedEvenAfterARestart() throws Exception {
        postgres.execute(
                PostgresFixture.TARGET,
                "UPDATE policy SET holder = 'Mallory' WHERE policy_id = '" + targetId("P-1") + "'",
                upsert("P-99", "A", 100, "Ghost", T0));
        List<SourceRecord> first = run(start(Map.of(), null));
        assertEquals(2, drift(first).size());
        Map<String, Object> offset = new HashMap<>(first.get(first.size() - 1).sourceOffset());
        task.stop();

        postgres.execute(
                PostgresFixture.TARGET,
                "UPDATE policy SET holder = 'Ann' WHERE policy_id = '" + targetId("P-1") + "'",
                "DELETE FROM policy WHERE policy_id = '" + targetId("P-99") + "'");
        now.addAndGet(60_000);
        List<SourceRecord> second = run(start(Map.of(), offset));

        assertEquals(List.of(), drift(second));
        assertEquals(new TreeSet<>(List.of(targetId("P-1"), targetId("P-99"))), new TreeSet<>(tombstones(second)));
        assertEquals("policy#2", summary(second).getString("run_id"));
        assertEquals(0L, summary(second).getInt64("open_drift"));
    }

    @Test
    void stillOpenDriftIsReportedAgainWithItsFirstDetectionAndRecheckCount() throws Exception {
        postgres.execute(
                PostgresFixture.TARGET,
                "UPDATE policy SET holder = 'Mallory' WHERE policy_id = '" + targetId("P-1") + "'");
        List<SourceRecord> first = run(start(Map.of(), null));
        long firstDetected = ((Date) driftFor(first, "FIELD_MISMATCH").get("first_detected")).getTime();
        now.addAndGet(60_000);

        List<SourceRecord> second = run(task);

        Struct again = driftFor(second, "FIELD_MISMATCH");
        assertEquals(firstDetected, ((Date) again.get("first_detected")).getTime());
        long lastDetected = ((Date) again.get("last_detected")).getTime();
        assertTrue(lastDetected >= firstDetected + 60_000 && lastDetected <= now.get(), "detected again now");
        assertEquals(driftFor(first, "FIELD_MISMATCH").getInt64("rechecks") + 1, again.getInt64("rechecks"));
    }

    @Test
    void aRestartedTaskResumesAnUnfinishedRunFromItsOffset() throws Exception {
        start(Map.of("progress.interval.ms", "100"), null);
        Map<String, Object> checkpoint = null;
        for (int i = 0; i < 3; i++) {
            now.addAndGet(100);
            for (SourceRecord record : task.poll()) {
                checkpoint = new HashMap<>(record.sourceOffset());
            }
        }
        assertEquals("LEGACY", checkpoint.get("phase"));
        assertEquals(6L, checkpoint.get("legacy_rows"), "three chunks of two");
        task.stop();

        List<SourceRecord> records = run(start(Map.of(), checkpoint));

        Struct summary = summary(records);
        assertEquals(7L, summary.getInt64("legacy_rows"), "the resumed run read only the last row again");
        assertEquals(7L, summary.getInt64("compared"));
        assertEquals("policy#1", summary.getString("run_id"));
    }

    @Test
    void incrementalRunsCompareOnlyWhatChangedSinceThePreviousRun() throws Exception {
        Map<String, String> incremental =
                Map.of("mode", "incremental", "legacy.change.column", "updated_at", "incremental.overlap.ms", "0");
        List<SourceRecord> first = run(start(incremental, null));
        assertEquals("full", summary(first).getString("mode"), "the first run has nothing to start from");

        postgres.execute(
                PostgresFixture.LEGACY,
                "UPDATE policy SET premium_cents = 999, updated_at = "
                        + "'2026-02-01 10:00:00' WHERE policy_no = 'P-5'");
        postgres.execute(PostgresFixture.TARGET, upsert("P-5", "L", 999, "健", "2026-02-01 10:00:00"));
        now.addAndGet(60_000);
        List<SourceRecord> second = run(task);

        Struct summary = summary(second);
        assertEquals("incremental", summary.getString("mode"));
        assertEquals(1L, summary.getInt64("legacy_rows"));
        assertEquals(1L, summary.getInt64("compared"));
        assertEquals(1L, summary.getInt64("matched"));
    }

    @Test
    void nextRunWaitsForTheIntervalAndARestartContinuesTheNumbering() throws Exception {
        start(
                Map.of(),
                Map.of(
                        "run",
                        41L,
                        "phase",
                        "DONE",
                        "started_at",
                        now.get() - 1000,
                        "completed_at",
                        now.get() - 500,
                        "last_full_started_at",
                        now.get() - 1000));

        assertNull(task.poll(), "the interval since the last run's start has not passed");
        now.addAndGet(60_000);
        List<SourceRecord> records = run(task);

        assertEquals("policy#42", summary(records).getString("run_id"));
        assertEquals(42L, records.get(records.size() - 1).sourceOffset().get("run"));
    }

    @Test
    void aSpecFieldTheTargetLacksFailsWithItsName() {
        postgres.execute(PostgresFixture.TARGET, "ALTER TABLE policy DROP COLUMN holder");
        start(Map.of(), null);

        ConnectException error = assertThrows(ConnectException.class, () -> task.poll());
        assertTrue(error.getMessage().contains("'holder'"), error.getMessage());
    }

    @Test
    void unreachableDatabaseIsRetriedThenFailsTheTask() {
        start(
                Map.of(
                        "legacy.connection.url",
                        "jdbc:postgresql://127.0.0.1:1/legacy",
                        "max.retries",
                        "2",
                        "legacy.connection.password",
                        "s3cret"),
                null);

        assertThrows(RetriableException.class, () -> task.poll());
        assertThrows(RetriableException.class, () -> task.poll());
        ConnectException error = assertThrows(ConnectException.class, () -> task.poll());
        assertTrue(error.getMessage().contains("giving up after 2 retries"), error.getMessage());
        assertTrue(!error.getMessage().contains("s3cret"), "no secrets in messages");
    }
}
