package io.rollingmigration.connect.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollingmigration.connect.common.status.StatusReport;
import jakarta.ws.rs.core.Response;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the endpoints answer before any store is touched: read-only mode refuses every change, and a change for a
 * unit the dashboard holds no store for is refused naming the units it does hold. (The stored changes, guard rails
 * and audit trail are proven on real workers and a real store in packaging's MigrationDashboardIT.)
 */
class MigrationResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static MigrationResource resource(boolean readOnly) {
        return resource(readOnly, new Reports());
    }

    private static MigrationResource resource(boolean readOnly, Reports reports) {
        Map<String, Object> worker = new HashMap<>();
        worker.put("bootstrap.servers", "unused:9092");
        worker.put("migration.dashboard.read.only", Boolean.toString(readOnly));
        DashboardConfig config = new DashboardConfig(worker);
        MigrationState state = new MigrationState(config, reports, Map.of(), reports.cluster());
        GuardRails guards = new GuardRails(config.guardBounds());
        return new MigrationResource(
                config, state, guards, new History(1000), new ExitCriteria(state, guards), () -> 1_000L);
    }

    private static JsonNode body(Response response) throws Exception {
        return JSON.readTree(response.getEntity().toString());
    }

    @Test
    void aReadOnlyDashboardRefusesEveryChange() throws Exception {
        MigrationResource dashboard = resource(true);
        String move = "{\"owner\":\"TARGET\",\"reason\":\"cutover\"}";
        Response ownership = dashboard.moveOwnership("policy", "NORTH", move, null);
        Response routing = dashboard.route("policy", "NORTH", "{\"mode\":\"SHADOW\",\"reason\":\"r\"}", null);
        for (Response response : new Response[] {ownership, routing}) {
            assertEquals(403, response.getStatus());
            assertTrue(
                    body(response).path("message").asText().contains("read-only"),
                    response.getEntity().toString());
        }
    }

    @Test
    void aChangeForAUnitWithoutAStoreNamesTheUnitsThereAre() throws Exception {
        Response response =
                resource(false).moveOwnership("policy", "NORTH", "{\"owner\":\"TARGET\",\"reason\":\"r\"}", null);
        assertEquals(400, response.getStatus());
        JsonNode error = body(response);
        assertEquals("unit", error.path("field").asText());
        assertTrue(error.path("message").asText().contains("holds the control tables of no unit"), error.toString());
    }

    @Test
    void theStatusOfAClusterWithoutReportsHasNoUnits() throws Exception {
        JsonNode status = body(resource(false).status());
        assertEquals(1, status.path("schema_version").asInt());
        assertEquals(0, status.path("units").size());
        assertTrue(status.path("status_topic_read").asBoolean());
    }

    @Test
    void theTranslationsFailuresAreSummedOverItsTasksByTheFieldTheyFailedAt() throws Exception {
        Reports reports = new Reports();
        for (int task = 0; task < 2; task++) {
            ObjectNode figures = StatusReport.newFigures();
            figures.putObject("totals").put("translated", 100).put("dropped", 1).put("failed", task + 1);
            figures.putObject("per_second")
                    .put("translated", 5.0)
                    .put("dropped", 0.0)
                    .put("failed", 0.5);
            figures.putObject("failed_by_reason")
                    .put("aggregates.policy.fields.status", 1)
                    .put("aggregates.policy.fields.product", task);
            figures.putObject("semantic_loss_by_column").put("fax", 3);
            reports.publish(
                    new StatusReport(StatusReport.Kind.TRANSLATION, "policy-sink", task, "policy", figures),
                    1_000L,
                    0L,
                    JSON.createObjectNode());
        }
        JsonNode translation = body(resource(false, reports).status())
                .path("units")
                .path("policy")
                .path("translation");
        assertEquals(200, translation.path("translated_total").asLong(), translation.toString());
        assertEquals(3, translation.path("failed_total").asLong(), translation.toString());
        assertEquals(1.0, translation.path("failed_per_s").asDouble(), translation.toString());
        assertEquals(
                JSON.readTree("{\"aggregates.policy.fields.product\":1,\"aggregates.policy.fields.status\":2}"),
                translation.path("failed_by_reason"));
        assertEquals(6, translation.path("semantic_loss_by_column").path("fax").asLong());
        assertTrue(
                body(resource(false).status()).path("units").isEmpty(),
                "without reports no unit, so no made-up translation figures");
    }
}
