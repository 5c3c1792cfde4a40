package io.rollingmigration.connect.sink;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.testsupport.MariaDbFixture;
import io.rollingmigration.testsupport.RecordingSinkContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sink's contract on MariaDB, whose upsert differs most from PostgreSQL's. */
class MariaDbSinkTest extends SinkContractTest {

    private static final String DATABASE = "sink_contract";
    private static MariaDbFixture mariadb;

    @BeforeAll
    static void database() {
        mariadb = MariaDbFixture.availableOrSkip();
        mariadb.createDatabase(DATABASE);
    }

    @Override
    Map<String, String> connection() {
        return mariadb.connectionSettings("", DATABASE);
    }

    @Override
    void execute(String... sql) {
        mariadb.execute(DATABASE, sql);
    }

    @Override
    List<List<Object>> query(String sql) {
        return mariadb.query(DATABASE, sql);
    }

    @Override
    String createTable(String table, boolean nameNotNull) {
        return "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, name VARCHAR(200)"
                + (nameNotNull ? " NOT NULL" : "") + ", code VARCHAR(5), balance DECIMAL(12,2), "
                + "lineage_source_system VARCHAR(200), lineage_source_table VARCHAR(200), "
                + "lineage_source_key VARCHAR(500), lineage_source_position BIGINT, "
                + "lineage_source_committed_at DATETIME(3), lineage_operation VARCHAR(20), "
                + "lineage_snapshot VARCHAR(40), lineage_rule VARCHAR(200), lineage_translated_at DATETIME(3), "
                + "lineage_applied_at DATETIME(3), lineage_deleted_at DATETIME(3)) CHARACTER SET utf8mb4";
    }

    @Override
    List<Long> epochMillis(String... columns) {
        List<Long> millis = new ArrayList<>();
        for (String column : columns) {
            // DATETIME holds the UTC wall-clock time the sink wrote.
            millis.add(((Number) single("SELECT TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', " + column
                            + ") DIV 1000 FROM " + TABLE))
                    .longValue());
        }
        return millis;
    }

    @Test
    void refusesTablesWithOtherUniqueIndexesThatOnDuplicateKeyWouldMatch() {
        execute("CREATE UNIQUE INDEX sink_customer_code ON " + TABLE + " (code)");

        ConnectException error =
                assertThrows(ConnectException.class, () -> startTask(new RecordingSinkContext(true), Map.of()));
        assertTrue(error.getMessage().contains("[sink_customer_code]"), error.getMessage());
    }
}
