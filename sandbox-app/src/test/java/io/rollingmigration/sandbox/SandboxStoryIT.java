package io.rollingmigration.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.DoubleAccumulator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's main command plays the whole migration story: the sandbox, with the packaged plugins and the stock
 * Debezium connector, from backfill to a stray legacy write after the EU cutover, while its worker's migration
 * dashboard serves the figures it prints.
 */
class SandboxStoryIT {

    private static final Pattern CONNECT_API = Pattern.compile("Connect REST API at (http://\\S+/)");
    private static final Pattern DASHBOARD = Pattern.compile("migration dashboard at (http://\\S+/migration/)");
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "legacy {0}")
    @ValueSource(strings = {"postgres", "mariadb"})
    void theSandboxPlaysTheWholeStoryAndItsDashboardShowsTheFigures(String legacy) throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        AtomicReference<JsonNode> history = new AtomicReference<>();
        AtomicReference<String> lastLine = new AtomicReference<>();
        AtomicReference<JsonNode> plugins = new AtomicReference<>();
        AtomicReference<URI> dashboard = new AtomicReference<>();
        AtomicReference<JsonNode> dashboardShown = new AtomicReference<>();
        DoubleAccumulator bestBackfill = new DoubleAccumulator(Math::max, 0);
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Sandbox sandbox = Sandbox.of(
                new String[] {
                    "--customers",
                    "300",
                    "--rate",
                    "20",
                    "--reconcile-interval-ms",
                    "2000",
                    "--report-every",
                    "1",
                    "--until-story-told",
                    "--legacy",
                    legacy
                },
                line -> {
                    lines.add(line);
                    Matcher api = CONNECT_API.matcher(line);
                    Matcher board = DASHBOARD.matcher(line);
                    if (board.find()) {
                        dashboard.set(URI.create(board.group(1)));
                    }
                    if (api.find()) {
                        plugins.set(fetch(http, URI.create(api.group(1)).resolve("connector-plugins")));
                    }
                    if (dashboard.get() != null && line.contains("| lag p50")) {
                        // What the dashboard shows right after each console status line it gave.
                        lastLine.set(line);
                        JsonNode status = fetch(http, dashboard.get().resolve("status"));
                        if (status != null) {
                            dashboardShown.set(status);
                            bestBackfill.accumulate(status.path("units")
                                    .path("customer")
                                    .path("backfill")
                                    .path("landed_pct")
                                    .asDouble());
                        }
                        JsonNode charted = fetch(http, dashboard.get().resolve("history"));
                        if (charted != null) {
                            history.set(charted);
                        }
                    }
                });
        Thread runner = new Thread(
                () -> {
                    try {
                        sandbox.run();
                    } catch (Exception e) {
                        lines.add("run failed: " + e);
                    }
                },
                "sandbox");
        runner.start();
        runner.join(TimeUnit.MINUTES.toMillis(6));
        if (runner.isAlive()) {
            sandbox.stop();
            runner.join(TimeUnit.MINUTES.toMillis(2));
        }

        String transcript = String.join("\n", lines);
        assertTrue(sandbox.storyTold(), "the whole story was played:\n" + transcript);
        List<String> story = lines.stream().filter(l -> l.contains("] story: ")).collect(Collectors.toList());
        List<String> chapters = new ArrayList<>(List.of(
                "the backfill starts",
                "100% aligned",
                "adds 1000",
                "FIELD_MISMATCH",
                "reads to SHADOW",
                "shadow reads of EU are 100.00% aligned",
                "the canary of 10% holds",
                "all EU reads now go to the service",
                "asks for write ownership of region EU to move",
                "forgotten legacy job",
                "dead letter queue"));
        // With a PostgreSQL legacy the write-back lane runs: the service's write reaches legacy, EU goes back.
        boolean writesBack = legacy.equals("postgres");
        if (writesBack) {
            chapters.addAll(List.of(
                    "legacy holds the service's change",
                    "the move to LEGACY was decided by",
                    "nothing the service wrote"));
        }
        assertEquals(chapters.size(), story.size(), "one line per chapter:\n" + String.join("\n", story));
        for (int i = 0; i < chapters.size(); i++) {
            assertTrue(
                    story.get(i).contains(chapters.get(i)),
                    "chapter " + (i + 1) + " is '" + chapters.get(i) + "': " + story.get(i));
        }
        assertTrue(transcript.contains("] stopped"), "everything stopped cleanly:\n" + transcript);

        // The worker lists what an operator installed, not Kafka's test connectors from the harness's jars.
        assertNotNull(plugins.get(), "the worker listed its connector plugins:\n" + transcript);
        List<String> listed = new ArrayList<>();
        plugins.get().forEach(plugin -> listed.add(plugin.path("class").asText()));
        assertEquals(
                List.of(
                        "io.debezium.connector.mariadb.MariaDbConnector",
                        "io.debezium.connector.postgresql.PostgresConnector",
                        "io.rollingmigration.connect.reconcile.ReconcileSourceConnector",
                        "io.rollingmigration.connect.sink.TargetStoreSinkConnector",
                        "io.rollingmigration.connect.sink.writeback.LegacyWritebackSinkConnector"),
                listed.stream().sorted().toList(),
                "connector plugins: " + plugins.get());

        // The worker's own dashboard shows the migration, from the plugins' status records, and the console's
        // status lines are its figures.
        assertNotNull(dashboardShown.get(), "the migration dashboard answered:\n" + transcript);
        JsonNode customer = dashboardShown.get().path("units").path("customer");
        assertEquals(100.0, bestBackfill.get(), 1.0, "the dashboard showed the backfill complete: " + customer);
        JsonNode order = customer.path("event_order");
        assertTrue(order.path("applied_total").asLong() >= 300, "changes applied: " + order);
        Matcher printed =
                Pattern.compile("applied (\\d+) skipped (\\d+) failed (\\d+)").matcher(lastLine.get());
        assertTrue(printed.find(), lastLine.get());
        assertTrue(
                Long.parseLong(printed.group(1)) <= order.path("applied_total").asLong()
                        && Long.parseLong(printed.group(1)) >= 300,
                "the console's applied count is the dashboard's, a moment earlier: " + lastLine.get() + " / " + order);
        assertEquals(
                customer.path("dead_letter_queue").path("total").asLong(),
                Long.parseLong(printed.group(3)),
                "the console's failed count is the dashboard's DLQ total: " + lastLine.get());
        JsonNode lag = customer.path("replication_lag_ms");
        assertTrue(lag.path("p99").asLong() >= lag.path("p50").asLong(), "lag: " + lag);
        assertTrue(
                customer.path("reconciliation").path("last_run_alignment_pct").isNumber(),
                "the last run's alignment: " + customer.path("reconciliation"));
        JsonNode series = history.get().path("units").path("customer");
        assertTrue(series.path("at_ms").size() >= 5, "the charts have points: " + series);
        assertTrue(
                StreamSupport.stream(series.path("backfill_pct").spliterator(), false)
                        .anyMatch(point -> point.asDouble() >= 99.0),
                "the backfill charted: " + series);
        List<String> kinds = new ArrayList<>();
        customer.path("sources").forEach(task -> kinds.add(task.path("kind").asText()));
        assertTrue(kinds.contains("SINK") && kinds.contains("RECONCILER"), "tasks reporting: " + customer);
        assertEquals(
                writesBack ? "LEGACY" : "TARGET",
                customer.path("ownership")
                        .path("partitions")
                        .path("EU")
                        .path("owner")
                        .asText(),
                "EU's owner on the dashboard: " + customer.path("ownership"));
        assertTrue(
                customer.path("dead_letter_queue")
                                .path("by_reason")
                                .path("LEGACY_WRITE_AFTER_CUTOVER")
                                .asLong()
                        >= 1,
                "the stray write on the dashboard: " + customer.path("dead_letter_queue"));
        assertEquals(
                "TARGET",
                customer.path("read_routing")
                        .path("plan")
                        .path("EU")
                        .path("mode")
                        .asText(),
                "EU's reads on the dashboard: " + customer.path("read_routing"));
        JsonNode reads = customer.path("read_routing").path("figures");
        assertTrue(reads.path("partitions").has("EU"), "the read-shift figures on the dashboard: " + reads);
        assertTrue(
                reads.path("consumers").path("support-desk").path("service_pct").asDouble() > 0,
                "the EU-only consumer's reads reached the service: " + reads);
        assertTrue(reads.path("consumers_on_legacy").size() >= 1, "US readers are still on legacy: " + reads);
    }

    private static JsonNode fetch(HttpClient http, URI uri) {
        try {
            HttpResponse<byte[]> response = http.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (Exception e) {
            return null;
        }
    }
}
