package io.rollingmigration.connect.sink;

import io.rollingmigration.connect.common.lineage.Lineage.Field;
import io.rollingmigration.testsupport.PostgresFixture;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The sink task against a real PostgreSQL target. */
class TargetStoreSinkTaskTest {

    private static final Schema KEY = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).build();
    private static final Schema ROW = SchemaBuilder.struct()
            .field("id", Schema.INT64_SCHEMA)
            .field("name", Schema.STRING_SCHEMA)
            .field("code", Schema.OPTIONAL_STRING_SCHEMA)
            .field("balance", Decimal.builder(2).optional().build())
            .build();
    private static final String TABLE = "sink_customer";
    private static PostgresFixture postgres;

    private TargetStoreSinkTask task;
    private RecordingSinkContext context;
    private long offset;

    @BeforeAll
    static void database() {
        postgres = PostgresFixture.shared();
    }

    @BeforeEach
    void freshTableAndTask() {
        postgres.execute(PostgresFixture.TARGET, "DROP TABLE IF EXISTS " + TABLE,
                "CREATE TABLE " + TABLE + " (id bigint PRIMARY KEY, name text NOT NULL, code varchar(5), "
                        + "balance numeric(12,2), " + LINEAGE_COLUMNS + ")");
        context = new RecordingSinkContext(true);
        task = startTask(context, Map.of());
    }

    @AfterEach
    void stopTask() {
        task.stop();
    }

    static final String LINEAGE_COLUMNS = "lineage_source_system text, lineage_source_table text, "
            + "lineage_source_key text, lineage_source_position bigint, lineage_source_committed_at timestamptz, "
            + "lineage_operation text, lineage_snapshot text, lineage_rule text, lineage_translated_at timestamptz, "
            + "lineage_applied_at timestamptz";

    private TargetStoreSinkTask startTask(RecordingSinkContext taskContext, Map<String, String> overrides) {
        Map<String, String> config = new HashMap<>();
        config.put("connection.url", postgres.jdbcUrl(PostgresFixture.TARGET));
        config.put("connection.user", postgres.user());
        config.put("connection.password", postgres.password());
        config.put("target.table", TABLE);
        config.put("retry.backoff.ms", "10");
        config.putAll(overrides);
        TargetStoreSinkTask sinkTask = new TargetStoreSinkTask();
        sinkTask.initialize(taskContext);
        sinkTask.start(config);
        return sinkTask;
    }

    @Test
    void insertsUpdatesAndDeletesRows() {
        task.put(List.of(upsert(1, "Ada", 10), upsert(2, "Bo", 11)));
        task.put(List.of(upsert(1, "Ada L.", 20)));
        task.put(List.of(delete(2, 30)));

        assertEquals(List.of("1|Ada L."), rows());
    }

    @Test
    void olderChangeArrivingLateDoesNotOverwriteNewerRow() {
        task.put(List.of(upsert(1, "newer", 200)));
        task.put(List.of(upsert(1, "older", 100)));

        assertEquals(List.of("1|newer"), rows());
        assertEquals(200L, single("SELECT lineage_source_position FROM " + TABLE));
    }

    @Test
    void olderDeleteArrivingLateDoesNotRemoveNewerRow() {
        task.put(List.of(upsert(1, "newer", 200)));
        task.put(List.of(delete(1, 100)));

        assertEquals(List.of("1|newer"), rows());
    }

    @Test
    void replayingABatchChangesNothing() {
        List<SinkRecord> batch = List.of(upsert(1, "Ada", 10), upsert(2, "Bo", 11), delete(2, 12));
        task.put(batch);
        Object appliedAt = single("SELECT lineage_applied_at FROM " + TABLE + " WHERE id = 1");

        task.put(batch);
        task.put(batch);

        assertEquals(List.of("1|Ada"), rows());
        assertEquals(appliedAt, single("SELECT lineage_applied_at FROM " + TABLE + " WHERE id = 1"),
                "an equal version is a no-op, so the row is not even touched");
    }

    @Test
    void updateDeleteAndReinsertOfOneKeyInOneBatchEndsReinserted() {
        task.put(List.of(upsert(1, "first", 10)));

        task.put(List.of(upsert(1, "updated", 20), delete(1, 30), upsert(1, "re-inserted", 40)));

        assertEquals(List.of("1|re-inserted"), rows());
    }

    @Test
    void lineageOfTheLastAppliedChangeIsKeptInTheRow() {
        SinkRecord record = upsert(5, "Lin", 4242);
        record.headers().addString(Field.SOURCE_SYSTEM.header(), "legacy")
                .addString(Field.SOURCE_TABLE.header(), "public.customer")
                .addString(Field.SOURCE_KEY.header(), "{\"id\":5}")
                .addLong(Field.SOURCE_COMMIT_TIME.header(), 1_700_000_000_000L)
                .addString(Field.OPERATION.header(), "CREATE")
                .addString(Field.SNAPSHOT.header(), "false")
                .addString(Field.RULE.header(), "customer@2")
                .addLong(Field.TRANSLATED_AT.header(), 1_700_000_000_500L);
        task.put(List.of(record));

        List<List<Object>> lineage = postgres.query(PostgresFixture.TARGET, "SELECT lineage_source_system, "
                + "lineage_source_table, lineage_source_key, lineage_source_position, "
                + "extract(epoch from lineage_source_committed_at) * 1000, lineage_operation, lineage_snapshot, "
                + "lineage_rule, extract(epoch from lineage_translated_at) * 1000, lineage_applied_at IS NOT NULL "
                + "FROM " + TABLE);
        List<Object> row = lineage.get(0);
        assertEquals(List.of("legacy", "public.customer", "{\"id\":5}", 4242L), row.subList(0, 4));
        assertEquals(0, new BigDecimal("1700000000000").compareTo((BigDecimal) row.get(4)));
        assertEquals(List.of("CREATE", "false", "customer@2"), row.subList(5, 8));
        assertEquals(0, new BigDecimal("1700000000500").compareTo((BigDecimal) row.get(8)));
        assertEquals(true, row.get(9));
    }

    @Test
    void recordsThatCannotBeReadAreReportedAndTheRestOfTheBatchIsWritten() {
        SinkRecord noKey = new SinkRecord("t", 0, null, null, ROW, row(3, "x"), offset++);
        noKey.headers().addLong(Field.SOURCE_POSITION.header(), 1L);
        SinkRecord noVersion = new SinkRecord("t", 0, KEY, key(4), ROW, row(4, "y"), offset++);
        Schema unknown = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).field("fax", Schema.STRING_SCHEMA)
                .build();
        SinkRecord unknownColumn = versioned(new SinkRecord("t", 0, KEY, key(6), unknown,
                new Struct(unknown).put("id", 6L).put("fax", "555"), offset++), 5);

        task.put(List.of(upsert(1, "good", 1), noKey, noVersion, unknownColumn, upsert(2, "also good", 2)));

        assertEquals(List.of("1|good", "2|also good"), rows());
        assertEquals(List.of(noKey, noVersion, unknownColumn), context.errant);
        assertTrue(context.reasons.get(0).getMessage().contains("key must be a Struct"), reason(0));
        assertTrue(context.reasons.get(1).getMessage().contains("no 'lineage.source.position' header"), reason(1));
        assertTrue(context.reasons.get(2).getMessage().contains("field 'fax' has no column"), reason(2));
    }

    @Test
    void valueTooLongForItsColumnIsReportedAndTheRestWritten() {
        SinkRecord tooLong = versioned(new SinkRecord("t", 0, KEY, key(3), ROW,
                row(3, "long").put("code", "ABCDEFGHIJ"), offset++), 3);

        task.put(List.of(upsert(1, "one", 1), tooLong, upsert(2, "two", 2)));

        assertEquals(List.of("1|one", "2|two"), rows());
        assertEquals(List.of(tooLong), context.errant);
        assertTrue(context.reasons.get(0).getMessage().contains("at most 5"), reason(0));
    }

    @Test
    void valueTheDatabaseRefusesIsFoundByWritingOneByOne() {
        postgres.execute(PostgresFixture.TARGET, "ALTER TABLE " + TABLE + " ADD CONSTRAINT positive CHECK (balance >= 0)");
        SinkRecord negative = versioned(new SinkRecord("t", 0, KEY, key(3), ROW,
                row(3, "neg").put("balance", new BigDecimal("-1.00")), offset++), 3);

        task.put(List.of(upsert(1, "one", 1), negative, upsert(2, "two", 2)));

        assertEquals(List.of("1|one", "2|two"), rows());
        assertEquals(List.of(negative), context.errant);
        assertTrue(context.reasons.get(0).getMessage().contains("positive"), reason(0));
    }

    @Test
    void withoutAReporterABadRecordStopsTheTaskRatherThanBeingLost() {
        TargetStoreSinkTask strict = startTask(new RecordingSinkContext(false), Map.of());
        SinkRecord noVersion = new SinkRecord("t", 0, KEY, key(4), ROW, row(4, "y"), offset++);

        assertThrows(DataException.class, () -> strict.put(List.of(noVersion)));
        strict.stop();
    }

    @Test
    void missingTableFailsAtStartWithAPreciseMessage() {
        ConnectException error = assertThrows(ConnectException.class,
                () -> startTask(new RecordingSinkContext(true), Map.of("target.table", "no_such_table")));
        assertTrue(error.getMessage().contains("no_such_table does not exist"), error.getMessage());
    }

    @Test
    void tableWithoutLineageColumnsFailsAtStartNamingThem() {
        postgres.execute(PostgresFixture.TARGET, "ALTER TABLE " + TABLE + " DROP COLUMN lineage_rule");

        ConnectException error = assertThrows(ConnectException.class,
                () -> startTask(new RecordingSinkContext(true), Map.of()));
        assertTrue(error.getMessage().contains("[lineage_rule]"), error.getMessage());
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
            assertEquals(List.of(10L, 10L), context.timeouts);
        } finally {
            postgres.startServer();
        }
        task.put(batch);

        assertEquals(List.of("1|before outage", "2|during outage"), rows());
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
            impatient.stop();
        }
    }

    private String reason(int index) {
        return context.reasons.get(index).getMessage();
    }

    private SinkRecord upsert(long id, String name, long version) {
        return versioned(new SinkRecord("legacy.public.customer", 0, KEY, key(id), ROW, row(id, name), offset++),
                version);
    }

    private SinkRecord delete(long id, long version) {
        return versioned(new SinkRecord("legacy.public.customer", 0, KEY, key(id), null, null, offset++), version);
    }

    private static SinkRecord versioned(SinkRecord record, long version) {
        record.headers().addLong(Field.SOURCE_POSITION.header(), version);
        return record;
    }

    private static Struct key(long id) {
        return new Struct(KEY).put("id", id);
    }

    private static Struct row(long id, String name) {
        return new Struct(ROW).put("id", id).put("name", name).put("balance", new BigDecimal("1.00"));
    }

    private static List<String> rows() {
        List<String> rows = new ArrayList<>();
        for (List<Object> row : postgres.query(PostgresFixture.TARGET, "SELECT id, name FROM " + TABLE
                + " ORDER BY id")) {
            rows.add(row.get(0) + "|" + row.get(1));
        }
        return rows;
    }

    private static Object single(String sql) {
        return postgres.query(PostgresFixture.TARGET, sql).get(0).get(0);
    }
}
