package io.rollingmigration.connect.reconcile;

import io.rollingmigration.testsupport.PostgresFixture;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reconciler's task against real PostgreSQL legacy and target databases. */
class ReconcileSourceTaskTest {

    private static final String TABLE = "reconcile_account";
    private static PostgresFixture postgres;
    private final AtomicLong now = new AtomicLong(1_000_000L);
    private ReconcileSourceTask task;

    @BeforeAll
    static void databases() {
        postgres = PostgresFixture.shared();
    }

    @BeforeEach
    void identicalTables() {
        String ddl = "CREATE TABLE " + TABLE + " (code text PRIMARY KEY, owner text, balance numeric(12,2))";
        for (String db : List.of(PostgresFixture.LEGACY, PostgresFixture.TARGET)) {
            postgres.execute(db, "DROP TABLE IF EXISTS " + TABLE, ddl,
                    "INSERT INTO " + TABLE + " VALUES ('alpha', 'Ann', 10.50), ('Beta', 'Bob', 20), "
                            + "('émile', 'Émile', 30), ('Zulu', 'Zoe', 40), ('日本', 'Ken', 50), "
                            + "('apple', 'Al', 60), ('Éclair', 'Eve', 70)");
        }
        // The target keeps money at another scale (10.500 for 10.50): the same amount, so no drift.
        postgres.execute(PostgresFixture.TARGET, "ALTER TABLE " + TABLE + " ADD COLUMN lineage_rule text",
                "ALTER TABLE " + TABLE + " ALTER COLUMN balance TYPE numeric",
                "UPDATE " + TABLE + " SET lineage_rule = 'x@1', balance = balance * 1.000");
    }

    @AfterEach
    void stopTask() {
        if (task != null) {
            task.stop();
        }
    }

    private ReconcileSourceTask start(Map<String, String> overrides, Map<String, Object> storedOffset) {
        Map<String, String> config = new HashMap<>();
        config.put("legacy.connection.url", postgres.jdbcUrl(PostgresFixture.LEGACY));
        config.put("legacy.connection.user", postgres.user());
        config.put("target.connection.url", postgres.jdbcUrl(PostgresFixture.TARGET));
        config.put("target.connection.user", postgres.user());
        config.put("legacy.table", TABLE);
        config.put("target.table", "public." + TABLE);
        config.put("drift.topic", "drift");
        config.put("interval.ms", "60000");
        config.put("chunk.size", "2");
        config.put("retry.backoff.ms", "0");
        config.putAll(overrides);
        task = new ReconcileSourceTask(now::get);
        task.initialize(new RecordingSourceContext(storedOffset));
        task.start(config);
        return task;
    }

    /** Polls until the sweep's summary arrives; returns every record of the sweep. */
    private static List<SourceRecord> sweep(ReconcileSourceTask task) throws InterruptedException {
        List<SourceRecord> records = new ArrayList<>();
        for (int polls = 0; polls < 100; polls++) {
            List<SourceRecord> batch = task.poll();
            if (batch != null) {
                records.addAll(batch);
                if (batch.stream().anyMatch(r -> r.topic().equals("drift.summary"))) {
                    return records;
                }
            }
        }
        throw new AssertionError("no summary after 100 polls: " + records);
    }

    private static Struct summary(List<SourceRecord> records) {
        return (Struct) records.get(records.size() - 1).value();
    }

    private static List<String> drift(List<SourceRecord> records) {
        return records.stream().filter(r -> r.topic().equals("drift"))
                .map(r -> ((Struct) r.value()).getString("kind") + " " + ((Struct) r.value()).getString("legacy_key"))
                .collect(Collectors.toList());
    }

    @Test
    void identicalTablesGiveACleanSummaryAndNoDriftDespiteALinguisticDefaultCollation() throws Exception {
        List<SourceRecord> records = sweep(start(Map.of(), null));

        assertEquals(List.of(), drift(records));
        Struct summary = summary(records);
        assertEquals(7L, summary.getInt64("compared"));
        assertEquals(7L, summary.getInt64("matched"));
        assertEquals(7L, summary.getInt64("legacy_rows"));
        assertEquals(7L, summary.getInt64("target_rows"));
        assertEquals("reconcile_account#1", summary.getString("run_id"));
        assertEquals(Map.of("run", 1L, "completed_at", now.get()), records.get(records.size() - 1).sourceOffset());
    }

