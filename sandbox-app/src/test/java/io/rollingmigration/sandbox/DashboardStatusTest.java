package io.rollingmigration.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sandbox's status line says what the dashboard says, and "n/a" where the dashboard has no data. */
class DashboardStatusTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aUnitWithoutAFullReconciliationOrReconcilerShowsNoBackfillAndNoDriftRatherThanZeros() throws Exception {
        MigrationStatus status = DashboardStatus.of(1_000, JSON.readTree("""
                        {"replication_lag_ms": {"p50": 12, "p99": 80, "max": 95},
                         "backfill": {"no_data": "no full reconciliation yet"},
                         "drift": {"no_data": "no reconciler reports on this unit"},
                         "event_order": {"applied_total": 40, "skipped_stale_total": 2},
                         "dead_letter_queue": {"total": 0, "by_reason": {}},
                         "reconciliation": {"no_data": "no reconciler reports on this unit"},
                         "ownership": {"partitions": {"*": {"owner": "LEGACY", "implicit": true}}},
                         "read_routing": {"plan": {}, "figures": {"no_data": "no read-shift feed"}}}
                        """));

        assertEquals(-1, status.backfillPercent());
        assertTrue(
                status.line()
                        .startsWith("backfill n/a | lag p50 12 ms p99 80 ms | applied 40 skipped 2 failed 0 "
                                + "| open drift n/a | alignment n/a | ownership {*=LEGACY} | reads: no data yet"),
                status.line());
    }

    @Test
    void theFiguresOfAMigrationUnderWayAreTheDashboards() throws Exception {
        MigrationStatus status = DashboardStatus.of(2_000, JSON.readTree("""
                        {"replication_lag_ms": {"p50": 30, "p99": 400, "max": 900},
                         "backfill": {"rows_expected": 1200, "rows_landed": 1188, "landed_pct": 99.0},
                         "drift": {"open": 3, "by_severity": {"HIGH": 1, "MEDIUM": 2}, "by_kind": {}},
                         "event_order": {"applied_total": 5029, "skipped_stale_total": 17},
                         "dead_letter_queue": {"total": 2, "by_reason": {"LEGACY_WRITE_AFTER_CUTOVER": 2}},
                         "reconciliation": {"last_run_alignment_pct": 99.75},
                         "ownership": {"partitions": {"*": {"owner": "LEGACY"}, "EU": {"owner": "TARGET"}}},
                         "read_routing": {
                           "plan": {"EU": {"mode": "CANARY", "canary_pct": 10.0}},
                           "figures": {
                             "partitions": {
                               "EU": {"alignment_pct": 96.7, "matched": 1122, "mismatched": 38, "service_pct": 9.5},
                               "US": {"alignment_pct": null, "matched": 0, "mismatched": 0, "service_pct": 0.0}},
                             "consumers": {"support-desk": {"service_pct": 10.0}, "web-portal": {"service_pct": 4.8}},
                             "consumers_on_legacy": ["support-desk", "web-portal"]}}}
                        """));

        assertEquals(99.0, status.backfillPercent(), 1e-9);
        assertEquals(Map.of("CRITICAL", 0L, "HIGH", 1L, "MEDIUM", 2L, "LOW", 0L), status.openDrift());
        assertEquals(Map.of("*", "LEGACY", "EU", "TARGET"), status.ownership());
        assertEquals(Map.of("EU", 1160L), status.readShift().compared());
        assertEquals(
                "backfill 99.0% (1188/1200) | lag p50 30 ms p99 400 ms | applied 5029 skipped 17 failed 2 | open "
                        + "drift {CRITICAL=0, HIGH=1, MEDIUM=2, LOW=0} | alignment 99.75% | ownership {*=LEGACY, "
                        + "EU=TARGET} | reads EU CANARY 10% aligned 96.70% (1160) | service answers support-desk "
                        + "10.0%, web-portal 4.8% | 2 consumers still on legacy",
                status.line());
    }
}
