package io.rollingmigration.connect.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollingmigration.connect.common.ownership.Owner;
import io.rollingmigration.connect.common.status.StatusReport;
import io.rollingmigration.testsupport.PostgresFixture;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One bridge, a forward lane with every exit criterion declared, driven from "not retirable", each criterion failing
 * with its reason in turn, to "retirable", on its figures as the tasks publish them and on a real control store.
 */
class ExitCriteriaTest {

    private static final long HOUR = 3_600_000;
    private static final long T0 = 1_800_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PostgresFixture postgres;

    @BeforeAll
    static void database() {
        postgres = PostgresFixture.shared();
        postgres.execute(
                PostgresFixture.TARGET,
                "DROP TABLE IF EXISTS exits_ownership, exits_routing, exits_audit",
                "DROP TABLE IF EXISTS exits_moves");
    }

    private static DashboardConfig config() {
        Map<String, Object> worker = new HashMap<>();
        worker.put("bootstrap.servers", "unused:9092");
        worker.put("migration.dashboard.stores", "policy_service");
        worker.put("migration.dashboard.store.policy_service.units", "policy");
        worker.put("migration.dashboard.store.policy_service.connection.url", postgres.jdbcUrl(PostgresFixture.TARGET));
        worker.put("migration.dashboard.store.policy_service.connection.user", postgres.user());
        if (postgres.password() != null) {
            worker.put("migration.dashboard.store.policy_service.connection.password", postgres.password());
        }
        worker.put("migration.dashboard.store.policy_service.ownership.table", "exits_ownership");
        worker.put("migration.dashboard.store.policy_service.ownership.moves.table", "");
        worker.put("migration.dashboard.store.policy_service.read.routing.table", "exits_routing");
        worker.put("migration.dashboard.store.policy_service.audit.table", "exits_audit");
        return new DashboardConfig(worker);
    }

    @Test
    void aBridgeBecomesRetirableOnceEveryCriterionHoldsLongEnough() throws Exception {
        DashboardConfig config = config();
        Reports reports = new Reports();
        ControlStore store = new ControlStore(config.storeOf("policy"));
        MigrationState state = new MigrationState(config, reports, Map.of("policy_service", store), reports.cluster());
        ExitCriteria exits = new ExitCriteria(state, new GuardRails(config.guardBounds()));
        ObjectNode declared = JSON.createObjectNode();
        declared.put("target_owns_all_for_ms", HOUR);
        declared.put("no_legacy_write_for_ms", HOUR);
        declared.put("no_drift_above_low_for_ms", HOUR);
        declared.put("full_reconciliation_after_last_move", true);
        declared.put("no_legacy_reads_for_ms", HOUR);

        // Before the cutover: legacy owns everything, a HIGH drift is open, no full run, reads not watched.
        reports.publish(sink(T0, 0), T0, T0 - HOUR, declared);
        reports.publish(reconciler(T0, 1, null, null, null), T0, T0 - HOUR, JSON.createObjectNode());
        JsonNode bridge = bridge(exits.evaluate(T0));
        assertFalse(bridge.path("retirable").asBoolean());
        assertTrue(why(bridge, "target_owns_all_for_ms").contains("no '*' row owned by TARGET"), bridge.toString());
        assertTrue(why(bridge, "no_drift_above_low_for_ms").contains("drift above LOW is open now"), bridge.toString());
        assertTrue(
                why(bridge, "full_reconciliation_after_last_move").contains("no full reconciliation"),
                bridge.toString());
        assertTrue(why(bridge, "no_legacy_reads_for_ms").contains("reads are not watched"), bridge.toString());
        assertTrue(holds(bridge, "no_legacy_write_for_ms"), "no stray write since the sink started an hour ago");

        // The cutover of both partitions; one stray legacy write a minute later.
        store.moveOwnership("policy", "*", Owner.TARGET, "ops", "cutover", AuditTrail.Outcome.ACCEPTED, null, T0);
        store.moveOwnership("policy", "EU", Owner.TARGET, "ops", "cutover", AuditTrail.Outcome.ACCEPTED, null, T0);
        long t1 = T0 + 60_000;
        reports.publish(sink(t1, t1), t1, T0 - HOUR, declared);
        bridge = bridge(exits.evaluate(t1));
        assertTrue(
                why(bridge, "target_owns_all_for_ms").contains("for 1 min of the 60 min required"), bridge.toString());
        assertTrue(why(bridge, "no_legacy_write_for_ms").contains("for 0 min of the 60 min"), bridge.toString());
        assertTrue(
                why(bridge, "full_reconciliation_after_last_move").contains("no full reconciliation"),
                bridge.toString());

        // The drift repaired; a full run started before the move does not count...
        long t2 = T0 + 5 * 60_000;
        reports.publish(reconciler(t2, 0, T0 - 60_000, t2, t2), t2, T0 - HOUR, JSON.createObjectNode());
        bridge = bridge(exits.evaluate(t2));
        assertTrue(
                why(bridge, "full_reconciliation_after_last_move").contains("before the last ownership move"),
                bridge.toString());
        assertTrue(why(bridge, "no_drift_above_low_for_ms").contains("for 0 min of the 60 min"), bridge.toString());

        // ... one started after it does; then an hour passes with nothing going wrong.
        reports.publish(reconciler(t2, 0, T0 + 120_000, t2, t2), t2, T0 - HOUR, JSON.createObjectNode());
        long later = t2 + HOUR + 1;
        reports.publish(sink(later, t1), later, T0 - HOUR, declared);
        reports.publish(reconciler(later, 0, T0 + 120_000, t2, t2), later, T0 - HOUR, JSON.createObjectNode());
        bridge = bridge(exits.evaluate(later));
        assertTrue(bridge.path("retirable").asBoolean(), bridge.toString());
        for (JsonNode criterion : bridge.path("criteria")) {
            assertTrue(criterion.path("holds").asBoolean(), criterion.toString());
        }
        assertEquals(t2 + HOUR, bridge.path("retirable_since_ms").asLong(), "when the last criterion came to hold");
    }

