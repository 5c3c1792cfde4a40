package io.rollingmigration.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.testsupport.Await;
import io.rollingmigration.testsupport.MariaDbFixture;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.SkeletonPipeline;
import io.rollingmigration.testsupport.TopicOffsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A MariaDB legacy database end to end: Debezium's MariaDB connector streams its binary log, our transform stamps
 * lineage with the binlog position, and our sink writes PostgreSQL, version-guarded by that position, so that a
 * full replay of the change topic leaves every row as the legacy database has it.
 */
class MariaDbLegacyIT {

    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final String SHOP = "shop";
    private static final String TOPIC = "shop.shop.customer";
    private static final String DLQ = "shop.dlq.customer";

    @RegisterExtension
    static final InstalledCluster connect = InstalledCluster.standard();

    private static MariaDbFixture legacy;
    private static PostgresFixture target;
    private static SkeletonPipeline pipeline;

    @BeforeAll
    static void startEverything() {
        legacy = MariaDbFixture.startOwned();
        legacy.createDatabase(SHOP);
        legacy.execute(
                SHOP,
                "CREATE TABLE customer (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL, "
                        + "region VARCHAR(10) NOT NULL, balance DECIMAL(12,2) NOT NULL, "
                        + "updated_at DATETIME(3) NOT NULL) CHARACTER SET utf8mb4",
                "INSERT INTO customer SELECT seq, CONCAT('Customer ', seq), IF(seq % 2 = 0, 'EU', 'US'), "
                        + "seq * 1.25, TIMESTAMP '2026-12-01 10:00:00' + INTERVAL seq SECOND FROM seq_1_to_40");
        target = PostgresFixture.shared();
        target.execute(
                PostgresFixture.TARGET,
                "DROP TABLE IF EXISTS public.shop_customer",
                "CREATE TABLE public.shop_customer (id bigint PRIMARY KEY, name text, region text, "
                        + "balance numeric(12,2), updated_at timestamp(3), lineage_source_system text, "
                        + "lineage_source_table text, lineage_source_key text, lineage_source_position bigint, "
                        + "lineage_source_committed_at timestamptz, lineage_operation text, lineage_snapshot text, "
                        + "lineage_rule text, lineage_translated_at timestamptz, lineage_applied_at timestamptz, "
                        + "lineage_deleted_at timestamptz)");
        pipeline = connect.pipelineFor(target);
        connect.createTopic(DLQ, 1, Map.of());
    }

    @AfterAll
    static void stopLegacy() {
        if (legacy != null) {
            legacy.close();
        }
    }

    @Test
    void binlogChangesLandInPostgresAndAReplayOfTheWholeTopicChangesNothing() {
        connect.rest().putConnector("shop-customer-cdc", source());
        connect.rest().awaitRunning("shop-customer-cdc", 1, PATIENCE);
        connect.rest().putConnector("shop-customer-sink", sink());
        connect.rest().awaitRunning("shop-customer-sink", 1, PATIENCE);
        awaitTargetMatchesLegacy("the snapshot");

        legacy.execute(
                SHOP,
                "UPDATE customer SET balance = balance + 100, updated_at = updated_at + INTERVAL 1 DAY "
                        + "WHERE id IN (1, 2, 3)",
                "DELETE FROM customer WHERE id IN (4, 5)",
                "INSERT INTO customer VALUES (41, 'Customer 41', 'EU', 7.50, TIMESTAMP '2026-12-02 09:00:00.123')");
        // Two changes of one row in one transaction: the later statement's event sits later in the binlog.
        legacy.execute(
                SHOP,
                "BEGIN",
                "UPDATE customer SET name = 'first write' WHERE id = 6",
                "UPDATE customer SET name = 'second write' WHERE id = 6",
                "COMMIT");
        awaitTargetMatchesLegacy("live changes");

        List<Object> lineage = target.query(
                        PostgresFixture.TARGET,
                        "SELECT lineage_source_table, lineage_source_position, lineage_operation "
                                + "FROM public.shop_customer WHERE id = 6")
                .get(0);
        assertEquals("shop.customer", lineage.get(0), "lineage names the legacy table: " + lineage);
        long position = ((Number) lineage.get(1)).longValue();
        String binlogFile =
                (String) legacy.query(SHOP, "SHOW MASTER STATUS").get(0).get(0);
        long fileIndex = Long.parseLong(binlogFile.substring(binlogFile.lastIndexOf('.') + 1));
        assertEquals(fileIndex, position >>> 36, "the position carries the binlog file: " + lineage);
        assertTrue((position & ((1L << 36) - 1)) > 0, "and the byte position within it: " + lineage);

        // A second sink reads the whole change topic again, from the snapshot on, into the same table: the version
        // guard keeps every newer row, so nothing moves back.
        List<String> before = targetRows();
        List<List<Object>> writtenBefore = lastWrites();
        connect.rest().deleteConnector("shop-customer-sink");
        Map<String, String> replay = sink();
        connect.rest().putConnector("shop-customer-replay", replay);
        connect.rest().awaitRunning("shop-customer-replay", 1, PATIENCE);
        Await.until(
                PATIENCE,
                "the replaying sink to commit the whole topic",
                () -> committed("shop-customer-replay") >= end(TOPIC));
        assertEquals(before, targetRows(), "the replay changed no row");
        // Not even rewrote one: an equal or older binlog position is not applied at all.
        assertEquals(writtenBefore, lastWrites(), "the replay wrote no row");
        assertEquals(legacyRows(), targetRows());
        assertEquals(0, end(DLQ), "nothing went to the dead letter queue");

        connect.rest().deleteConnector("shop-customer-replay");
        connect.rest().deleteConnector("shop-customer-cdc");
    }

