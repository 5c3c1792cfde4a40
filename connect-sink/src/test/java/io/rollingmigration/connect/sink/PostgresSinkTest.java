package io.rollingmigration.connect.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rollingmigration.connect.common.lineage.Lineage;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.RecordingSinkContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sink's contract on PostgreSQL with upsert statements, and what a PostgreSQL outage does to it. */
class PostgresSinkTest extends SinkContractTest {

    private static PostgresFixture postgres;

    @BeforeAll
    static void database() {
        postgres = PostgresFixture.shared();
    }

    @Override
    Map<String, String> connection() {
        Map<String, String> connection = new HashMap<>(postgres.connectionSettings("", PostgresFixture.TARGET));
        connection.put("write.method", "statements");
        return connection;
    }

    @Override
    void execute(String... sql) {
        postgres.execute(PostgresFixture.TARGET, sql);
    }

    @Override
    List<List<Object>> query(String sql) {
        return postgres.query(PostgresFixture.TARGET, sql);
    }

    @Override
    String createTable(String table, boolean nameNotNull) {
        return "CREATE TABLE " + table + " (id bigint PRIMARY KEY, name text" + (nameNotNull ? " NOT NULL" : "")
                + ", code varchar(5), balance numeric(12,2), lineage_source_system text, lineage_source_table text, "
                + "lineage_source_key text, lineage_source_position bigint, lineage_source_committed_at timestamptz, "
                + "lineage_operation text, lineage_snapshot text, lineage_rule text, "
                + "lineage_translated_at timestamptz, lineage_applied_at timestamptz, "
                + "lineage_deleted_at timestamptz)";
    }

    @Override
    List<Long> epochMillis(String... columns) {
        List<Long> millis = new ArrayList<>();
        for (String column : columns) {
            millis.add(((BigDecimal) single("SELECT extract(epoch from " + column + ") * 1000 FROM " + TABLE))
                    .longValueExact());
        }
        return millis;
    }

    @Test
    void besideAWritebackLaneEachTransactionIsRecordedAndTheWritebacksOwnChangesAreDropped() {
        execute("DROP TABLE IF EXISTS sink_lanes");
        RecordingSinkContext lane = new RecordingSinkContext(true);
        TargetStoreSinkTask laned = startTask(lane, Map.of("lane.transactions.table", "sink_lanes"));
        laned.put(List.of(upsert(1, "from legacy", 10)));
        assertEquals(
                List.of(List.of("FORWARD", single("SELECT xmin::text::bigint FROM " + TABLE + " WHERE id = 1"))),
                query("SELECT lane, short_id FROM sink_lanes"),
                "the write-back lane will know this transaction's changes of the service's table");

        long committed = 1_765_000_000_000L;
        execute("INSERT INTO sink_lanes VALUES ('WRITEBACK', 4294967296 + 901, 901, 'writeback', " + committed + ")");
        SinkRecord echo = fromTransaction(upsert(1, "the write-back's own change", 20), 901, committed + 300);
        SinkRecord genuine = fromTransaction(upsert(2, "a genuine legacy change", 21), 902, committed + 300);
        SinkRecord wrapped = fromTransaction(upsert(3, "same 32-bit id, a day later", 22), 901, committed + 86_400_000);
        laned.put(List.of(echo, genuine, wrapped));

        assertEquals(
                List.of("1|from legacy", "2|a genuine legacy change", "3|same 32-bit id, a day later"), liveRows());
        assertEquals(1.0, lane.metric("changes-dropped-as-echoes-total"));
    }

