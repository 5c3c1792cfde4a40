package io.rollingmigration.connect.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.connect.common.config.JdbcConnectionConfig;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.RecordingSinkContext;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every connection the sink opens is bounded: a database that hangs is a retried failure, not a silent block. */
class BoundedWaitsTest {

    private static final Schema KEY =
            SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).build();
    private static final Schema ROW = SchemaBuilder.struct()
            .field("id", Schema.INT64_SCHEMA)
            .field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    private static PostgresFixture frozen;

    @BeforeAll
    static void ownServer() {
        frozen = PostgresFixture.startOwned();
        frozen.execute(
                "postgres",
                "CREATE TABLE hang_target (id bigint PRIMARY KEY, name text, lineage_source_system text, "
                        + "lineage_source_table text, lineage_source_key text, lineage_source_position bigint, "
                        + "lineage_source_committed_at timestamptz, lineage_operation text, lineage_snapshot text, "
                        + "lineage_rule text, lineage_translated_at timestamptz, lineage_applied_at timestamptz, "
                        + "lineage_deleted_at timestamptz)");
    }

    @AfterAll
    static void stop() {
        frozen.close();
    }

    private static Map<String, String> sinkConfig() {
        Map<String, String> config = new HashMap<>(frozen.connectionSettings("", "postgres"));
        config.put("target.table", "hang_target");
        config.put("connection.socket.timeout.ms", "2000");
        config.put("connection.statement.timeout.ms", "1234");
        config.put("retry.backoff.ms", "50");
        return config;
    }

    @Test
    void theStatementTimeoutIsTheSessionsOwn() throws Exception {
        JdbcConnectionConfig connection = JdbcConnectionConfig.from(new TargetStoreSinkConfig(sinkConfig()), "");
        try (Connection db = connection.open();
                Statement statement = db.createStatement();
                ResultSet rs = statement.executeQuery("SHOW statement_timeout")) {
            rs.next();
            assertEquals("1234ms", rs.getString(1));
        }
    }

    @Test
    void aFrozenDatabaseBecomesARetriedFailureWithinTheSocketTimeoutAndTheBatchLandsOnceItThaws() {
        RecordingSinkContext context = new RecordingSinkContext(true);
        TargetStoreSinkTask task = new TargetStoreSinkTask();
        task.initialize(context);
        task.start(sinkConfig());
        try {
            task.put(List.of(record(1, "before the hang", 0)));
            List<SinkRecord> batch = List.of(record(2, "during the hang", 1));
            frozen.freezeServer();
            try {
                RetriableException hang = assertTimeoutPreemptively(
                        Duration.ofSeconds(20),
                        () -> assertThrows(RetriableException.class, () -> task.put(batch)),
                        "the task must not block on a hung database");
                assertTrue(hang.getMessage() != null, "the retry says why");
                assertTrue(context.metric("database-unavailable-since-ms") > 0);
            } finally {
                frozen.thawServer();
            }
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                while (true) {
                    try {
                        task.put(batch);
                        return;
                    } catch (RetriableException stillAway) {
                        // The back-off; the next try finds the server answering again.
                    }
                }
            });
            assertEquals(
                    List.of(List.of(1L, "before the hang"), List.of(2L, "during the hang")),
                    frozen.query("postgres", "SELECT id, name FROM hang_target ORDER BY id"));
            assertEquals(0.0, context.metric("database-unavailable-since-ms"));
        } finally {
            task.stop();
        }
    }

    private static SinkRecord record(long id, String name, long offset) {
        SinkRecord record = new SinkRecord(
                "legacy.public.hang",
                0,
                KEY,
                new Struct(KEY).put("id", id),
                ROW,
                new Struct(ROW).put("id", id).put("name", name),
                offset);
        record.headers().addLong("lineage.source.position", 10 + offset);
        return record;
    }
}
