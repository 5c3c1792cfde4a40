package io.rollingmigration.connect.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollingmigration.connect.common.ownership.Owner;
import io.rollingmigration.connect.common.status.StatusReport;
import io.rollingmigration.readshift.ReadMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each guard rail refuses a move with a sentence that says what to fix, and a unit in order passes them all. */
class GuardRailsTest {

    private static final long NOW = 1_800_000_000_000L;
    private static final long DAY = 86_400_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Reports reports = new Reports();
    private final GuardRails guards = new GuardRails(new GuardRails.Bounds(30_000, DAY, 100.0));

    private UnitView unit() {
        Map<String, Object> worker = new HashMap<>();
        worker.put("bootstrap.servers", "unused:9092");
        MigrationState state = new MigrationState(new DashboardConfig(worker), reports, Map.of(), reports.cluster());
        return state.unit("policy", NOW);
    }

    private void sink(StatusReport.Kind kind, long p99, long publishedAt) {
        ObjectNode figures = StatusReport.newFigures();
        figures.putObject("lag_ms")
                .put("p50", 10)
                .put("p99", p99)
                .put("max", p99)
                .put("changes", 50);
        reports.publish(
                new StatusReport(kind, kind.name().toLowerCase() + "-lane", 0, "policy", figures),
                publishedAt,
                publishedAt - DAY,
                JSON.createObjectNode());
    }

    private void reconciler(int task, String range, Long completedAt, double alignment) {
        ObjectNode figures = StatusReport.newFigures();
        figures.put("range", range);
        if (completedAt != null) {
            figures.putObject("last_full_run")
                    .put("started_at_ms", completedAt - 60_000)
                    .put("completed_at_ms", completedAt)
                    .put("alignment_pct", alignment);
        }
        reports.publish(
                new StatusReport(StatusReport.Kind.RECONCILER, "policy-reconcile", task, "policy", figures),
                NOW,
                NOW - DAY,
                JSON.createObjectNode());
    }

    @Test
    void aUnitInOrderPassesEveryRail() {
        sink(StatusReport.Kind.SINK, 800, NOW);
        sink(StatusReport.Kind.WRITEBACK, 500, NOW);
        reconciler(0, "0/2", NOW - 3_600_000, 100.0);
        reconciler(1, "1/2", NOW - 7_200_000, 100.0);
        assertEquals(List.of(), guards.ownershipMove(unit(), Owner.TARGET, NOW));
        assertEquals(List.of(), guards.ownershipMove(unit(), Owner.LEGACY, NOW));
        assertEquals(List.of(), guards.readRouting(unit(), ReadMode.TARGET, NOW));
    }

    @Test
    void aLaggingOrSilentLaneIsRefused() {
        sink(StatusReport.Kind.SINK, 45_000, NOW - 10_000);
        reconciler(0, "0/1", NOW - 60_000, 100.0);
        List<String> failures = guards.ownershipMove(unit(), Owner.TARGET, NOW);
        assertEquals(2, failures.size(), failures.toString());
        assertTrue(failures.get(0).contains("figures are stale"), failures.toString());
        assertTrue(
                failures.get(1).contains("replication lag p99 45000 ms is above the bound of 30000 ms"),
                failures.toString());
    }

    @Test
    void aRollbackWithoutAWriteBackLaneIsRefused() {
        sink(StatusReport.Kind.SINK, 100, NOW);
        reconciler(0, "0/1", NOW - 60_000, 100.0);
        List<String> failures = guards.ownershipMove(unit(), Owner.LEGACY, NOW);
        assertEquals(1, failures.size(), failures.toString());
        assertTrue(failures.get(0).contains("the service's writes would not reach legacy"), failures.toString());
    }

    @Test
    void aVerificationMissingIncompleteStaleOrMisalignedIsRefused() {
        sink(StatusReport.Kind.SINK, 100, NOW);
        assertTrue(guards.ownershipMove(unit(), Owner.TARGET, NOW).get(0).contains("no reconciler"));

        reconciler(0, "0/2", NOW - 60_000, 100.0);
        assertTrue(
                guards.ownershipMove(unit(), Owner.TARGET, NOW).get(0).contains("(1 of 2 ranges)"),
                guards.ownershipMove(unit(), Owner.TARGET, NOW).toString());

        reconciler(1, "1/2", NOW - DAY - 60_000, 99.5);
        List<String> failures = guards.readRouting(unit(), ReadMode.CANARY, NOW);
        assertEquals(2, failures.size(), failures.toString());
        assertTrue(failures.get(0).contains("the last full reconciliation is stale"), failures.toString());
        assertTrue(failures.get(1).contains("99.500% aligned, below 100.000%"), failures.toString());
        assertEquals(List.of(), guards.readRouting(unit(), ReadMode.SHADOW, NOW), "shadow reads answer from legacy");
    }
}
