package io.rollingmigration.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollingmigration.testsupport.Await;
import io.rollingmigration.testsupport.ConfigExample;
import io.rollingmigration.testsupport.ConnectRest;
import io.rollingmigration.testsupport.CustomerScenario;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.SkeletonPipeline;
import io.rollingmigration.testsupport.TopicReader.TopicRecord;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole path, as an operator runs it: the component archives unpacked onto a real worker's plugin.path
 * ({@code plugin.discovery=service_load}), the stock Debezium PostgreSQL connector capturing the legacy database,
 * our transform and sink writing the target database, and our reconciler comparing the two, every connector
 * configured through the REST API from the examples in {@code config-examples/}.
 */
class WalkingSkeletonIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String SINK = "io.rollingmigration.connect.sink.TargetStoreSinkConnector";
    private static final String RECONCILER = "io.rollingmigration.connect.reconcile.ReconcileSourceConnector";
    private static final String DEBEZIUM = "io.debezium.connector.postgresql.PostgresConnector";
    private static final String TRANSFORM = "io.rollingmigration.connect.smt.lineage.ExtractRowWithLineage";

    private static PostgresFixture postgres;
    private static CustomerScenario scenario;

    @RegisterExtension
    static final InstalledCluster connect = InstalledCluster.standard();

    private static SkeletonPipeline pipeline;

    @BeforeAll
    static void startEverything() throws Exception {
        postgres = PostgresFixture.shared();
        scenario = new CustomerScenario(postgres);
        scenario.createSchemas();
        pipeline = connect.pipelineFor(postgres);
    }

    @Test
    void workerLoadsOurPluginsAndDebeziumFromTheirArchives() {
        List<String> connectors = connect.rest().connectorPlugins();
        assertTrue(connectors.contains(SINK), "connectors: " + connectors);
        assertTrue(connectors.contains(RECONCILER), "connectors: " + connectors);
        assertTrue(connectors.contains(DEBEZIUM), "connectors: " + connectors);
        List<String> all = connect.rest().allPlugins();
        assertTrue(all.contains(TRANSFORM), "plugins: " + all);
    }

    @Test
    void validationNamesTheMissingRequiredKey() {
        Map<String, String> sink = new HashMap<>(pipeline.sink().config());
        sink.remove("connection.url");
        ConnectRest.Validation sinkValidation = connect.rest().validate(SINK, sink);
        assertFalse(sinkValidation.errorsOn("connection.url").isEmpty(), sinkValidation.toString());
        assertEquals(
                List.of("connection.url"), List.copyOf(sinkValidation.errors().keySet()));

        Map<String, String> reconcile = new HashMap<>(
                pipeline.reconcile(1000, connect.bootstrapServers()).config());
        reconcile.remove("drift.topic");
        ConnectRest.Validation reconcileValidation = connect.rest().validate(RECONCILER, reconcile);
        assertFalse(reconcileValidation.errorsOn("drift.topic").isEmpty(), reconcileValidation.toString());
        assertEquals(
                List.of("drift.topic"), List.copyOf(reconcileValidation.errors().keySet()));
    }

    @Test
    void theExamplesValidateCleanly() {
        for (ConfigExample example : List.of(
                pipeline.sink(),
                pipeline.reconcile(1000, connect.bootstrapServers()),
                pipeline.debeziumSource(postgres.port()))) {
            ConnectRest.Validation validation = connect.rest().validate(example.connectorClass(), example.config());
            assertEquals(0, validation.errorCount(), example.name() + ": " + validation);
        }
    }

    @Test
    void legacyChangesReachTheTargetAndTheReconcilerSeesOnlyRealDrift() {
        scenario.insertLegacyCustomers(1, 50);

        ConfigExample source = pipeline.debeziumSource(postgres.port());
        ConfigExample sink = pipeline.sink();
        connect.rest().putConnector(source.name(), source.config());
        connect.rest().putConnector(sink.name(), sink.config());
        connect.rest().awaitRunning(source.name(), 1, PATIENCE);
        connect.rest().awaitRunning(sink.name(), 1, PATIENCE);

        // The snapshot (backfill) arrives first.
        awaitTargetMatchesLegacy("the snapshot of 50 customers");
        assertEquals(50, scenario.targetCount());

        // Then live changes: inserts, updates (including an update of a just-inserted row), deletes.
        scenario.insertLegacyCustomers(51, 10);
        postgres.execute(
                PostgresFixture.LEGACY,
                "UPDATE public.customer SET balance = balance + 1000.50, status = 'B' WHERE id IN (1, 2, 3)",
                "UPDATE public.customer SET email = 'moved@example.com', updated_at = now() WHERE id = 55",
                "DELETE FROM public.customer WHERE id IN (4, 5, 56)",
                "UPDATE public.customer SET name = 'Renamed twice' WHERE id = 6",
                "UPDATE public.customer SET name = 'Renamed three times' WHERE id = 6");
        awaitTargetMatchesLegacy("live inserts, updates and deletes");
        assertEquals(57, scenario.targetCount());
        assertEquals(
                List.of(List.of(4L), List.of(5L), List.of(56L)),
                postgres.query(
                        PostgresFixture.TARGET,
                        "SELECT id FROM public.customer WHERE lineage_deleted_at IS NOT NULL ORDER BY id"),
                "deleted customers stay as versioned markers");

        // The change events Kafka's JsonConverter wrote for Debezium replay identically through ours.
        String changes = source.config().get("topic.prefix") + ".public.customer";
        assertTrue(
                ConverterReplay.assertReplaysAlike(changes, connect.topics().readAll(changes)) >= 60,
                "the snapshot and the live changes replayed");

        // Each target row tells its story.
        List<List<Object>> lineage = postgres.query(
                PostgresFixture.TARGET,
                "SELECT lineage_source_system, "
                        + "lineage_source_table, lineage_source_key, lineage_operation, lineage_snapshot, lineage_rule, "
                        + "lineage_source_position FROM public.customer WHERE id = 6");
        assertEquals(
                List.of("legacy", "public.customer", "{\"id\":6}", "UPDATE", "false", "customer-identity@1"),
                lineage.get(0).subList(0, 6));
        assertTrue(((Number) lineage.get(0).get(6)).longValue() > 0, "source position recorded");
        List<List<Object>> snapshotted = postgres.query(
                PostgresFixture.TARGET,
                "SELECT lineage_operation, lineage_snapshot FROM public.customer WHERE id = 10");
        assertEquals("READ", snapshotted.get(0).get(0));
        assertFalse("false".equals(snapshotted.get(0).get(1)), "snapshot rows carry the snapshot marker");

        // The reconciler agrees: no differences.
        ConfigExample reconcile = pipeline.reconcile(1000, connect.bootstrapServers());
        connect.rest().putConnector(reconcile.name(), reconcile.config());
        connect.rest().awaitRunning(reconcile.name(), 1, PATIENCE);
        String summaryTopic = reconcile.config().get("summary.topic");
        String driftTopic = reconcile.config().get("drift.topic");
        JsonNode clean = DriftSummaries.await(
                connect.topics(),
                summaryTopic,
                PATIENCE,
                s -> s.path("compared").asLong() == 57,
                "a sweep of 57 rows");
        assertEquals(0, DriftSummaries.differences(clean), "differences in " + clean);
        assertEquals(57, clean.path("matched").asLong());
        assertTrue(connect.topics().readAll(driftTopic).isEmpty(), "no drift while in sync");

        // A row changed behind the pipeline's back in the target is reported, and only that one.
        postgres.execute(PostgresFixture.TARGET, "UPDATE public.customer SET balance = 0.01 WHERE id = 7");
        List<TopicRecord> drift =
                connect.topics().await(driftTopic, PATIENCE, "drift for customer 7", records -> !records.isEmpty());
        JsonNode dirty = DriftSummaries.await(
                connect.topics(),
                summaryTopic,
                PATIENCE,
                s -> DriftSummaries.differences(s) > 0,
                "a sweep that found the change");
        assertEquals(1, DriftSummaries.differences(dirty), "differences in " + dirty);
        assertEquals(1, dirty.path("field_mismatch").asLong());
        List<String> driftedKeys = drift.stream()
                .map(r -> r.value().path("legacy_key").asText())
                .distinct()
                .collect(Collectors.toList());
        assertEquals(List.of("{\"id\":7}"), driftedKeys);
        JsonNode mismatch = drift.get(0).value();
        assertEquals("FIELD_MISMATCH", mismatch.path("kind").asText());
        assertEquals("balance", mismatch.path("fields").get(0).path("name").asText());
        assertEquals(
                0,
                new BigDecimal("70.25")
                        .compareTo(new BigDecimal(
                                mismatch.path("fields").get(0).path("expected").asText())));

        for (String name : List.of(reconcile.name(), sink.name(), source.name())) {
            connect.rest().deleteConnector(name);
        }
    }

    private static void awaitTargetMatchesLegacy(String what) {
        Await.until(
                PATIENCE,
                "target to match legacy after " + what,
                () -> scenario.targetState().equals(scenario.legacyState()));
    }
}