    @Test
    void aBridgeWithoutCriteriaIsNeverRetirable() {
        DashboardConfig config = config();
        Reports reports = new Reports();
        MigrationState state = new MigrationState(config, reports, Map.of(), reports.cluster());
        ExitCriteria exits = new ExitCriteria(state, new GuardRails(config.guardBounds()));
        reports.publish(sink(T0, 0), T0, T0, JSON.createObjectNode());
        JsonNode bridge = bridge(exits.evaluate(T0));
        assertFalse(bridge.path("retirable").asBoolean());
        assertTrue(bridge.path("why_not").asText().contains("declares no exit criteria"), bridge.toString());
    }

    private static StatusReport sink(long at, long lastBlockedAt) {
        ObjectNode figures = StatusReport.newFigures();
        figures.putObject("lag_ms").put("p50", 20).put("p99", 80).put("max", 90).put("changes", 100);
        figures.putObject("totals").put("applied", 100);
        figures.putObject("per_second").put("applied", 10.0);
        if (lastBlockedAt > 0) {
            figures.put("last_blocked_at_ms", lastBlockedAt);
        }
        return new StatusReport(StatusReport.Kind.SINK, "policy-sink", 0, "policy", figures);
    }

    /**
     * @param fullStartedAt when the last full run started ({@code null}: none finished)
     * @param clearSince    since when no drift above LOW is open ({@code null}: some is)
     * @param noLegacyReads since when no consumer reads legacy ({@code null}: no read-shift feed)
     */
    private static StatusReport reconciler(
            long at, int highDrift, Long fullStartedAt, Long clearSince, Long noLegacyReads) {
        ObjectNode figures = StatusReport.newFigures();
        figures.put("range", "0/1");
        ObjectNode open = figures.putObject("open_drift");
        open.put("total", highDrift);
        open.putObject("by_severity").put("HIGH", highDrift).put("LOW", 0);
        if (clearSince == null) {
            figures.putNull("no_drift_above_low_since_ms");
        } else {
            figures.put("no_drift_above_low_since_ms", clearSince);
        }
        if (fullStartedAt != null) {
            figures.putObject("last_full_run")
                    .put("started_at_ms", fullStartedAt)
                    .put("completed_at_ms", fullStartedAt + 30_000)
                    .put("alignment_pct", 100.0)
                    .put("legacy_rows", 1000)
                    .put("target_rows", 1000);
        }
        if (noLegacyReads == null) {
            figures.putNull("read_shift");
        } else {
            figures.putObject("read_shift").putArray("consumers_on_legacy");
            figures.put("no_legacy_reads_since_ms", noLegacyReads);
        }
        return new StatusReport(StatusReport.Kind.RECONCILER, "policy-reconcile", 0, "policy", figures);
    }

    private static JsonNode bridge(JsonNode exits) {
        for (JsonNode bridge : exits.path("bridges")) {
            if (bridge.path("connector").asText().equals("policy-sink")) {
                return bridge;
            }
        }
        throw new AssertionError("no policy-sink bridge in " + exits);
    }

    private static JsonNode criterion(JsonNode bridge, String name) {
        for (JsonNode criterion : bridge.path("criteria")) {
            if (criterion.path("name").asText().equals(name)) {
                return criterion;
            }
        }
        throw new AssertionError("no criterion " + name + " in " + bridge);
    }

    private static String why(JsonNode bridge, String name) {
        JsonNode criterion = criterion(bridge, name);
        assertFalse(criterion.path("holds").asBoolean(), criterion.toString());
        return criterion.path("why_not").asText();
    }

    private static boolean holds(JsonNode bridge, String name) {
        return criterion(bridge, name).path("holds").asBoolean();
    }
}
