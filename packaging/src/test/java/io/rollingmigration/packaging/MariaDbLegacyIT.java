package io.rollingmigration.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollingmigration.testsupport.Await;
import io.rollingmigration.testsupport.MariaDbFixture;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.SkeletonPipeline;
import io.rollingmigration.testsupport.TopicOffsets;
import io.rollingmigration.testsupport.TopicReader.TopicRecord;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A MariaDB legacy database end to end: Debezium's MariaDB connector streams its binary log, our transform stamps
 * lineage with the binlog position, and our sink writes PostgreSQL, version-guarded by that position, so that a
 * full replay of the change topic leaves every row as the legacy database has it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MariaDbLegacyIT {

    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final String SHOP = "shop";
    private static final String TOPIC = "shop.shop.customer";
    private static final String DLQ = "shop.dlq.customer";

    private static final String SINK = "shop-customer-replay";
    private static final String DRIFT = "shop.drift";
    private static final String SUMMARY = "shop.drift.summary";

    // Two workers, so that one can be killed; its tasks move at once.
    @RegisterExtension
    static final InstalledCluster connect = InstalledCluster.adjusted(
            builder -> builder.workers(2).workerProperty("scheduled.rebalance.max.delay.ms", "0"));

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
    @Order(1)
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
        connect.rest().putConnector(SINK, replay);
        connect.rest().awaitRunning(SINK, 1, PATIENCE);
        Await.until(PATIENCE, "the replaying sink to commit the whole topic", () -> committed(SINK) >= end(TOPIC));
        assertEquals(before, targetRows(), "the replay changed no row");
        // Not even rewrote one: an equal or older binlog position is not applied at all.
        assertEquals(writtenBefore, lastWrites(), "the replay wrote no row");
        assertEquals(legacyRows(), targetRows());
        assertEquals(0, end(DLQ), "nothing went to the dead letter queue");
    }

    @Test
    @Order(2)
    void theReconcilerComparesTheMariaDbLegacyWithThePostgresTargetAndFindsOnlyRealDrift() {
        Map<String, String> reconcile = new HashMap<>(legacy.connectionSettings("legacy.", SHOP));
        reconcile.putAll(target.connectionSettings("target.", PostgresFixture.TARGET));
        reconcile.put("connector.class", "io.rollingmigration.connect.reconcile.ReconcileSourceConnector");
        reconcile.put("tasks.max", "1");
        reconcile.put("legacy.table", "customer");
        reconcile.put("legacy.change.column", "updated_at");
        reconcile.put("target.table", "public.shop_customer");
        reconcile.put("aggregate", "customer");
        reconcile.put("drift.topic", DRIFT);
        reconcile.put("summary.topic", SUMMARY);
        reconcile.put("drift.state.bootstrap.servers", connect.bootstrapServers());
        reconcile.put("interval.ms", "1000");
        reconcile.put("recheck.delay.ms", "500");
        connect.rest().putConnector("shop-customer-reconcile", reconcile);
        connect.rest().awaitRunning("shop-customer-reconcile", 1, PATIENCE);
        long rows = legacyRows().size();
        JsonNode clean = DriftSummaries.await(
                connect.topics(), SUMMARY, PATIENCE, s -> s.path("compared").asLong() == rows, "a sweep of all rows");
        assertEquals(0, DriftSummaries.differences(clean), "differences in " + clean);
        assertEquals(rows, clean.path("matched").asLong(), clean.toString());

        // The legacy application stamps its changes to the millisecond; the binlog times their commits to the
        // second. A target row holding that change is not "behind" it for the in-flight gate.
        legacy.execute(SHOP, "UPDATE customer SET balance = balance + 1, updated_at = NOW(3) WHERE id = 7");
        awaitTargetMatchesLegacy("a change stamped to the millisecond");
        // A row changed behind the pipeline's back in the target is reported, and only that one.
        target.execute(PostgresFixture.TARGET, "UPDATE public.shop_customer SET balance = 0.01 WHERE id = 7");
        List<TopicRecord> drift =
                connect.topics().await(DRIFT, PATIENCE, "drift for customer 7", records -> !records.isEmpty());
        assertEquals(
                List.of("{\"id\":7}"),
                drift.stream()
                        .map(r -> r.value().path("legacy_key").asText())
                        .distinct()
                        .toList());
        JsonNode mismatch = drift.get(0).value();
        assertEquals("FIELD_MISMATCH", mismatch.path("kind").asText(), mismatch.toString());
        assertEquals("balance", mismatch.path("fields").get(0).path("name").asText(), mismatch.toString());
        connect.rest().deleteConnector("shop-customer-reconcile");
        // Repaired as the legacy row has it, for the next test.
        target.execute(PostgresFixture.TARGET, "UPDATE public.shop_customer SET balance = 9.75 WHERE id = 7");
    }

    @Test
    @Order(3)
    void aWorkerKilledWhileTheLegacyWritesLosesNothing() throws Exception {
        String rest =
                address(connect.rest().base().getHost(), connect.rest().base().getPort());
        Set<String> busy = new HashSet<>();
        for (String name : List.of(SINK, "shop-customer-cdc")) {
            connect.rest()
                    .status(name)
                    .path("tasks")
                    .forEach(t -> busy.add(t.path("worker_id").asText()));
        }
        // The worker other than the one this test talks REST to, which runs the sink or the source task if either.
        WorkerHandle victim = connect.cluster().workers().stream()
                .filter(w -> !rest.equals(address(w.url().getHost(), w.url().getPort())))
                .sorted(Comparator.comparing(
                        w -> busy.contains(address(w.url().getHost(), w.url().getPort())) ? 0 : 1))
                .findFirst()
                .orElseThrow();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong written = new AtomicLong();
        Thread application = new Thread(
                () -> {
                    long n = 0;
                    while (writing.get()) {
                        n++;
                        legacy.execute(
                                SHOP,
                                "UPDATE customer SET balance = balance + 1, updated_at = updated_at + INTERVAL 1 "
                                        + "SECOND WHERE id = " + (10 + n % 20),
                                "INSERT INTO customer VALUES (" + (1000 + n) + ", 'New " + n + "', 'US', " + n
                                        + ", TIMESTAMP '2026-12-03 08:00:00')");
                        written.set(n);
                    }
                },
                "legacy-application");
        application.start();
        Await.until(PATIENCE, "the legacy application to write", () -> written.get() >= 50);
        connect.cluster().removeWorker(victim);
        long atKill = written.get();
        Await.until(PATIENCE, "more legacy writes after the kill", () -> written.get() >= atKill + 100);
        connect.cluster().addWorker();
        writing.set(false);
        application.join();
        awaitTargetMatchesLegacy("a worker killed mid-stream");
        assertEquals(0, end(DLQ), "nothing went to the dead letter queue");
    }

    @Test
    @Order(4)
    void withTheGtidOrderVersionsAreTheTransactionsGtidsAndAReplayChangesNothing() {
        String table = "public.shop_customer_gtid";
        target.execute(
                PostgresFixture.TARGET,
                "DROP TABLE IF EXISTS " + table,
                "CREATE TABLE " + table + " (LIKE public.shop_customer INCLUDING ALL)");
        Map<String, String> source = source();
        source.putAll(Map.of(
                "topic.prefix", "shopgtid",
                "database.server.id", "5402",
                "schema.history.internal.kafka.topic", "shopgtid.schema-history",
                "provide.transaction.metadata", "true"));
        connect.rest().putConnector("shop-gtid-cdc", source);
        connect.rest().awaitRunning("shop-gtid-cdc", 1, PATIENCE);
        Map<String, String> sink = gtidSink(table);
        connect.rest().putConnector("shop-gtid-sink", sink);
        connect.rest().awaitRunning("shop-gtid-sink", 1, PATIENCE);
        Await.until(
                PATIENCE,
                "the GTID-ordered target to hold the snapshot",
                () -> legacyRows().equals(targetRows(table)));
        long snapshotPosition = position(table, 1);

        legacy.execute(
                SHOP,
                "BEGIN",
                "UPDATE customer SET name = 'gtid first' WHERE id = 8",
                "UPDATE customer SET name = 'gtid second' WHERE id = 8",
                "COMMIT");
        String gtid =
                (String) legacy.query(SHOP, "SELECT @@gtid_binlog_pos").get(0).get(0);
        long sequence = Long.parseLong(gtid.substring(gtid.lastIndexOf('-') + 1));
        legacy.execute(SHOP, "DELETE FROM customer WHERE id = 9");
        Await.until(
                PATIENCE,
                "the GTID-ordered target to match the legacy",
                () -> legacyRows().equals(targetRows(table)));

        long position = position(table, 8);
        assertEquals(sequence, position >>> 20, "the version is the transaction's GTID sequence (" + gtid + ")");
        assertEquals(2, position & ((1 << 20) - 1), "and the second change of that transaction");
        assertTrue(snapshotPosition < position, "a snapshot read is older than a streamed change: " + snapshotPosition);

        List<List<Object>> written = target.query(
                PostgresFixture.TARGET,
                "SELECT id, lineage_applied_at, lineage_source_position FROM " + table + " ORDER BY id");
        connect.rest().deleteConnector("shop-gtid-sink");
        connect.rest().putConnector("shop-gtid-replay", gtidSink(table));
        connect.rest().awaitRunning("shop-gtid-replay", 1, PATIENCE);
        Await.until(
                PATIENCE,
                "the replaying sink to commit the whole topic",
                () -> committed("shop-gtid-replay") >= end("shopgtid.shop.customer"));
        assertEquals(
                written,
                target.query(
                        PostgresFixture.TARGET,
                        "SELECT id, lineage_applied_at, lineage_source_position FROM " + table + " ORDER BY id"),
                "the replay wrote no row");
        assertEquals(0, end(DLQ), "nothing went to the dead letter queue");
        for (String name : List.of("shop-gtid-replay", "shop-gtid-cdc")) {
            connect.rest().deleteConnector(name);
        }
    }

    private static Map<String, String> gtidSink(String table) {
        Map<String, String> sink = sink();
        sink.putAll(Map.of(
                "topics", "shopgtid.shop.customer",
                "target.table", table,
                "transforms.row.position.order", "gtid"));
        return sink;
    }

    private static long position(String table, long id) {
        return ((Number) target.query(
                                PostgresFixture.TARGET,
                                "SELECT lineage_source_position FROM " + table + " WHERE id = " + id)
                        .get(0)
                        .get(0))
                .longValue();
    }

    private static String address(String host, int port) {
        return host + ":" + port;
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
        return targetRows("public.shop_customer");
    }

    private static List<String> targetRows(String table) {
        return target
                .query(
                        PostgresFixture.TARGET,
                        "SELECT id, name, region, balance, to_char(updated_at, 'YYYY-MM-DD HH24:MI:SS.MS') " + "FROM "
                                + table + " WHERE lineage_deleted_at IS NULL ORDER BY id")
                .stream()
                .map(MariaDbLegacyIT::line)
                .collect(Collectors.toList());
    }

    private static String line(List<Object> row) {
        return row.stream().map(String::valueOf).collect(Collectors.joining("|"));
    }
}
