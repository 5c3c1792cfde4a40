package io.rollingmigration.connect.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rollingmigration.connect.common.drift.DriftKind;
import io.rollingmigration.testsupport.PostgresFixture;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A fleet register whose vehicles get their service id from a transform (MapId: an id-mapping table, else the id
 * the forward lane delivered), a service that owns depot NORTH and creates vehicles there that only the id mapping
 * pairs with their legacy rows. The reverse direction takes the service's store for the truth in NORTH alone; the
 * forward direction compares every depot with legacy as the truth, the service's own vehicles included.
 */
class ReverseReconcileTest {

    private static final String SPEC = String.join(
            "\n",
            "name: fleet-vehicle",
            "version: 1",
            "source: public.rv_vehicle",
            "aggregates:",
            "  vehicle:",
            "    key: {field: vehicle_id, column: vehicle_id}",
            "    ownership: depot",
            "    fields:",
            "      plate: plate",
            "      state: {from: state_cd, map: {A: ACTIVE, S: SOLD}, unmapped: error}",
            "      depot: depot");
    private static final int VEHICLES = 20;

    private static PostgresFixture postgres;

    @BeforeAll
    static void databases() {
        postgres = PostgresFixture.shared();
    }

    /**
     * Vehicles 1-20 came from legacy (ids 'v-<n>', with lineage), even ones in NORTH; the service created 'new-a'
     * and 'new-b' in NORTH, which the write-back wrote as legacy 901 and 902 and recorded in the id mapping.
     */
    @BeforeEach
    void inLine() {
        postgres.execute(
                PostgresFixture.LEGACY,
                "DROP TABLE IF EXISTS rv_vehicle",
                "DROP SCHEMA IF EXISTS rv_lane CASCADE",
                "CREATE SCHEMA rv_lane",
                "CREATE TABLE rv_lane.vehicle_id_map (legacy_id varchar(255) PRIMARY KEY, target_id varchar(255))",
                "CREATE TABLE rv_vehicle (veh_no bigint PRIMARY KEY, plate text, state_cd char(1), depot text)",
                "INSERT INTO rv_vehicle SELECT n, 'KA-' || n, 'A', CASE WHEN n % 2 = 0 THEN 'NORTH' ELSE 'SOUTH' END "
                        + "FROM generate_series(1, " + VEHICLES + ") n",
                "INSERT INTO rv_vehicle VALUES (901, 'NEW-A', 'A', 'NORTH'), (902, 'NEW-B', 'S', 'NORTH')",
                "INSERT INTO rv_lane.vehicle_id_map VALUES ('901', 'new-a'), ('902', 'new-b')");
        postgres.execute(
                PostgresFixture.TARGET,
                "DROP TABLE IF EXISTS rv_vehicle",
                "DROP TABLE IF EXISTS rv_ownership",
                "DROP TABLE IF EXISTS rv_lanes",
                "CREATE TABLE rv_vehicle (vehicle_id text PRIMARY KEY, plate text, state text, depot text, "
                        + "lineage_source_table text, lineage_source_key text, "
                        + "lineage_source_committed_at timestamptz, lineage_applied_at timestamptz, "
                        + "lineage_operation text)",
                "INSERT INTO rv_vehicle SELECT 'v-' || n, 'KA-' || n, 'ACTIVE', "
                        + "CASE WHEN n % 2 = 0 THEN 'NORTH' ELSE 'SOUTH' END, 'public.rv_vehicle', "
                        + "'{\"veh_no\":' || n || '}', '2026-12-01 08:00+00', '2026-12-01 08:00+00', 'READ' "
                        + "FROM generate_series(1, " + VEHICLES + ") n",
                "INSERT INTO rv_vehicle (vehicle_id, plate, state, depot) VALUES ('new-a', 'NEW-A', 'ACTIVE', "
                        + "'NORTH'), ('new-b', 'NEW-B', 'SOLD', 'NORTH')",
                "CREATE TABLE rv_ownership (migration_unit varchar(255), partition_value varchar(255), "
                        + "owner varchar(16), since timestamp, PRIMARY KEY (migration_unit, partition_value))",
                "INSERT INTO rv_ownership VALUES ('vehicle', '*', 'LEGACY', NULL), ('vehicle', 'NORTH', 'TARGET', "
                        + "NULL)",
                "CREATE TABLE rv_lanes (lane varchar(16) NOT NULL, transaction_id bigint NOT NULL, "
                        + "short_id bigint NOT NULL, connector varchar(255) NOT NULL, recorded_at_ms bigint NOT NULL, "
                        + "PRIMARY KEY (lane, transaction_id))");
    }

    private static Map<String, String> settings(String direction) {
        Map<String, String> settings = new HashMap<>(PolicyTables.settings(postgres));
        settings.put("legacy.table", "public.rv_vehicle");
        settings.put("target.table", "public.rv_vehicle");
        settings.put("mapping.spec", SPEC);
        settings.put("direction", direction);
        settings.put("id.mapping.table", "rv_lane.vehicle_id_map");
        settings.put("ownership.table", "public.rv_ownership");
        settings.put("lane.transactions.table", "public.rv_lanes");
        return settings;
    }