    @Test
    void anEchoArrivingAfterANewerServiceWriteToTheSameRowDoesNotOverwriteIt() {
        execute("DROP TABLE IF EXISTS sink_lanes");
        TargetStoreSinkTask laned =
                startTask(new RecordingSinkContext(true), Map.of("lane.transactions.table", "sink_lanes"));
        laned.put(List.of(upsert(1, "from legacy", 10)));
        // The service writes the row twice; the write-back carried the first write into legacy (transaction 905),
        // and its change comes round with a legacy position newer than any the row has seen.
        long committed = System.currentTimeMillis();
        execute(
                "UPDATE " + TABLE + " SET name = 'the service, first' WHERE id = 1",
                "UPDATE " + TABLE + " SET name = 'the service, newer' WHERE id = 1",
                "INSERT INTO sink_lanes VALUES ('WRITEBACK', 905, 905, 'writeback', " + committed + ")");
        laned.put(List.of(fromTransaction(upsert(1, "the service, first", 500), 905, committed + 20)));

        assertEquals(List.of("1|the service, newer"), liveRows(), "the echo is dropped, not applied by its position");
    }

    @Test
    void anEchoInAPartitionTheServiceOwnsIsNotReportedAsAStrayLegacyWrite() {
        execute("DROP TABLE IF EXISTS sink_lanes", "DROP TABLE IF EXISTS migration_ownership");
        RecordingSinkContext lane = new RecordingSinkContext(true);
        TargetStoreSinkTask gated = startTask(
                lane,
                Map.of(
                        "lane.transactions.table", "sink_lanes",
                        "ownership.table", "migration_ownership",
                        "ownership.unit", "customer",
                        "ownership.partition.field", "code",
                        "ownership.refresh.ms", "0"));
        gated.put(List.of(inRegion(1, "one", "EU", 10)));
        long committed = 1_765_000_000_000L;
        execute(
                "INSERT INTO migration_ownership (migration_unit, partition_value, owner) VALUES ('customer', 'EU', "
                        + "'TARGET')",
                "INSERT INTO sink_lanes VALUES ('WRITEBACK', 77, 77, 'writeback', " + committed + ")");

        SinkRecord echo = fromTransaction(inRegion(1, "written back by the service", "EU", 20), 77, committed);
        SinkRecord stray = fromTransaction(inRegion(1, "a legacy screen still writing", "EU", 21), 78, committed);
        gated.put(List.of(echo, stray));

        assertEquals(List.of(stray), lane.errant, "only the genuine legacy write is reported");
        assertTrue(lane.reasons.get(0).getMessage().startsWith("LEGACY_WRITE_AFTER_CUTOVER"));
        assertEquals(List.of("1|one"), liveRows());
    }

    @Test
    void aMoveToTheServiceIsRefusedWhileTheForwardLaneLagsAndCarriedOutWithItsPositionOnceItHasCaughtUp()
            throws InterruptedException {
        execute(
                "DROP TABLE IF EXISTS handover_ownership",
                "DROP TABLE IF EXISTS handover_moves",
                "DROP TABLE IF EXISTS handover_progress");
        RecordingSinkContext lane =
                new RecordingSinkContext(true, Map.of(), Set.of(new TopicPartition("legacy.public.customer", 0)));
        TargetStoreSinkTask forward = startTask(
                lane,
                Map.of(
                        "ownership.table", "handover_ownership",
                        "ownership.unit", "customer",
                        "ownership.partition.field", "code",
                        "ownership.refresh.ms", "0",
                        "ownership.moves.table", "handover_moves",
                        "lane.progress.table", "handover_progress",
                        "handover.max.lag.ms", "60000"));
        long tenMinutesAgo = System.currentTimeMillis() - 600_000;
        forward.put(List.of(committedAt(inRegion(1, "one", "EU", 10), tenMinutesAgo)));
        execute("INSERT INTO handover_moves (migration_unit, partition_value, to_owner, requested_by) VALUES "
                + "('customer', 'EU', 'TARGET', 'ops@example.com')");
        Thread.sleep(600);
        forward.put(List.of(committedAt(inRegion(2, "two", "EU", 11), tenMinutesAgo + 1)));

        List<Object> refused =
                query("SELECT status, reason, decided_by FROM handover_moves").get(0);
        assertEquals("REFUSED", refused.get(0));
        assertTrue(refused.get(1).toString().contains("lags"), refused.toString());
        assertEquals("unnamed", refused.get(2));
        assertEquals(List.of(), query("SELECT * FROM handover_ownership"), "nothing moved");

        // The lane catches up: Connect hands it an empty batch, nothing is left to apply. A request naming no owner
        // there is gets refused, not left pending.
        execute(
                "INSERT INTO handover_moves (migration_unit, partition_value, to_owner, requested_by) VALUES "
                        + "('customer', 'EU', 'TARGET', 'ops@example.com')",
                "INSERT INTO handover_moves (migration_unit, partition_value, to_owner, requested_by) VALUES "
                        + "('customer', 'US', 'SERVICE', 'ops@example.com')");
        Thread.sleep(600);
        forward.put(List.of());

        assertEquals(
                List.of("to_owner must be LEGACY or TARGET"),
                query("SELECT reason FROM handover_moves WHERE to_owner = 'SERVICE' AND status = 'REFUSED'").stream()
                        .map(row -> row.get(0))
                        .toList());
        assertEquals(
                List.of(List.of("REFUSED", "11"), List.of("DONE", "11")),
                query("SELECT status, lane_position FROM handover_moves WHERE to_owner <> 'SERVICE' ORDER BY move_id"),
                "the move is recorded with the newest legacy position the lane had applied");
        assertEquals(
                List.of(List.of("customer", "EU", "TARGET")),
                query("SELECT migration_unit, partition_value, owner FROM handover_ownership"));
        SinkRecord stray =
                committedAt(inRegion(1, "a legacy screen after the move", "EU", 12), System.currentTimeMillis() + 1000);
        forward.put(List.of(stray));
        assertEquals(List.of(stray), lane.errant, "the gate obeys the move at once");
    }

