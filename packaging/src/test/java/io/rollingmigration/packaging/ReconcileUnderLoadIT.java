package io.rollingmigration.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollingmigration.testsupport.Await;
import io.rollingmigration.testsupport.ConfigExample;
import io.rollingmigration.testsupport.ConnectRest;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.SkeletonPipeline;
import io.rollingmigration.testsupport.TopicReader.TopicRecord;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reconciler in a two-worker Connect cluster next to the pipeline it checks: the real Debezium connector, the
 * translation SMT with the example mapping spec and our sink, while a legacy application keeps writing. No false
 * drift under live load, exactly the keys a test corrupts in the target, and a task on a killed worker resumes its
 * run from its offset on the other worker.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReconcileUnderLoadIT {

    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final String CRM = "crm_load";
    private static final Path SPEC =
            Paths.get(System.getProperty(ConfigExample.DIRECTORY_PROPERTY), "connect-smt", "customer-spec.yaml");
    private static final int CUSTOMERS = 2000;
    private static final int LEDGER_ROWS = 60_000;

    private static PostgresFixture postgres;

    @RegisterExtension
    static final InstalledCluster connect = InstalledCluster.adjusted(builder -> builder.workers(2)
            // Tasks of a lost worker move at once instead of after the default five minutes.
            .workerProperty("scheduled.rebalance.max.delay.ms", "0"));

    private static SkeletonPipeline pipeline;

    @BeforeAll
    static void startEverything() throws Exception {
        postgres = PostgresFixture.shared();
        postgres.createDatabase(CRM);
        postgres.execute(
                CRM,
                "DROP TABLE IF EXISTS public.customer",
                LegacyCustomerTable.DDL,
                "INSERT INTO public.customer SELECT g, CASE WHEN g % 5 = 0 THEN 'B' ELSE 'P' END, 'First' || g, "
                        + "'Last' || g, 'Company ' || g, (ARRAY['A','S','C'])[1 + g % 3], g * 100, NULL, "
                        + "'c' || g || '@example.com', g % 2 = 0, (ARRAY['EU','US'])[1 + g % 2], "
                        + "now() AT TIME ZONE 'UTC' FROM generate_series(1, " + CUSTOMERS + ") g");
        postgres.execute(
                PostgresFixture.TARGET,
                "DROP TABLE IF EXISTS public.party_load",
                "CREATE TABLE public.party_load (party_id text PRIMARY KEY, kind text, display_name text, "
                        + "status text, email text, region text, updated_at timestamp(3), lineage_source_system text, "
                        + "lineage_source_table text, lineage_source_key text, lineage_source_position bigint, "
                        + "lineage_source_committed_at timestamptz, lineage_operation text, lineage_snapshot text, "
                        + "lineage_rule text, lineage_translated_at timestamptz, lineage_applied_at timestamptz, "
                        + "lineage_deleted_at timestamptz)",
                "CREATE INDEX party_load_source_key ON public.party_load (lineage_source_key)");
        pipeline = connect.pipelineFor(postgres);
    }

    @Test
    @Order(1)
    void underLiveLoadNoDriftIsReportedThenExactlyTheCorruptedKeysAre() throws Exception {
        Map<String, String> specDir =
                Map.of("/etc/migration/specs", SPEC.getParent().toAbsolutePath().toString());
        Map<String, String> source =
                new HashMap<>(pipeline.debeziumSource(postgres.port()).config());
        source.putAll(Map.of(
                "database.dbname",
                CRM,
                "topic.prefix",
                CRM,
                "slot.name",
                CRM,
                "publication.name",
                CRM,
                "time.precision.mode",
                "adaptive"));
        ConfigExample sink = pipeline.relocate(ConfigExample.load("connect-sink/party-sink.json"))
                .relocated(specDir)
                .named("party-load-sink")
                .with(Map.of(
                        "topics",
                        CRM + ".public.customer",
                        "target.table",
                        "public.party_load",
                        "errors.deadletterqueue.topic.name",
                        "load.dlq",
                        "errors.deadletterqueue.topic.replication.factor",
                        "1"));
        connect.rest().putConnector("crm-load-cdc", source);
        connect.rest().putConnector(sink.name(), sink.config());
        connect.rest().awaitRunning("crm-load-cdc", 1, PATIENCE);
        connect.rest().awaitRunning(sink.name(), 1, PATIENCE);

        Traffic traffic = new Traffic();
        Thread writer = new Thread(traffic, "legacy-application");
        writer.start();
        String drift = "load.drift";
        String summaries = "load.drift.summary";
        Map<String, String> reconcile = new HashMap<>(pipeline.reconcile(2000, connect.bootstrapServers())
                .relocated(specDir)
                .config());
        reconcile.putAll(Map.of(
                "tasks.max",
                "2",
                "legacy.connection.url",
                postgres.jdbcUrl(CRM),
                "target.table",
                "public.party_load",
                "mapping.spec",
                "${dir:" + SPEC.getParent().toAbsolutePath() + ":customer-spec.yaml}",
                "mapping.aggregate",
                "party",
                "lineage.source.table",
                "public.customer",
                "drift.topic",
                drift,
                "summary.topic",
                summaries,
                "recheck.delay.ms",
                "1500"));
        reconcile.put("progress.interval.ms", "1000");
        reconcile.put("aggregate", "party");
        try {
            ConnectRest.Validation validation = connect.rest().validate(reconcile.get("connector.class"), reconcile);
            assertEquals(0, validation.errorCount(), validation.toString());
            connect.rest().putConnector("party-load-reconcile", reconcile);
            connect.rest().awaitRunning("party-load-reconcile", 2, PATIENCE);
            // Three completed runs of each range while the legacy application writes.
            Await.until(
                    PATIENCE,
                    "three runs per range under load",
                    () -> DriftSummaries.completed(connect.topics(), summaries).stream()
                                    .collect(Collectors.groupingBy(
                                            s -> s.path("range").asText(), Collectors.counting()))
                                    .values()
                                    .stream()
                                    .filter(n -> n >= 3)
                                    .count()
                            == 2);
            assertTrue(traffic.changes.get() > 100, "the application kept writing: " + traffic.changes.get());
        } finally {
            traffic.running = false;
            writer.join();
        }
        for (JsonNode run : DriftSummaries.completed(connect.topics(), summaries)) {
            assertEquals(
                    0,
                    DriftSummaries.differences(run),
                    () -> "no drift under live load: " + run + "; drift records: "
                            + connect.topics().readAll(drift).stream()
                                    .map(TopicRecord::value)
                                    .toList()
                            + "; their target rows now: " + targetLineage(drift)
                            + "; dead letter queue: "
                            + connect.topics().readAll("load.dlq").stream()
                                    .map(r -> r.headers().toString())
                                    .toList());
        }
        assertTrue(connect.topics().readAll(drift).isEmpty(), "no drift records under live load");
        long inFlight = DriftSummaries.completed(connect.topics(), summaries).stream()
                .mapToLong(s -> s.path("in_flight").asLong())
                .sum();
        System.out.println("changes written under load: " + traffic.changes.get() + ", differences that were in "
                + "flight: " + inFlight);

        Await.until(PATIENCE, "the pipeline to catch up", () -> liveParties() == legacyCustomers());
        postgres.execute(
                PostgresFixture.TARGET,
                "UPDATE public.party_load SET display_name = 'Mallory' WHERE lineage_source_key = '{\"id\":10}'",
                "DELETE FROM public.party_load WHERE lineage_source_key = '{\"id\":20}'",
                "INSERT INTO public.party_load (party_id, kind, lineage_source_key, lineage_source_table, "
                        + "lineage_source_committed_at, lineage_applied_at) VALUES ('ghost', 'PERSON', "
                        + "'{\"id\":999999}', 'public.customer', now(), now())");
        Map<String, String> expected = new TreeMap<>(Map.of(
                "{\"id\":10}",
                "FIELD_MISMATCH",
                "{\"id\":20}",
                "MISSING_IN_TARGET",
                "{\"id\":999999}",
                "UNEXPECTED_IN_TARGET"));
        Await.until(
                PATIENCE,
                "drift for exactly the corrupted keys",
                () -> openDrift(drift).equals(expected));

        postgres.execute(PostgresFixture.TARGET, "DELETE FROM public.party_load WHERE party_id = 'ghost'");
        Await.until(
                PATIENCE,
                "a tombstone for the removed ghost row",
                () -> !openDrift(drift).containsKey("{\"id\":999999}"));
        assertEquals(2, openDrift(drift).size());
        for (String name : List.of("party-load-reconcile", sink.name(), "crm-load-cdc")) {
            connect.rest().deleteConnector(name);
        }
    }

    @Test
    @Order(2)
    void aTaskOnAKilledWorkerResumesItsRunWhereItsOffsetLeftIt() throws Exception {
        postgres.execute(
                PostgresFixture.LEGACY,
                "DROP TABLE IF EXISTS ledger",
                "CREATE TABLE ledger (id bigint PRIMARY KEY, amount numeric(12,2), memo text)",
                "INSERT INTO ledger SELECT g, g / 100.0, 'entry ' || g FROM generate_series(1, " + LEDGER_ROWS + ") g");
        postgres.execute(
                PostgresFixture.TARGET,
                "DROP TABLE IF EXISTS ledger",
                "CREATE TABLE ledger (id bigint PRIMARY KEY, amount numeric(12,2), memo text, lineage_source_key text, "
                        + "lineage_source_committed_at timestamptz, lineage_applied_at timestamptz, "
                        + "lineage_deleted_at timestamptz)",
                "INSERT INTO ledger SELECT g, g / 100.0, 'entry ' || g, '{\"id\":' || g || '}', now(), now(), NULL "
                        + "FROM generate_series(1, " + LEDGER_ROWS + ") g",
                "CREATE INDEX ledger_source_key ON ledger (lineage_source_key)");
        Map<String, String> reconcile = new HashMap<>(
                pipeline.reconcile(3_600_000, connect.bootstrapServers()).config());
        reconcile.putAll(Map.of(
                "legacy.table",
                "ledger",
                "target.table",
                "ledger",
                "aggregate",
                "ledger",
                "legacy.change.column",
                "",
                "drift.topic",
                "ledger.drift",
                "summary.topic",
                "ledger.summary",
                "rows.per.second",
                "5000",
                "chunk.size",
                "500",
                "progress.interval.ms",
                "300"));
        connect.rest().putConnector("ledger-reconcile", reconcile);
        connect.rest().awaitRunning("ledger-reconcile", 1, PATIENCE);

        JsonNode before = Await.value(
                PATIENCE,
                "a third of the run done",
                () -> connect.topics().readAll("ledger.summary").stream()
                        .map(TopicRecord::value)
                        .filter(s -> s.path("compared").asLong() >= LEDGER_ROWS / 3)
                        .findFirst()
                        .orElse(null),
                found -> found != null);
        String workerId = connect.rest()
                .status("ledger-reconcile")
                .path("tasks")
                .get(0)
                .path("worker_id")
                .asText();
        WorkerHandle running = connect.cluster().workers().stream()
                .filter(w -> workerId.equals(w.url().getHost() + ":" + w.url().getPort()))
                .findFirst()
                .orElseThrow();
        WorkerHandle survivor = connect.cluster().workers().stream()
                .filter(w -> w != running)
                .findFirst()
                .orElseThrow();
        connect.cluster().removeWorker(running);
        ConnectRest rest = new ConnectRest(survivor.url());
        rest.awaitRunning("ledger-reconcile", 1, PATIENCE);

        JsonNode done = Await.value(
                PATIENCE,
                "the run to complete on the surviving worker",
                () -> DriftSummaries.completed(connect.topics(), "ledger.summary").stream()
                        .findFirst()
                        .orElse(null),
                found -> found != null);
        assertEquals("ledger#1", done.path("run_id").asText());
        assertEquals(
                before.path("started_at").asLong(),
                done.path("started_at").asLong(),
                "the same run went on, it did not start over");
        assertTrue(done.path("legacy_rows").asLong() >= LEDGER_ROWS, done.toString());
        assertTrue(
                done.path("legacy_rows").asLong() < LEDGER_ROWS + LEDGER_ROWS / 3,
                "only the rows after the last committed offset were read again: " + done);
        assertEquals(
                LEDGER_ROWS,
                done.path("matched").asLong() - (done.path("legacy_rows").asLong() - LEDGER_ROWS),
                "rows read again were matched again");
        assertEquals(0, DriftSummaries.differences(done));
    }

    /** The live drift table: the latest record per key, tombstones removing keys; legacy key to kind. */
    private static Map<String, String> openDrift(String topic) {
        Map<String, JsonNode> latest = new HashMap<>();
        for (TopicRecord record : connect.topics().readAll(topic)) {
            String key = record.key().path("target_key").asText();
            if (record.isTombstone()) {
                latest.remove(key);
            } else {
                latest.put(key, record.value());
            }
        }
        Map<String, String> open = new TreeMap<>();
        latest.values()
                .forEach(v ->
                        open.put(v.path("legacy_key").asText(), v.path("kind").asText()));
        return open;
    }

    /** The lineage the target rows of the drift records' keys hold, to tell a change in flight from a lost one. */
    private static List<List<Object>> targetLineage(String driftTopic) {
        List<List<Object>> rows = new java.util.ArrayList<>();
        for (TopicRecord record : connect.topics().readAll(driftTopic)) {
            if (!record.isTombstone()) {
                rows.addAll(postgres.query(
                        PostgresFixture.TARGET,
                        "SELECT lineage_source_key, lineage_operation, lineage_source_position, "
                                + "lineage_source_committed_at, lineage_applied_at, lineage_deleted_at, now() "
                                + "FROM public.party_load WHERE lineage_source_key = '"
                                + record.value().path("legacy_key").asText().replace("'", "''") + "'"));
            }
        }
        return rows;
    }

    private static long liveParties() {
        return ((Number) postgres.query(
                                PostgresFixture.TARGET,
                                "SELECT count(*) FROM public.party_load WHERE " + "lineage_deleted_at IS NULL")
                        .get(0)
                        .get(0))
                .longValue();
    }

    private static long legacyCustomers() {
        return ((Number) postgres.query(CRM, "SELECT count(*) FROM public.customer")
                        .get(0)
                        .get(0))
                .longValue();
    }

    /** The legacy application: updates, inserts and deletes, each stamping updated_at, about 40 a second. */
    private static final class Traffic implements Runnable {
        final AtomicLong changes = new AtomicLong();
        volatile boolean running = true;
        private final SplittableRandom random = new SplittableRandom(7);

        @Override
        public void run() {
            long nextId = CUSTOMERS + 1;
            try (Connection connection = postgres.connect(CRM);
                    PreparedStatement update = connection.prepareStatement("UPDATE public.customer SET "
                            + "balance_cents = balance_cents + 1, status = (ARRAY['A','S','C'])[1 + (balance_cents % 3)::int], "
                            + "updated_at = now() AT TIME ZONE 'UTC' WHERE id = ?");
                    PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO public.customer VALUES (?, 'P', "
                                    + "'New', 'Customer', NULL, 'A', 0, NULL, NULL, false, 'EU', now() AT TIME ZONE 'UTC')");
                    PreparedStatement delete =
                            connection.prepareStatement("DELETE FROM public.customer WHERE id = ?")) {
                while (running) {
                    int dice = random.nextInt(10);
                    if (dice < 7) {
                        update.setLong(1, 21 + random.nextInt(CUSTOMERS - 20));
                        update.executeUpdate();
                    } else if (dice < 9) {
                        insert.setLong(1, nextId++);
                        insert.executeUpdate();
                    } else {
                        delete.setLong(1, 1000 + random.nextInt(CUSTOMERS - 1000));
                        delete.executeUpdate();
                    }
                    changes.incrementAndGet();
                    Thread.sleep(25);
                }
            } catch (Exception e) {
                throw new IllegalStateException("the legacy application failed: " + e.getMessage(), e);
            }
        }
    }
}
