package io.rollingmigration.connect.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.RecordingSinkContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

        assertEquals(List.of("1|before outage", "2|during outage"), liveRows());
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