    private static SinkRecord committedAt(SinkRecord record, long committedAtMillis) {
        record.headers().addLong(Lineage.Field.SOURCE_COMMIT_TIME.header(), committedAtMillis);
        return record;
    }

    private static SinkRecord fromTransaction(SinkRecord record, long transaction, long committedAt) {
        record.headers()
                .addLong(Lineage.SOURCE_TRANSACTION_HEADER, transaction)
                .addLong(Lineage.Field.SOURCE_COMMIT_TIME.header(), committedAt);
        return record;
    }

    @Test
    void databaseOutageMakesTheTaskRetryTheSameBatchThenWriteIt() {
        assumeTrue(postgres.isPrivate(), "needs a private PostgreSQL cluster to stop");
        task.put(List.of(upsert(1, "before outage", 1)));
        List<SinkRecord> batch = List.of(upsert(2, "during outage", 2));

        postgres.stopServer();
        try {
            assertThrows(RetriableException.class, () -> task.put(batch));
            assertThrows(RetriableException.class, () -> task.put(batch));
            assertEquals(2, context.timeouts.size());
            long first = context.timeouts.get(0);
            long second = context.timeouts.get(1);
            assertTrue(first >= 8 && first <= 12, "retry.backoff.ms with a fifth of jitter: " + first);
            assertTrue(second >= 16 && second <= 24, "then twice as long: " + second);
            assertEquals(2.0, context.metric("database-retry-attempt"), "the metrics say the task is waiting");
            assertTrue(context.metric("database-unavailable-since-ms") > 0);
        } finally {
            postgres.startServer();
        }
        task.put(batch);

        assertEquals(List.of("1|before outage", "2|during outage"), liveRows());
        assertEquals(0.0, context.metric("database-unavailable-since-ms"), "and that it is back");
    }

    @Test
    void outageLongerThanTheRetriesFailsTheTaskLoudly() {
        assumeTrue(postgres.isPrivate(), "needs a private PostgreSQL cluster to stop");
        TargetStoreSinkTask impatient = startTask(new RecordingSinkContext(true), Map.of("max.retries", "1"));
        List<SinkRecord> batch = List.of(upsert(2, "never", 2));

        postgres.stopServer();
        try {
            assertThrows(RetriableException.class, () -> impatient.put(batch));
            ConnectException error = assertThrows(ConnectException.class, () -> impatient.put(batch));
            assertTrue(error.getMessage().contains("Giving up after 1 retries"), error.getMessage());
        } finally {
            postgres.startServer();
        }
    }
}
