package io.rollingmigration.connect.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
        Map<String, Object> worker = new HashMap<>();
        worker.put("bootstrap.servers", "unused:9092");
        worker.put("migration.dashboard.read.only", Boolean.toString(readOnly));
        DashboardConfig config = new DashboardConfig(worker);
        Reports reports = new Reports();
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
}
