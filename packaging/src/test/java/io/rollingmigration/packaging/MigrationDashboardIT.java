package io.rollingmigration.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollingmigration.testsupport.Await;
import io.rollingmigration.testsupport.ChromiumFixture;
import io.rollingmigration.testsupport.ConfigExample;
import io.rollingmigration.testsupport.CustomerScenario;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.SkeletonPipeline;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The migration dashboard as an operator runs it: the extension unpacked onto the plugin.path of three workers and
 * named in their {@code rest.extension.classes}, the plugins' tasks spread over the workers publishing their status,
 * and each worker serving the whole cluster's migration, taking ownership moves with their audit trail, and going on
 * when a worker goes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrationDashboardIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static PostgresFixture postgres;
    private static CustomerScenario scenario;
    private static SkeletonPipeline pipeline;
    private static ConfigExample sink;
    private static ConfigExample reconcile;

    @RegisterExtension
    static final InstalledCluster connect = InstalledCluster.adjusted(builder -> {
        PostgresFixture db = PostgresFixture.shared();
        builder.workers(3)
                .workerProperty("rest.extension.classes", "io.rollingmigration.connect.dashboard.MigrationDashboard")
                // A worker that goes is replaced within seconds, not Connect's default five minutes.
                .workerProperty("scheduled.rebalance.max.delay.ms", "5000")
                .workerProperty("migration.dashboard.stores", "target")
                .workerProperty("migration.dashboard.store.target.units", "customer")
                .workerProperty("migration.dashboard.store.target.connection.url", db.jdbcUrl(PostgresFixture.TARGET))
                .workerProperty("migration.dashboard.store.target.connection.user", db.user())
                .workerProperty("migration.dashboard.store.target.ownership.table", "public.migration_ownership")
                .workerProperty("migration.dashboard.history.sample.ms", "1000");
        if (db.password() != null) {
            builder.workerProperty("migration.dashboard.store.target.connection.password", db.password());
        }
        return builder;
    });

    @BeforeAll
    static void startThePipeline() {
        postgres = PostgresFixture.shared();
        scenario = new CustomerScenario(postgres);
        scenario.createSchemas();
        forgetOwnership();
        pipeline = connect.pipelineFor(postgres);
        scenario.insertLegacyCustomers(1, 40);
        ConfigExample source = pipeline.debeziumSource(postgres.port());
        sink = pipeline.sink(connect.bootstrapServers())
                .with(Map.of("tasks.max", "3", "status.interval.ms", "1000", "ownership.refresh.ms", "1000"));
        reconcile = pipeline.reconcile(2000, connect.bootstrapServers())
                .with(Map.of("tasks.max", "2", "status.interval.ms", "1000"));
        connect.rest().putConnector(source.name(), source.config());
        connect.rest().putConnector(sink.name(), sink.config());
        connect.rest().putConnector(reconcile.name(), reconcile.config());
        connect.rest().awaitRunning(source.name(), 1, PATIENCE);
        connect.rest().awaitRunning(sink.name(), 3, PATIENCE);
        connect.rest().awaitRunning(reconcile.name(), 2, PATIENCE);
        Await.until(PATIENCE, "the snapshot in the target", () -> scenario.targetCount() == 40);
    }

    @Test
    @Order(1)
    void everyWorkerServesTheStatusOfTasksOnAllWorkers() {
        for (WorkerHandle worker : connect.cluster().workers()) {
            JsonNode customer = awaitStatus(
                    worker,
                    "five fresh tasks and a full reconciliation after the snapshot landed",
                    // A full run that started before the sink wrote counts the rows as in flight, none landed.
                    unit -> fresh(unit).size() == 5
                            && unit.path("reconciliation")
                                            .path("last_full_alignment_pct")
                                            .asDouble()
                                    == 100.0
                            && unit.path("backfill").path("rows_landed").asLong() == 40
                            && unit.path("event_order").path("applied_total").asLong() >= 40);
            Set<String> workers = new HashSet<>();
            customer.path("sources")
                    .forEach(task -> workers.add(task.path("worker_id").asText()));
            assertEquals(3, workers.size(), "our five tasks run on all three workers: " + customer.path("sources"));
            assertEquals(
                    0,
                    customer.path("drift").path("open").asLong(),
                    customer.path("drift").toString());
            assertEquals(40, customer.path("backfill").path("rows_expected").asLong(), customer.toString());
            assertEquals(100.0, customer.path("backfill").path("landed_pct").asDouble(), customer.toString());
            assertTrue(customer.path("replication_lag_ms").has("p99"), customer.toString());
            assertTrue(customer.path("read_routing").path("figures").has("no_data"), "no read-shift feed here");
            assertEquals(
                    "LEGACY",
                    customer.path("ownership")
                            .path("partitions")
                            .path("*")
                            .path("owner")
                            .asText());
        }
    }

    @Test
    @Order(2)
    void aMalformedChangeIsRefusedWithTheFieldAtFaultAndChangesNothing() throws Exception {
        WorkerHandle worker = connect.cluster().workers().iterator().next();
        assertRefused(
                worker, "/migration/ownership/invoice/EU", "{\"owner\":\"TARGET\",\"reason\":\"r\"}", 400, "unit");
        assertRefused(
                worker, "/migration/ownership/customer/EU", "{\"owner\":\"BOTH\",\"reason\":\"r\"}", 400, "owner");
        assertRefused(worker, "/migration/ownership/customer/EU", "{\"owner\":\"TARGET\"}", 400, "reason");
        assertRefused(worker, "/migration/ownership/customer/EU", "owner=TARGET", 400, "body");
        assertRefused(
                worker,
                "/migration/read-routing/customer/EU",
                "{\"mode\":\"CANARY\",\"reason\":\"try 10%\"}",
                400,
                "canary_percent");
        JsonNode audit = get(worker, "/migration/audit/customer");
        assertEquals(0, audit.path("entries").size(), "nothing recorded: " + audit);
        assertEquals(
                0L,
                ((Number) postgres.query(PostgresFixture.TARGET, "SELECT count(*) FROM public.migration_ownership")
                                .get(0)
                                .get(0))
                        .longValue(),
                "nothing moved");
    }

    @Test
    @Order(3)
    void ownershipMovedThroughTheDashboardTakesEffectInTheSinkAndIsAudited() throws Exception {
        List<WorkerHandle> workers = new ArrayList<>(connect.cluster().workers());
        HttpResponse<String> moved = put(
                workers.get(0),
                "/migration/ownership/customer/EU",
                "{\"owner\":\"TARGET\",\"reason\":\"EU cutover, ticket MIG-42\"}");
        assertEquals(202, moved.statusCode(), moved.body());
        JsonNode answer = JSON.readTree(moved.body());
        assertEquals("ACCEPTED", answer.path("outcome").asText());
        long moveId = answer.path("move_id").asLong();

        // The forward lane carries the move out within its refresh, and any worker shows it.
        JsonNode customer = awaitStatus(
                workers.get(1),
                "EU owned by TARGET",
                unit -> "TARGET"
                        .equals(unit.path("ownership")
                                .path("partitions")
                                .path("EU")
                                .path("owner")
                                .asText()));
        JsonNode move = customer.path("ownership").path("moves").get(0);
        assertEquals(moveId, move.path("move_id").asLong());
        assertEquals("DONE", move.path("status").asText());

        // A legacy write in EU (even ids) is no longer applied: the sink reports it.
        postgres.execute(PostgresFixture.LEGACY, "UPDATE public.customer SET name = 'stray' WHERE id = 4");
        awaitStatus(
                workers.get(2),
                "the stray write in the dead letter queue",
                unit -> unit.path("dead_letter_queue")
                                .path("by_reason")
                                .path("LEGACY_WRITE_AFTER_CUTOVER")
                                .asLong()
                        == 1);
        assertFalse(
                "stray"
                        .equals(postgres.query(PostgresFixture.TARGET, "SELECT name FROM public.customer WHERE id = 4")
                                .get(0)
                                .get(0)),
                "the stray legacy write did not reach the target");

        // Back to legacy needs a write-back lane, which this cluster does not run: refused, then forced.
        HttpResponse<String> back = put(
                workers.get(0), "/migration/ownership/customer/EU", "{\"owner\":\"LEGACY\",\"reason\":\"rollback\"}");
        assertEquals(409, back.statusCode(), back.body());
        assertTrue(back.body().contains("write-back lane"), back.body());
        HttpResponse<String> forced = put(
                workers.get(0),
                "/migration/ownership/customer/EU",
                "{\"owner\":\"LEGACY\",\"reason\":\"rollback drill\",\"force\":true}");
        assertEquals(202, forced.statusCode(), forced.body());
        assertEquals("FORCED", JSON.readTree(forced.body()).path("outcome").asText());

        JsonNode audit = get(workers.get(2), "/migration/audit/customer").path("entries");
        assertEquals(3, audit.size(), audit.toString());
        assertEquals(List.of("FORCED", "REFUSED", "ACCEPTED"), outcomes(audit));
        JsonNode first = audit.get(2);
        assertEquals("anonymous", first.path("principal").asText());
        assertEquals("EU cutover, ticket MIG-42", first.path("reason").asText());
        assertEquals(moveId, first.path("move_id").asLong());
        assertTrue(audit.get(1).path("guard_rails").asText().contains("write-back lane"), audit.toString());
    }

    @Test
    @Order(4)
    void thePageDrawsTheFiguresAndChartsWithoutAssetsFromElsewhere() throws Exception {
        WorkerHandle worker = connect.cluster().workers().iterator().next();
        URI page = worker.url().resolve("/migration/");
        HttpResponse<String> html =
                HTTP.send(HttpRequest.newBuilder(page).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, html.statusCode());
        assertFalse(html.body().contains("http://") || html.body().contains("https://"), "no external assets");
        ChromiumFixture chromium = ChromiumFixture.availableOrSkip();
        String dom = chromium.renderedDom(page, 4000);
        assertTrue(dom.contains("data-loaded=\"true\""), dom);
        for (String chart : List.of("lag-customer", "drift-customer", "backfill-customer")) {
            assertFalse(dom.contains("id=\"" + chart + "\" data-points=\"0\""), chart + " has points: " + dom);
        }
        Path png = Files.createTempFile("dashboard-", ".png");
        try {
            chromium.screenshot(page, png, 1100, 1100, 4000);
            BufferedImage image = ImageIO.read(png.toFile());
            assertTrue(pixels(image, 0x1f77b4) > 50, "the lag line is on the screenshot");
            assertTrue(pixels(image, 0xd62728) > 50, "the drift line is on the screenshot");
            assertTrue(pixels(image, 0x2ca02c) > 50, "the backfill line is on the screenshot");
        } finally {
            Files.deleteIfExists(png);
        }
    }

    @Test
    @Order(5)
    void aWorkerThatGoesLeavesTheOthersServingItsTasksAgeingVisibly() {
        List<WorkerHandle> workers = new ArrayList<>(connect.cluster().workers());
        JsonNode before = status(workers.get(0)).path("units").path("customer");
        String leaving = workers.get(2).url().getAuthority();
        Set<String> itsTasks = new TreeSet<>();
        before.path("sources").forEach(task -> {
            if (task.path("worker_id").asText().contains(leaving)) {
                itsTasks.add(task.path("connector").asText() + "-"
                        + task.path("task").asInt());
            }
        });
        assertFalse(itsTasks.isEmpty(), "the leaving worker runs some of our tasks: " + before.path("sources"));
        connect.cluster().removeWorker(workers.get(2));

        // Its tasks' figures are marked, with the time they were last published...
        awaitStatus(workers.get(0), "the tasks of the worker gone marked stale", unit -> {
            for (JsonNode task : unit.path("sources")) {
                String name = task.path("connector").asText() + "-"
                        + task.path("task").asInt();
                if (itsTasks.contains(name)
                        && !(task.path("stale").asBoolean()
                                && task.path("published_at_ms").asLong() > 0)) {
                    return false;
                }
            }
            return true;
        });
        // ... until the tasks run again on the workers left, and report fresh figures from there.
        JsonNode after = awaitStatus(
                workers.get(1), "every task fresh again", unit -> fresh(unit).size() == 5);
        after.path("sources")
                .forEach(task -> assertFalse(
                        task.path("worker_id").asText().contains(leaving), "no task on the worker gone: " + task));
    }

    /**
     * The classes after this one share the database: the customer unit goes back to having no ownership rows, no
     * journal and no audit trail, as they expect.
     */
    @AfterAll
    static void forgetOwnership() {
        postgres.execute(
                PostgresFixture.TARGET,
                "DO $$ BEGIN IF to_regclass('public.migration_ownership') IS NOT NULL THEN "
                        + "DELETE FROM public.migration_ownership WHERE migration_unit = 'customer'; END IF; END $$",
                "DROP TABLE IF EXISTS migration_ownership_moves",
                "DROP TABLE IF EXISTS migration_dashboard_audit",
                "DROP TABLE IF EXISTS migration_read_routing");
    }

    private static List<String> outcomes(JsonNode audit) {
        List<String> outcomes = new ArrayList<>();
        audit.forEach(entry -> outcomes.add(entry.path("outcome").asText()));
        return outcomes;
    }

    private static List<JsonNode> fresh(JsonNode unit) {
        List<JsonNode> fresh = new ArrayList<>();
        unit.path("sources").forEach(task -> {
            if (!task.path("stale").asBoolean()) {
                fresh.add(task);
            }
        });
        return fresh;
    }

    private static JsonNode awaitStatus(
            WorkerHandle worker, String what, java.util.function.Predicate<JsonNode> condition) {
        JsonNode[] last = new JsonNode[1];
        Await.until(PATIENCE, what + " on " + worker.url(), () -> {
            last[0] = status(worker).path("units").path("customer");
            return condition.test(last[0]);
        });
        return last[0];
    }

    private static JsonNode status(WorkerHandle worker) {
        try {
            return get(worker, "/migration/status");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode get(WorkerHandle worker, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(worker.url().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> put(WorkerHandle worker, String path, String body)
            throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(worker.url().resolve(path))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(WorkerHandle worker, String path, String body, int status, String field)
            throws Exception {
        HttpResponse<String> response = put(worker, path, body);
        assertEquals(status, response.statusCode(), path + " " + body + ": " + response.body());
        JsonNode error = JSON.readTree(response.body());
        assertEquals(field, error.path("field").asText(), response.body());
        assertFalse(error.path("message").asText().isBlank(), response.body());
    }

    private static int pixels(BufferedImage image, int rgb) {
        int count = 0;
        for (int x = 0; x < image.getWidth(); x++) {
            for (int y = 0; y < image.getHeight(); y++) {
                int p = image.getRGB(x, y) & 0xffffff;
                if (Math.abs(((p >> 16) & 0xff) - ((rgb >> 16) & 0xff)) < 24
                        && Math.abs(((p >> 8) & 0xff) - ((rgb >> 8) & 0xff)) < 24
                        && Math.abs((p & 0xff) - (rgb & 0xff)) < 24) {
                    count++;
                }
            }
        }
        return count;
    }
}