    /** A whole full run, with {@code midway} happening in the stores while it is under way: what it reported. */
    private static Map<String, String> fullRun(Map<String, String> settings, Runnable midway) throws Exception {
        return FullRuns.of(settings, 30_000, midway).reported();
    }

    private static Map<String, String> fullRun(Map<String, String> settings) throws Exception {
        return fullRun(settings, () -> {});
    }

    @Test
    void vehiclesTheServiceCreatedArePairedThroughTheIdMappingInBothDirections() throws Exception {
        assertEquals(Map.of(), fullRun(settings("reverse")), "legacy holds what the service holds in NORTH");
        assertEquals(Map.of(), fullRun(settings("forward")), "the service holds what legacy holds everywhere");
    }

    @Test
    void theReverseDirectionReportsWhatLegacyLacksOrHoldsTooMuchInTheDepotsTheServiceOwnsOnly() throws Exception {
        // The service created new-c (never written back), deleted v-4 (legacy still has 4), changed v-6's state
        // (not written back); in SOUTH, which legacy owns, v-5 differs too: that is the forward direction's business.
        // Nothing gives the id of a vehicle whose service row is gone: its drift is keyed by its legacy key.
        postgres.execute(
                PostgresFixture.TARGET,
                "INSERT INTO rv_vehicle (vehicle_id, plate, state, depot) VALUES ('new-c', 'NEW-C', 'ACTIVE', "
                        + "'NORTH')",
                "DELETE FROM rv_vehicle WHERE vehicle_id = 'v-4'",
                "UPDATE rv_vehicle SET state = 'SOLD' WHERE vehicle_id IN ('v-6', 'v-5')");

        assertEquals(
                Map.of(
                        "new-c",
                        DriftKind.MISSING_IN_LEGACY.name(),
                        "legacy:{\"veh_no\":4}",
                        DriftKind.UNEXPECTED_IN_LEGACY.name(),
                        "v-6",
                        DriftKind.FIELD_MISMATCH.name()),
                fullRun(settings("reverse")));
        assertEquals(
                Map.of(
                        "new-c",
                        DriftKind.UNEXPECTED_IN_TARGET.name(),
                        "legacy:{\"veh_no\":4}",
                        DriftKind.MISSING_IN_TARGET.name(),
                        "v-5",
                        DriftKind.FIELD_MISMATCH.name(),
                        "v-6",
                        DriftKind.FIELD_MISMATCH.name()),
                fullRun(settings("forward")),
                "forward, legacy is the truth everywhere");
    }

    @Test
    void aServiceWriteTheWriteBackLaneIsStillDeliveringIsInFlightNotDrift() throws Exception {
        // The lane keeps recording transactions: it is writing. new-c reaches legacy while the run holds it.
        postgres.execute(
                PostgresFixture.TARGET,
                "INSERT INTO rv_vehicle (vehicle_id, plate, state, depot) VALUES ('new-c', 'NEW-C', 'ACTIVE', "
                        + "'NORTH')",
                "INSERT INTO rv_lanes VALUES ('WRITEBACK', 7, 7, 'writeback', " + (System.currentTimeMillis() + 60_000)
                        + ")");
        Map<String, String> reported = fullRun(
                settings("reverse"),
                () -> postgres.execute(
                        PostgresFixture.LEGACY,
                        "INSERT INTO rv_vehicle VALUES (903, 'NEW-C', 'A', 'NORTH')",
                        "INSERT INTO rv_lane.vehicle_id_map VALUES ('903', 'new-c')"));
        assertEquals(Map.of(), reported);
    }

    @Test
    void withoutTheLaneWritingADifferenceIsReportedAfterItsRecheck() throws Exception {
        postgres.execute(
                PostgresFixture.TARGET,
                "INSERT INTO rv_vehicle (vehicle_id, plate, state, depot) VALUES ('new-c', 'NEW-C', 'ACTIVE', "
                        + "'NORTH')",
                "INSERT INTO rv_lanes VALUES ('WRITEBACK', 7, 7, 'writeback', " + (System.currentTimeMillis() - 600_000)
                        + ")");
        assertEquals(Map.of("new-c", DriftKind.MISSING_IN_LEGACY.name()), fullRun(settings("reverse")));
    }

    @Test
    void theReverseDirectionIsRefusedWhereItCannotWorkNamingTheSetting() {
        Map<String, String> noOwnership = settings("reverse");
        noOwnership.put("mapping.spec", SPEC.replace("    ownership: depot\n", ""));
        assertEquals(List.of("direction"), erroneous(noOwnership));
        Map<String, String> incremental = settings("reverse");
        incremental.put("mode", "incremental");
        incremental.put("legacy.change.column", "veh_no");
        assertEquals(List.of("mode"), erroneous(incremental));
        assertEquals("vehicle.reverse", new ReconcileConfig(settings("reverse")).aggregate("vehicle"));
    }

    private static List<String> erroneous(Map<String, String> settings) {
        return new ReconcileSourceConnector()
                .validate(settings).configValues().stream()
                        .filter(v -> !v.errorMessages().isEmpty())
                        .map(ConfigValue::name)
                        .toList();
    }
}