    /** When the sink last wrote each row (delete markers included). */
    private static List<List<Object>> lastWrites() {
        return target.query(
                PostgresFixture.TARGET,
                "SELECT id, lineage_applied_at, lineage_source_position FROM public.shop_customer ORDER BY id");
    }

    private static long end(String topic) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", connect.bootstrapServers()))) {
            return TopicOffsets.end(admin, topic);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the end of " + topic, e);
        }
    }

    private static long committed(String sink) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", connect.bootstrapServers()))) {
            return TopicOffsets.committedBySink(admin, sink);
        } catch (Exception e) {
            return 0;
        }
    }

    private static Map<String, String> source() {
        Map<String, String> source = new HashMap<>();
        source.put("connector.class", "io.debezium.connector.mariadb.MariaDbConnector");
        source.put("tasks.max", "1");
        source.put("database.hostname", legacy.host());
        source.put("database.port", Integer.toString(legacy.port()));
        source.put("database.user", legacy.user());
        source.put("database.password", legacy.password());
        source.put("database.server.id", "5401");
        source.put("topic.prefix", SHOP);
        source.put("database.include.list", SHOP);
        source.put("table.include.list", SHOP + ".customer");
        source.put("schema.history.internal.kafka.bootstrap.servers", connect.bootstrapServers());
        source.put("schema.history.internal.kafka.topic", "shop.schema-history");
        source.put("snapshot.mode", "initial");
        source.put("time.precision.mode", "connect");
        source.put("decimal.handling.mode", "precise");
        source.put("tombstones.on.delete", "false");
        return source;
    }

    private static Map<String, String> sink() {
        Map<String, String> sink = new HashMap<>(pipeline.sink().config());
        sink.putAll(Map.of(
                "topics", TOPIC,
                "target.table", "public.shop_customer",
                "transforms.row.rule", "shop-customer@1",
                "errors.deadletterqueue.topic.name", DLQ,
                "ownership.table", ""));
        return sink;
    }

    private static void awaitTargetMatchesLegacy(String what) {
        Await.until(
                PATIENCE,
                "PostgreSQL to match the MariaDB legacy after " + what,
                () -> legacyRows().equals(targetRows()));
    }

    private static List<String> legacyRows() {
        return legacy
                .query(
                        SHOP,
                        "SELECT id, name, region, balance, DATE_FORMAT(updated_at, '%Y-%m-%d %H:%i:%s.%f') "
                                + "FROM customer ORDER BY id")
                .stream()
                .map(row -> line(row).replaceAll("(\\.\\d{3})\\d{3}$", "$1"))
                .collect(Collectors.toList());
    }

    private static List<String> targetRows() {
        return target
                .query(
                        PostgresFixture.TARGET,
                        "SELECT id, name, region, balance, to_char(updated_at, 'YYYY-MM-DD HH24:MI:SS.MS') "
                                + "FROM public.shop_customer WHERE lineage_deleted_at IS NULL ORDER BY id")
                .stream()
                .map(MariaDbLegacyIT::line)
                .collect(Collectors.toList());
    }

    private static String line(List<Object> row) {
        return row.stream().map(String::valueOf).collect(Collectors.joining("|"));
    }
}