    @Test
    void rowChangedOnlyInTargetIsReportedAsFieldMismatch() throws Exception {
        postgres.execute(PostgresFixture.TARGET, "UPDATE " + TABLE + " SET balance = 99 WHERE code = 'émile'");

        List<SourceRecord> records = sweep(start(Map.of(), null));

        assertEquals(List.of("FIELD_MISMATCH {\"code\":\"émile\"}"), drift(records));
        Struct mismatch = (Struct) records.get(0).value();
        @SuppressWarnings("unchecked")
        List<Struct> fields = (List<Struct>) mismatch.get("fields");
        assertEquals(1, fields.size());
        assertEquals("balance", fields.get(0).getString("name"));
        assertEquals("30.00", fields.get(0).getString("expected"));
        assertEquals("99", fields.get(0).getString("actual"));
        Struct key = (Struct) records.get(0).key();
        assertEquals("reconcile_account", key.getString("aggregate"));
        assertEquals(1L, summary(records).getInt64("field_mismatch"));
    }

    @Test
    void missingAndUnexpectedRowsAreClassified() throws Exception {
        postgres.execute(PostgresFixture.TARGET, "DELETE FROM " + TABLE + " WHERE code IN ('Beta', '日本')",
                "INSERT INTO " + TABLE + " VALUES ('zz-extra', 'X', 1, 'x@1')");

        List<SourceRecord> records = sweep(start(Map.of("aggregate", "account"), null));

        assertEquals(List.of("MISSING_IN_TARGET {\"code\":\"Beta\"}", "UNEXPECTED_IN_TARGET {\"code\":\"zz-extra\"}",
                "MISSING_IN_TARGET {\"code\":\"日本\"}"), drift(records));
        Struct summary = summary(records);
        assertEquals(2L, summary.getInt64("missing_in_target"));
        assertEquals(1L, summary.getInt64("unexpected_in_target"));
        assertEquals(8L, summary.getInt64("compared"));
        assertEquals(5L, summary.getInt64("matched"));
        assertEquals("account", summary.getString("aggregate"));
    }

    @Test
    void rowsTheSinkMarkedDeletedCountAsAbsentFromTheTarget() throws Exception {
        postgres.execute(PostgresFixture.TARGET, "ALTER TABLE " + TABLE + " ADD COLUMN lineage_deleted_at timestamptz",
                "UPDATE " + TABLE + " SET lineage_deleted_at = now() WHERE code = 'Zulu'");
        postgres.execute(PostgresFixture.LEGACY, "DELETE FROM " + TABLE + " WHERE code = 'apple'");

        List<SourceRecord> records = sweep(start(Map.of(), null));

        assertEquals(List.of("MISSING_IN_TARGET {\"code\":\"Zulu\"}", "UNEXPECTED_IN_TARGET {\"code\":\"apple\"}"),
                drift(records));
    }

    @Test
    void onlyTheDeclaredColumnsAreCompared() throws Exception {
        postgres.execute(PostgresFixture.TARGET, "UPDATE " + TABLE + " SET owner = 'someone else'");

        List<SourceRecord> records = sweep(start(Map.of("compare.columns", "balance"), null));

        assertEquals(List.of(), drift(records));
    }

    @Test
    void nextSweepWaitsForTheIntervalAndARestartContinuesTheRunSequence() throws Exception {
        start(Map.of(), Map.of("run", 41L, "completed_at", now.get() - 1000));

        assertNull(task.poll(), "the interval since the stored completion has not passed");
        now.addAndGet(60_000);
        List<SourceRecord> records = sweep(task);

        assertEquals("reconcile_account#42", summary(records).getString("run_id"));
        assertEquals(42L, records.get(records.size() - 1).sourceOffset().get("run"));
    }

    @Test
    void unknownCompareColumnFailsWithItsName() {
        start(Map.of("compare.columns", "balance,shoe_size"), null);

        ConnectException error = assertThrows(ConnectException.class, () -> task.poll());
        assertTrue(error.getMessage().contains("'shoe_size'"), error.getMessage());
    }

    @Test
    void unreachableDatabaseIsRetriedThenFailsTheTask() throws Exception {
        start(Map.of("legacy.connection.url", "jdbc:postgresql://127.0.0.1:1/legacy", "max.retries", "2"), null);

        assertThrows(RetriableException.class, () -> task.poll());
        assertThrows(RetriableException.class, () -> task.poll());
        ConnectException error = assertThrows(ConnectException.class, () -> task.poll());
        assertTrue(error.getMessage().contains("giving up after 3 consecutive failures"), error.getMessage());
        assertTrue(!error.getMessage().contains("password"), "no secrets in messages");
    }
}
