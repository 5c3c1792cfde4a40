package io.rollingmigration.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollingmigration.connect.common.normalize.ValueNormalizer;
import io.rollingmigration.connect.common.spec.AggregateTranslator;
import io.rollingmigration.connect.common.spec.SpecCompiler;
import io.rollingmigration.testsupport.Await;
import io.rollingmigration.testsupport.ConfigExample;
import io.rollingmigration.testsupport.DatabaseLink;
import io.rollingmigration.testsupport.PluginMetrics;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.SkeletonPipeline;
import io.rollingmigration.testsupport.TopicOffsets;
import io.rollingmigration.testsupport.TopicReader.TopicRecord;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults a migration must survive without losing or doubling anything, on a three-worker cluster running the
 * insurer's policy pipeline (Debezium, the translation SMT with the example spec, our sink into its own PostgreSQL
 * cluster, our reconciler) while a legacy application keeps writing. Each fault ends with the reconciler reporting
 * no open drift and the target holding exactly the translated legacy state, row by row.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceIT {

    private static final Duration PATIENCE = Duration.ofSeconds(180);
    private static final String LEGACY_DB = "faults";
    private static final Path INSURER = Paths.get(System.getProperty(ConfigExample.DIRECTORY_PROPERTY), "insurer");
    private static final String TOPIC = LEGACY_DB + ".public.policy";
    private static final String SINK = "faults-policy-sink";
    private static final String RECONCILE = "faults-policy-reconcile";
    private static final String DLQ = "faults.dlq.policy";
    private static final String SUMMARIES = "faults.drift.summary";
    /** A second sink of the same changes whose retry policy is shorter than the outage it meets. */
    private static final String IMPATIENT = "faults-impatient-sink";

    private static ConfigExample impatient;

    private static PostgresFixture legacy;
    private static PostgresFixture target;
    /** The reconciler's own way to the legacy database, which Debezium and the legacy application do not use. */
    private static DatabaseLink reconcilersLegacy;

    @RegisterExtension
    static final InstalledCluster connect = InstalledCluster.adjusted(
            builder -> builder.workers(3).workerProperty("scheduled.rebalance.max.delay.ms", "0"));

    private static AggregateTranslator policy;
    private Traffic traffic;

    @BeforeAll
    static void startEverything() throws Exception {
        legacy = PostgresFixture.shared();
        legacy.createDatabase(LEGACY_DB);
        legacy.execute(
                LEGACY_DB,
                "DROP TABLE IF EXISTS public.policy",
                "CREATE TABLE public.policy (policy_no text PRIMARY KEY, customer_id bigint NOT NULL, "
                        + "product_code text NOT NULL, status_code char(1) NOT NULL, effective_date date NOT NULL, "
                        + "expiry_date date, region text NOT NULL, vehicle_vin text, updated_at timestamp(6) NOT NULL, "
                        + "cancel_date date)",
                "INSERT INTO public.policy SELECT 'PA-' || lpad(g::text, 5, '0'), g % 50, 'PAUTO', "
                        + "(ARRAY['Q','A','L','C'])[1 + g % 4], date '2025-01-01' + g % 300, NULL, "
                        + "(ARRAY['NORTH','SOUTH'])[1 + g % 2], 'VIN' || g, now() AT TIME ZONE 'UTC' "
                        + "FROM generate_series(1, 500) g");
        // The target service's own PostgreSQL, so that it can be stopped while the legacy database runs on.
        target = PostgresFixture.startOwned();
        String ddl = Files.readString(INSURER.resolve("sql").resolve("policy-service.sql"));
        for (String statement : ddl.replaceAll("--[^\n]*", "").split(";")) {
            if (!statement.isBlank()) {
                target.execute(PostgresFixture.TARGET, statement);
            }
        }
        policy = SpecCompiler.compile(Files.readString(INSURER.resolve("specs").resolve("policy.yaml")), "policy");

        connect.createTopic(TOPIC, 6, Map.of());
        connect.createTopic(DLQ, 1, Map.of());
        connect.createTopic(DLQ + ".impatient", 1, Map.of());
        connect.createTopic("faults.drift", 1, Map.of("cleanup.policy", "compact"));
        SkeletonPipeline pipeline = connect.pipelineFor(legacy);
        Files.writeString(
                connect.secrets().resolve("policy-service.properties"), "password=" + target.password() + "\n");
        Map<String, String> addresses = new LinkedHashMap<>();
        addresses.put(
                "policy-db:5432/policy_service", target.host() + ":" + target.port() + "/" + PostgresFixture.TARGET);
        addresses.put("legacy-db:5432/insurer", legacy.host() + ":" + legacy.port() + "/" + LEGACY_DB);
        addresses.put(
                "/etc/migration/specs",
                INSURER.resolve("specs").toAbsolutePath().toString());
        addresses.put(SkeletonPipeline.EXAMPLE_KAFKA, connect.bootstrapServers());

        Map<String, String> source =
                new HashMap<>(pipeline.debeziumSource(legacy.port()).config());
        source.putAll(Map.of(
                "database.dbname",
                LEGACY_DB,
                "topic.prefix",
                LEGACY_DB,
                "slot.name",
                LEGACY_DB,
                "publication.name",
                LEGACY_DB,
                "table.include.list",
                "public.policy",
                "time.precision.mode",
                "adaptive"));
        // Addresses of the example's own hosts first; then the generic ones (legacy-db, secrets) the pipeline knows.
        ConfigExample sink = pipeline.relocate(ConfigExample.load("insurer/connectors/policy-sink.json")
                        .relocated(addresses))
                .with(Map.of(
                        "topics",
                        TOPIC,
                        "errors.deadletterqueue.topic.name",
                        DLQ,
                        // The retry policy's defaults (10 min); a hang is a failure after 15 s, not the default 60.
                        "connection.socket.timeout.ms",
                        "15000",
                        // The translation's status records, which count what it could not translate.
                        "transforms.translate.status.bootstrap.servers",
                        connect.bootstrapServers(),
                        "transforms.translate.status.interval.ms",
                        "1000"));
        reconcilersLegacy = DatabaseLink.to(legacy.host(), legacy.port());
        Map<String, String> reconcilerAddresses = new LinkedHashMap<>(addresses);
        reconcilerAddresses.put(
                "legacy-db:5432/insurer", reconcilersLegacy.host() + ":" + reconcilersLegacy.port() + "/" + LEGACY_DB);
        ConfigExample reconcile = pipeline.relocate(ConfigExample.load("insurer/connectors/policy-reconcile.json")
                        .relocated(reconcilerAddresses))
                .with(Map.of(
                        "drift.topic",
                        "faults.drift",
                        "summary.topic",
                        SUMMARIES,
                        "mode",
                        "full",
                        "interval.ms",
                        "2000",
                        "recheck.delay.ms",
                        "1000",
                        "rows.per.second",
                        "0",
                        // Back within seconds of the database: the default back-off would reach 80 s waits.
                        "retry.backoff.ms",
                        "1000",
                        "errors.retry.delay.max.ms",
                        "5000",
                        "target.connection.socket.timeout.ms",
                        "15000",
                        "legacy.connection.socket.timeout.ms",
                        "15000"));
        impatient = sink.with(Map.of(
                "name",
                IMPATIENT,
                "target.table",
                "public.policy_copy",
                "errors.deadletterqueue.topic.name",
                DLQ + ".impatient",
                "errors.retry.timeout",
                "15000"));
        connect.rest().putConnector(SINK, sink.config());
        connect.rest().putConnector("faults-cdc", source);
        connect.rest().putConnector(RECONCILE, reconcile.config());
        connect.rest().awaitRunning(SINK, 3, PATIENCE);
        connect.rest().awaitRunning("faults-cdc", 1, PATIENCE);
        connect.rest().awaitRunning(RECONCILE, 2, PATIENCE);
        awaitConverged("the backfill");
    }

    @AfterAll
    static void stopEverything() {
        if (reconcilersLegacy != null) {
            reconcilersLegacy.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @AfterEach
    void stopTraffic() throws InterruptedException {
        if (traffic != null) {
            traffic.stop();
        }
    }

    @Test
    @Order(1)
    void aWorkerKilledMidStreamLosesAndDoublesNothing() throws Exception {
        traffic = Traffic.start();
        traffic.await(200);
        // A worker running sink tasks, other than the one this test talks REST to.
        String rest =
                connect.rest().base().getHost() + ":" + connect.rest().base().getPort();
        List<String> running = new ArrayList<>();
        connect.rest()
                .status(SINK)
                .path("tasks")
                .forEach(t -> running.add(t.path("worker_id").asText()));
        WorkerHandle victim = connect.cluster().workers().stream()
                .filter(w -> !rest.equals(address(w)))
                .sorted(Comparator.comparing(w -> running.contains(address(w)) ? 0 : 1))
                .findFirst()
                .orElseThrow();
        connect.cluster().removeWorker(victim);
        traffic.await(traffic.changes() + 300);
        connect.cluster().addWorker();
        traffic.stop();
        awaitConverged("a worker killed mid-stream");
    }

    @Test
    @Order(2)
    void theTargetDatabaseDownForNinetySecondsHealsWithTheDefaultRetryPolicy() throws Exception {
        traffic = Traffic.start();
        traffic.await(traffic.changes() + 100);
        target.stopServer();
        long down = System.nanoTime();
        traffic.await(traffic.changes() + 200);
        Thread.sleep(Math.max(0, 90_000 - (System.nanoTime() - down) / 1_000_000)); // the outage itself: 90 s
        assertRunning(SINK, "the sink rides out the outage instead of failing");
        assertRunning(RECONCILE, "the reconciler rides out its target's outage too");
        target.startServer();
        traffic.await(traffic.changes() + 100);
        traffic.stop();
        connect.rest().awaitRunning(SINK, 3, PATIENCE);
        awaitConverged("90 s without the target database");
    }

    @Test
    @Order(3)
    void theTargetFrozenForSixtySecondsIsAHangTheTasksReportAndRideOut() throws Exception {
        traffic = Traffic.start();
        traffic.await(traffic.changes() + 100);
        target.freezeServer();
        long frozen = System.nanoTime();
        try {
            traffic.await(traffic.changes() + 200);
            Thread.sleep(Math.max(0, 60_000 - (System.nanoTime() - frozen) / 1_000_000));
            assertRunning(SINK, "a hang is a retried failure, not a failed task");
            assertRunning(RECONCILE, "for the reconciler as for the sink");
        } finally {
            target.thawServer();
        }
        traffic.await(traffic.changes() + 100);
        traffic.stop();
        connect.rest().awaitRunning(SINK, 3, PATIENCE);
        awaitConverged("60 s of a frozen target database");
    }

    @Test
    @Order(4)
    void theReconcilerCutOffFromLegacyAndThenHungByItWaitsVisiblyAndReportsNoFalseDrift() throws Exception {
        long since = System.currentTimeMillis();
        traffic = Traffic.start();
        traffic.await(traffic.changes() + 100);
        reconcilersLegacy.cut();
        long cut = System.nanoTime();
        awaitWaitingForItsDatabase(true, "a refused connection");
        // The legacy application writes on: changes the reconciler cannot see until it is back.
        traffic.await(traffic.changes() + 200);
        traffic.stop();
        Await.until(
                PATIENCE,
                "the target to hold the changes made while the reconciler was cut off",
                () -> translatedLegacy().equals(targetState()));
        Thread.sleep(Math.max(0, 15_000 - (System.nanoTime() - cut) / 1_000_000));
        assertRunning(RECONCILE, "the reconciler rides out a legacy database it cannot reach");
        reconcilersLegacy.restore();
        awaitWaitingForItsDatabase(false, "the legacy database back");

        reconcilersLegacy.hang();
        try {
            // Runs start every 2 s: one meets the hang, and its socket timeout (15 s) turns it into a retry.
            awaitWaitingForItsDatabase(true, "a hung legacy database");
            assertRunning(RECONCILE, "a hang is a retried failure, not a failed task");
        } finally {
            reconcilersLegacy.restore();
        }
        awaitWaitingForItsDatabase(false, "the hang over");
        awaitConverged("the reconciler's legacy side cut off, then hung");
        List<String> falseDrift = connect.topics().readAll("faults.drift").stream()
                .filter(record -> !record.isTombstone())
                .filter(record -> record.value().path("last_detected").asLong() >= since)
                .map(record -> record.value().toString())
                .toList();
        assertEquals(List.of(), falseDrift, "an unreachable legacy database is no evidence of drift");
    }

    /** Waits until the reconciler's plugin metrics say it is (or is no longer) waiting for a database. */
    private static void awaitWaitingForItsDatabase(boolean waiting, String after) {
        Await.until(
                Duration.ofSeconds(60),
                "the reconciler to " + (waiting ? "report" : "stop reporting") + " an unavailable database after "
                        + after,
                () -> (PluginMetrics.sum("database-unavailable-since-ms", PluginMetrics.ofConnector(RECONCILE)) > 0)
                        == waiting);
    }

    @Test
    @Order(5)
    void anOutageLongerThanThePolicyFailsTheTaskLoudlyAndARestartCatchesUp() throws Exception {
        target.execute(
                PostgresFixture.TARGET,
                "DROP TABLE IF EXISTS public.policy_copy",
                "CREATE TABLE public.policy_copy (LIKE public.policy INCLUDING ALL)");
        connect.rest().putConnector(IMPATIENT, impatient.config());
        connect.rest().awaitRunning(IMPATIENT, 3, PATIENCE);
        Await.until(
                PATIENCE,
                "the copy to hold every policy",
                () -> translatedLegacy().equals(targetState("policy_copy")));
        traffic = Traffic.start();
        traffic.await(traffic.changes() + 100);
        target.stopServer();
        long down = System.nanoTime();
        try {
            Await.until(
                    PATIENCE,
                    "the impatient sink to give up",
                    () -> connect.rest().status(IMPATIENT).toString().contains("Giving up after"));
            Thread.sleep(Math.max(0, 20_000 - (System.nanoTime() - down) / 1_000_000));
            assertRunning(SINK, "the sink with the default policy still waits");
        } finally {
            target.startServer();
        }
        traffic.await(traffic.changes() + 100);
        traffic.stop();
        connect.rest().restartFailedTasks(IMPATIENT);
        // The status shows the failed tasks until the restart has gone through.
        Await.until(PATIENCE, "the restarted sink's tasks to run", () -> {
            int running = 0;
            for (JsonNode task : connect.rest().status(IMPATIENT).path("tasks")) {
                running += "RUNNING".equals(task.path("state").asText()) ? 1 : 0;
            }
            return running == 3;
        });
        Await.until(
                PATIENCE,
                "the restarted sink to catch up with nothing lost",
                () -> translatedLegacy().equals(targetState("policy_copy")));
        awaitConverged("an outage longer than one sink's policy");
        connect.rest().deleteConnector(IMPATIENT);
    }

    private static void assertRunning(String connector, String why) {
        JsonNode status = connect.rest().status(connector);
        for (JsonNode task : status.path("tasks")) {
            assertEquals("RUNNING", task.path("state").asText(), why + ": " + status);
        }
    }

    @Test
    @Order(6)
    void replayingTheWholeTopicAfterAnOffsetResetChangesNothing() throws Exception {
        awaitConverged("before the replay");
        List<List<Object>> before = target.query(PostgresFixture.TARGET, "SELECT * FROM policy ORDER BY policy_id");
        connect.rest().stopConnector(SINK);
        Await.until(
                PATIENCE,
                "the sink to stop",
                () -> "STOPPED"
                        .equals(connect.rest()
                                .status(SINK)
                                .path("connector")
                                .path("state")
                                .asText()));
        connect.rest().resetOffsets(SINK);
        connect.rest().resumeConnector(SINK);
        connect.rest().awaitRunning(SINK, 3, PATIENCE);
        long total = connect.topics().readAll(TOPIC).size();
        Await.until(PATIENCE, "the sink to replay all " + total + " changes", () -> consumedBySink() >= total);

        assertEquals(
                before,
                target.query(PostgresFixture.TARGET, "SELECT * FROM policy ORDER BY policy_id"),
                "a full replay leaves every row, lineage included, as it was");
        awaitConverged("a full replay");
    }

    @Test
    @Order(7)
    void aBurstOfMalformedRecordsEndsInTheDeadLetterQueueAndEveryValidRecordLands() throws Exception {
        int before = connect.topics().readAll(DLQ).size();
        traffic = Traffic.start();
        traffic.await(traffic.changes() + 50);
        String schema = connect.topics().readAll(TOPIC).get(0).raw().value() == null
                ? null
                : new String(connect.topics().readAll(TOPIC).get(0).raw().value());
        JsonNode envelope = new ObjectMapper().readTree(schema);
        String key = "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"type\":\"string\",\"optional\":false,"
                + "\"field\":\"policy_no\"}],\"optional\":false},\"payload\":{\"policy_no\":\"PA-BAD\"}}";
        // Bad types: a number where the schema says string; not JSON at all; no key where the sink needs one.
        String badType = envelope.toString().replaceFirst("\"policy_no\":\"PA-[0-9]+\"", "\"policy_no\":12");
        connect.cluster().kafka().produce(TOPIC, key, badType);
        connect.cluster().kafka().produce(TOPIC, key, "{this is not json");
        connect.cluster().kafka().produce(TOPIC, null, envelope.toString());
        // Untranslatable values written by the legacy application: status codes the spec does not know.
        legacy.execute(
                LEGACY_DB,
                "INSERT INTO public.policy VALUES ('PA-Z1', 1, 'PAUTO', 'Z', '2026-01-01', NULL, "
                        + "'NORTH', NULL, now() AT TIME ZONE 'UTC')",
                "INSERT INTO public.policy VALUES ('PA-Z2', 2, 'XAUTO', 'A', '2026-01-01', NULL, 'SOUTH', NULL, "
                        + "now() AT TIME ZONE 'UTC')");
        traffic.await(traffic.changes() + 50);
        traffic.stop();

        List<TopicRecord> dead = connect.topics()
                .await(
                        DLQ,
                        PATIENCE,
                        "five bad records in the dead letter queue",
                        records -> records.size() >= before + 5);
        assertEquals(before + 5, dead.size(), "exactly the bad records");
        for (TopicRecord record : dead.subList(before, dead.size())) {
            // Values stay unread: some of them are not JSON at all.
            String reason = record.headers().getOrDefault("__connect.errors.exception.message", "");
            assertTrue(!reason.isBlank(), "a reason in the headers " + record.headers());
        }
        // What the transforms rejected, counted by their status records: as many records as the dead letter queue
        // got from the transformation stage, the two untranslatable rows under the field each failed at.
        long transformed = dead.subList(before, dead.size()).stream()
                .filter(r -> "TRANSFORMATION".equals(r.headers().get("__connect.errors.stage")))
                .count();
        Map<String, Long> failures = Await.value(
                PATIENCE,
                "the translation's status records to count what the transforms sent to the dead letter queue",
                FaultToleranceIT::translationFailures,
                counted -> counted.values().stream().mapToLong(Long::longValue).sum() == transformed);
        assertEquals(1L, failures.get("aggregates.policy.fields.product"), failures.toString());
        assertEquals(1L, failures.get("aggregates.policy.fields.status"), failures.toString());
        // The legacy rows that cannot be translated are drift until someone fixes them; here they are removed.
        legacy.execute(LEGACY_DB, "DELETE FROM public.policy WHERE policy_no IN ('PA-Z1', 'PA-Z2')");
        awaitConverged("a burst of malformed records");
    }

    @Test
    @Order(8)
    void aColumnAddedToTheLegacyTableWhileStreamingChangesNothingDownstream() throws Exception {
        traffic = Traffic.start();
        traffic.await(traffic.changes() + 50);
        legacy.execute(
                LEGACY_DB,
                "ALTER TABLE public.policy ADD COLUMN agent_code text",
                "UPDATE public.policy SET agent_code = 'AG7', updated_at = now() AT TIME ZONE 'UTC' "
                        + "WHERE policy_no IN ('PA-00001', 'PA-00002')");
        traffic.await(traffic.changes() + 100);
        traffic.stop();
        awaitConverged("a column added while streaming");
        assertEquals(
                0,
                connect.topics().readAll(DLQ).stream()
                        .filter(r -> String.valueOf(r.headers()).contains("agent_code"))
                        .count());
    }

    private static String address(WorkerHandle worker) {
        return worker.url().getHost() + ":" + worker.url().getPort();
    }

    /**
     * Waits until the target holds exactly the translated legacy state, row by row, and a reconciler run that
     * started after that reports no drift in either range, with no drift open.
     */
    private static void awaitConverged(String after) {
        Await.until(
                PATIENCE,
                "the target to equal the translated legacy state after " + after,
                () -> translatedLegacy().equals(targetState()));
        long since = System.currentTimeMillis();
        // The runs seen last, and the reconciler's status, are what a timeout reports.
        Await.value(
                PATIENCE,
                "clean reconciler runs after " + after,
                () -> {
                    Map<String, JsonNode> latest = new TreeMap<>();
                    for (TopicRecord record : connect.topics().readAll(SUMMARIES)) {
                        JsonNode run = record.value();
                        if (DriftSummaries.isCompleted(run)
                                && run.path("started_at").asLong() > since) {
                            latest.put(run.path("range").asText(), run);
                        }
                    }
                    return new ReconcilerRuns(
                            latest, connect.rest().status(RECONCILE).toString());
                },
                ReconcilerRuns::clean);
    }

    /** The latest completed run per key range since a fault, and the reconciler connector's status. */
    private record ReconcilerRuns(Map<String, JsonNode> latestByRange, String status) {

        boolean clean() {
            return latestByRange.size() == 2
                    && latestByRange.values().stream()
                            .allMatch(run -> run.path("open_drift").asLong() == 0
                                    && run.path("missing_in_target").asLong()
                                                    + run.path("unexpected_in_target")
                                                            .asLong()
                                                    + run.path("field_mismatch").asLong()
                                                    + run.path("rule_violation").asLong()
                                            == 0);
        }
    }

    /** The sink's translation failures by reason, summed over the latest status record of each of its tasks. */
    private static Map<String, Long> translationFailures() {
        Map<String, JsonNode> latest = new HashMap<>();
        for (TopicRecord record : connect.topics().readAll("migration-status")) {
            JsonNode key = record.key();
            if (key != null
                    && "TRANSLATION".equals(key.path("kind").asText())
                    && SINK.equals(key.path("connector").asText())
                    && !record.isTombstone()) {
                latest.put(key.toString(), record.value());
            }
        }
        Map<String, Long> failures = new TreeMap<>();
        for (JsonNode report : latest.values()) {
            report.path("figures")
                    .path("failed_by_reason")
                    .fields()
                    .forEachRemaining(
                            e -> failures.merge(e.getKey(), e.getValue().asLong(), Long::sum));
        }
        return failures;
    }

    /** The legacy policies, translated with the spec, by target id: field name to value as text. */
    private static Map<String, Map<String, String>> translatedLegacy() {
        Map<String, Map<String, String>> rows = new TreeMap<>();
        try (Connection connection = legacy.connect(LEGACY_DB);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT * FROM public.policy")) {
            while (rs.next()) {
                Map<String, Object> row = ValueNormalizer.row(rs);
                String id = policy.targetId(row);
                Struct aggregate = policy.translate(id, row, Map.of(), Map.of(), "r");
                Map<String, String> fields = new TreeMap<>();
                for (Field field : policy.valueSchema().fields()) {
                    fields.put(field.name(), text(aggregate.get(field)));
                }
                rows.put(id, fields);
            }
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the legacy policies: " + e.getMessage(), e);
        }
        return rows;
    }

    private static Map<String, Map<String, String>> targetState() {
        return targetState("policy");
    }

    /** The live rows of a target table by policy id, the same fields as text. */
    private static Map<String, Map<String, String>> targetState(String table) {
        Map<String, Map<String, String>> rows = new TreeMap<>();
        try (Connection connection = target.connect(PostgresFixture.TARGET);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT * FROM " + table + " WHERE lineage_deleted_at IS NULL")) {
            while (rs.next()) {
                Map<String, Object> row = ValueNormalizer.row(rs);
                Map<String, String> fields = new TreeMap<>();
                for (Field field : policy.valueSchema().fields()) {
                    fields.put(field.name(), text(row.get(field.name())));
                }
                rows.put((String) row.get("policy_id"), fields);
            }
        } catch (Exception e) {
            // The target database may be on its way back up.
            return Map.of();
        }
        return rows;
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal) {
            return ((BigDecimal) value).stripTrailingZeros().toPlainString();
        }
        if (value instanceof Date) {
            LocalDateTime utc = LocalDateTime.ofInstant(((Date) value).toInstant(), ZoneOffset.UTC);
            return utc.toLocalTime().toNanoOfDay() == 0 ? utc.toLocalDate().toString() : utc.toString();
        }
        if (value instanceof LocalDateTime) {
            LocalDateTime time = (LocalDateTime) value;
            return time.toLocalTime().toNanoOfDay() == 0 ? time.toLocalDate().toString() : time.toString();
        }
        if (value instanceof Instant) {
            return LocalDateTime.ofInstant((Instant) value, ZoneOffset.UTC).toString();
        }
        return value.toString();
    }

    /** Records the sink's consumer group has committed, over all partitions of the topic. */
    private static long consumedBySink() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", connect.bootstrapServers()))) {
            return TopicOffsets.committedBySink(admin, SINK);
        } catch (Exception e) {
            return 0;
        }
    }

    /** The legacy application: inserts, updates and deletes of policies, each stamping updated_at. */
    private static final class Traffic implements Runnable {
        private static final AtomicLong NEXT_ID = new AtomicLong(10_000);
        private final AtomicLong changes = new AtomicLong();
        private final SplittableRandom random = new SplittableRandom();
        private volatile boolean running = true;
        private Thread thread;

        static Traffic start() {
            Traffic traffic = new Traffic();
            traffic.thread = new Thread(traffic, "legacy-application");
            traffic.thread.start();
            return traffic;
        }

        long changes() {
            return changes.get();
        }

        void await(long count) {
            Await.until(PATIENCE, count + " legacy changes", () -> changes.get() >= count);
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        @Override
        public void run() {
            while (running) {
                try (Connection connection = legacy.connect(LEGACY_DB);
                        PreparedStatement update = connection.prepareStatement("UPDATE public.policy SET "
                                + "status_code = (ARRAY['Q','A','L','C'])[1 + floor(random() * 4)::int], "
                                + "vehicle_vin = md5(random()::text), updated_at = now() AT TIME ZONE 'UTC' "
                                + "WHERE policy_no = ?");
                        PreparedStatement insert = connection.prepareStatement("INSERT INTO public.policy (policy_no, "
                                + "customer_id, product_code, status_code, effective_date, region, updated_at) VALUES "
                                + "(?, 7, 'PAUTO', 'Q', date '2026-06-01', 'NORTH', now() AT TIME ZONE 'UTC')");
                        PreparedStatement delete =
                                connection.prepareStatement("DELETE FROM public.policy WHERE " + "policy_no = ?")) {
                    while (running) {
                        int dice = random.nextInt(10);
                        if (dice < 6) {
                            update.setString(1, String.format("PA-%05d", 1 + random.nextInt(500)));
                            update.executeUpdate();
                        } else if (dice < 9) {
                            insert.setString(1, "PA-N" + NEXT_ID.incrementAndGet());
                            insert.executeUpdate();
                        } else {
                            delete.setString(1, "PA-N" + (NEXT_ID.get() - random.nextInt(5)));
                            delete.executeUpdate();
                        }
                        changes.incrementAndGet();
                        Thread.sleep(10);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    // The legacy database stays up in these tests; a failed statement is simply retried.
                }
            }
        }
    }
}
