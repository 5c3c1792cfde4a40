package io.rollingmigration.connect.sink.writeback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.connect.common.lane.LaneTransactions;
import io.rollingmigration.testsupport.ChangeEvents;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.RecordingSinkContext;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The write-back sink against real PostgreSQL databases: a fleet register whose vehicles live in two legacy tables
 * (the vehicle and its tax fragment), written back from the fleet service's vehicle table.
 */
class LegacyWritebackSinkTest {

    static final String VEHICLE_SPEC = String.join(
            "\n",
            "name: fleet-vehicle",
            "version: 1",
            "source: fleet.vehicle",
            "aggregates:",
            "  vehicle:",
            "    key: {field: vehicle_id, uuid5: {namespace: url, columns: [veh_no]}}",
            "    ownership: depot",
            "    fields:",
            "      plate: plate",
            "      state: {from: state_cd, map: {A: ACTIVE, S: SOLD, X: SCRAPPED}, default: UNKNOWN}",
            "      odometer_km: {type: decimal(1), expr: \"decimal(after.odo_tenths) / 10\"}",
            "      registered_on: {type: date, from: reg_date}",
            "      depot: depot",
            "      changed_at: {type: timestamp, from: changed_at}",
            "    dropped:",
            "      notes: free text the service does not keep",
            "    writeback:",
            "      key:",
            "        veh_no: {sequence: fleet.vehicle_no_seq}",
            "      version: changed_at",
            "      columns:",
            "        odo_tenths: {expr: \"int(after.odometer_km * 10)\"}",
            "        notes: {keep: previous, default: 'new in the service'}");

    static final String TAX_SPEC = String.join(
            "\n",
            "name: fleet-vehicle-tax",
            "version: 1",
            "source: fleet.vehicle_tax",
            "aggregates:",
            "  vehicle:",
            "    key: {field: vehicle_id, uuid5: {namespace: url, columns: [veh_no]}}",
            "    fields:",
            "      annual_tax: {type: decimal(2), expr: \"decimal(after.annual_tax_cents) / 100\"}",
            "    writeback:",
            "      columns:",
            "        annual_tax_cents: {expr: \"int(after.annual_tax * 100)\"}");

    static final Schema DECIMAL_1 = Decimal.builder(1).optional().build();
    static final Schema DECIMAL_2 = Decimal.builder(2).optional().build();
    static final Schema MICRO_TIMESTAMP = SchemaBuilder.int64()
            .name("io.debezium.time.MicroTimestamp")
            .optional()
            .build();
    static final Schema SERVICE_ROW = SchemaBuilder.struct()
            .name(ChangeEvents.rowName("fleet_service", "public", "vehicle"))
            .optional()
            .field("vehicle_id", Schema.STRING_SCHEMA)
            .field("plate", Schema.OPTIONAL_STRING_SCHEMA)
            .field("state", Schema.OPTIONAL_STRING_SCHEMA)
            .field("odometer_km", DECIMAL_1)
            .field("registered_on", Date.builder().optional().build())
            .field("depot", Schema.OPTIONAL_STRING_SCHEMA)
            .field("changed_at", MICRO_TIMESTAMP)
            .field("annual_tax", DECIMAL_2)
            .field("lineage_source_key", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    static final ChangeEvents SERVICE = ChangeEvents.of(
            "fleet_service", "public", "vehicle", SERVICE_ROW, ChangeEvents.POSTGRES_SOURCE, "vehicle_id");

    static final Map<String, String> PLATES = Map.of("4711", "KA-EV 42", "4712", "KA-EV 43");

    private static PostgresFixture postgres;
    private final AtomicLong offsets = new AtomicLong();
    private RecordingSinkContext context;
    private LegacyWritebackSinkTask task;

    @BeforeAll
    static void databases() {
        postgres = PostgresFixture.shared();
    }

    @BeforeEach
    void fleet() {
        postgres.execute(
                PostgresFixture.LEGACY,
                "DROP SCHEMA IF EXISTS fleet CASCADE",
                "DROP SCHEMA IF EXISTS fleet_lane CASCADE",
                "CREATE SCHEMA fleet",
                "CREATE TABLE fleet.vehicle (veh_no bigint PRIMARY KEY, plate varchar(12) NOT NULL, state_cd char(1), "
                        + "odo_tenths bigint, reg_date date, depot text NOT NULL, notes text NOT NULL DEFAULT '', "
                        + "changed_at timestamp(6))",
                "CREATE TABLE fleet.vehicle_tax (veh_no bigint PRIMARY KEY REFERENCES fleet.vehicle (veh_no), "
                        + "annual_tax_cents bigint NOT NULL)",
                "CREATE SEQUENCE fleet.vehicle_no_seq START 900000",
                "INSERT INTO fleet.vehicle VALUES (4711, 'KA-EV 42', 'A', 1234567, '2021-03-01', 'NORTH', "
                        + "'dent in the left door', '2026-12-01 09:30:15.25')",
                "INSERT INTO fleet.vehicle_tax VALUES (4711, 24000)",
                "INSERT INTO fleet.vehicle VALUES (4712, 'KA-EV 43', 'A', 10, '2022-01-01', 'SOUTH', '', "
                        + "'2026-12-01 09:00:00')");
        postgres.execute(
                PostgresFixture.TARGET,
                "DROP TABLE IF EXISTS fleet_ownership",
                "DROP TABLE IF EXISTS fleet_lane_transactions",
                "DROP TABLE IF EXISTS fleet_moves",
                "DROP TABLE IF EXISTS fleet_progress",
                "CREATE TABLE fleet_ownership (migration_unit varchar(255) NOT NULL, partition_value varchar(255) "
                        + "NOT NULL, owner varchar(16) NOT NULL, since timestamp, PRIMARY KEY (migration_unit, "
                        + "partition_value))",
                // Moved before the test's changes were committed (ChangeEvents.COMMITTED_MS, 2023-11-14).
                "INSERT INTO fleet_ownership VALUES ('vehicle', 'NORTH', 'TARGET', '2020-01-01'), "
                        + "('vehicle', 'SOUTH', 'LEGACY', '2020-01-01')");
        task = start(VEHICLE_SPEC + "\n---\n" + TAX_SPEC);
    }

    private LegacyWritebackSinkTask start(String specs) {
        return start(specs, Map.of());
    }

    private LegacyWritebackSinkTask start(String specs, Map<String, String> overrides) {
        Map<String, String> config = new HashMap<>();
        config.put("name", "fleet-writeback");
        config.putAll(postgres.connectionSettings("legacy.", PostgresFixture.LEGACY));
        config.putAll(postgres.connectionSettings("service.", PostgresFixture.TARGET));
        config.put("mapping.spec", specs);
        config.put("aggregate", "vehicle");
        config.put("bookkeeping.schema", "fleet_lane");
        config.put("ownership.table", "fleet_ownership");
        config.put("ownership.refresh.ms", "0");
        config.put("lane.transactions.table", "fleet_lane_transactions");
        config.put("ownership.moves.table", "fleet_moves");
        config.put("lane.progress.table", "fleet_progress");
        config.put("retry.backoff.ms", "10");
        config.putAll(overrides);
        context = new RecordingSinkContext(true, config, Set.of(new TopicPartition(SERVICE.topic(), 0)));
        LegacyWritebackSinkTask started = new LegacyWritebackSinkTask();
        started.initialize(context);
        started.start(config);
        return started;
    }

    @AfterEach
    void stop() {
        task.stop();
    }

    @Test
    void aChangeTheServiceMakesInAPartitionItOwnsReachesBothLegacyTables() {
        task.put(List.of(change(
                "u", vehicle("4711", "SOLD", "130000.5", "NORTH", at(10, 0)).put("annual_tax", tax("250.00")))));

        assertEquals(
                List.of(List.of("KA-EV 42", "S", 1300005L, "NORTH", "dent in the left door")),
                legacy("SELECT plate, state_cd, odo_tenths, depot, notes FROM fleet.vehicle WHERE veh_no = 4711"));
        assertEquals(
                List.of(List.of(25000L)), legacy("SELECT annual_tax_cents FROM fleet.vehicle_tax WHERE veh_no = 4711"));
        assertTrue(context.errant.isEmpty(), () -> context.reasons.toString());
    }

    @Test
    void aVehicleTheServiceCreatesGetsALegacyKeyFromTheSequenceAndKeepsItForLaterChanges() {
        task.put(List.of(change("c", created("NORTH", at(11, 0)))));
        task.put(List.of(change("u", created("NORTH", at(11, 5)).put("plate", "KA-NEW 2"))));

        assertEquals(
                List.of(List.of(900000L, "KA-NEW 2", "new in the service")),
                legacy("SELECT veh_no, plate, notes FROM fleet.vehicle WHERE veh_no >= 900000"));
        assertEquals(
                List.of(List.of(900000L, 1200L)),
                legacy("SELECT veh_no, annual_tax_cents FROM fleet.vehicle_tax WHERE veh_no >= 900000"));
        assertEquals(
                List.of(List.of("900000", "new-vehicle-1")),
                legacy("SELECT legacy_id, target_id FROM fleet_lane.vehicle_id_map"),
                "the pair is recorded for MapId in the forward lane");
    }

    @Test
    void aServiceWriteInAPartitionLegacyStillOwnsIsReportedAndNotWritten() {
        task.put(List.of(change("u", vehicle("4712", "SOLD", "1.0", "SOUTH", at(10, 0)))));

        assertEquals(List.of(List.of("A")), legacy("SELECT state_cd FROM fleet.vehicle WHERE veh_no = 4712"));
        assertEquals(1, context.errant.size());
        assertTrue(
                context.reasons.get(0).getMessage().startsWith("SERVICE_WRITE_BEFORE_CUTOVER"),
                context.reasons.toString());
    }

    @Test
    void aServiceWriteInFlightWhenTheDepotWasHandedBackIsStillWrittenBack() {
        // Handed back to legacy one second after the service's change below was committed.
        postgres.execute(
                PostgresFixture.TARGET,
                "UPDATE fleet_ownership SET owner = 'LEGACY', since = '2023-11-14 22:13:21' WHERE partition_value = "
                        + "'NORTH'");
        Struct later = SERVICE.postgresSource(101).put("ts_ms", ChangeEvents.COMMITTED_MS + 2_000);

        task.put(List.of(change("u", vehicle("4711", "SOLD", "1.0", "NORTH", at(10, 0)))));
        task.put(List.of(
                sink(SERVICE.change("u", null, vehicle("4711", "SCRAPPED", "2.0", "NORTH", at(10, 5)), later))));

        assertEquals(List.of(List.of("S")), legacy("SELECT state_cd FROM fleet.vehicle WHERE veh_no = 4711"));
        assertEquals(1, context.errant.size(), "the change after the hand-back is a service write legacy owns");
        assertTrue(context.reasons.get(0).getMessage().startsWith("SERVICE_WRITE_BEFORE_CUTOVER"));
    }

    @Test
    void theServicesFirstChangesAfterAMoveWaitUntilTheForwardLaneHasAppliedLegacysChangesBeforeIt() {
        long movedAt = System.currentTimeMillis() - 1_000;
        task.put(List.of());
        postgres.execute(
                PostgresFixture.TARGET,
                "INSERT INTO fleet_moves (migration_unit, partition_value, to_owner, status, decided_by, "
                        + "decided_at_ms) VALUES ('vehicle', 'NORTH', 'TARGET', 'DONE', 'fleet-forward', " + movedAt
                        + ")");
        SinkRecord first = sink(SERVICE.change(
                "u",
                null,
                vehicle("4711", "SOLD", "1.0", "NORTH", at(10, 0)),
                SERVICE.postgresSource(100).put("ts_ms", movedAt + 500)));

        assertThrows(
                RetriableException.class,
                () -> task.put(List.of(first)),
                "held: nothing shows the forward " + "lane has applied legacy's changes before the move");
        assertEquals(List.of(List.of("A")), legacy("SELECT state_cd FROM fleet.vehicle WHERE veh_no = 4711"));
        assertEquals(List.of(1_000L), context.timeouts, "delivered again in a second");

        // The forward lane applies a legacy change committed after the move: everything before it is in.
        postgres.execute(
                PostgresFixture.TARGET,
                "INSERT INTO fleet_progress VALUES ('fleet-forward', 'fleet.fleet.vehicle', 0, 'FORWARD', 'vehicle', "
                        + (movedAt + 10) + ", '991', 40, NULL, " + System.currentTimeMillis() + ")");
        task.put(List.of(first));
        assertEquals(List.of(List.of("S")), legacy("SELECT state_cd FROM fleet.vehicle WHERE veh_no = 4711"));
        assertTrue(context.errant.isEmpty(), () -> context.reasons.toString());
    }

    @Test
    void aMoveBackToLegacyIsRefusedWhileTheWritebackLagsAndDecidedOnceItHasNothingLeft() throws Exception {
        postgres.execute(
                PostgresFixture.TARGET,
                "CREATE TABLE fleet_moves (move_id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
                        + "migration_unit varchar(255) NOT NULL, partition_value varchar(255) NOT NULL, "
                        + "to_owner varchar(16) NOT NULL, requested_by varchar(255), status varchar(16), "
                        + "reason varchar(1000), decided_by varchar(255), decided_at_ms bigint, "
                        + "lane_position varchar(255), lane_committed_at_ms bigint, lane_lag_ms bigint)",
                "INSERT INTO fleet_moves (migration_unit, partition_value, to_owner, requested_by) VALUES "
                        + "('vehicle', 'NORTH', 'LEGACY', 'rollback drill')");
        // The service's change reaches the lane ten minutes after its commit: the lane is far behind.
        task.put(List.of(sink(SERVICE.change(
                "u",
                null,
                vehicle("4711", "SOLD", "1.0", "NORTH", at(10, 0)),
                SERVICE.postgresSource(100).put("ts_ms", System.currentTimeMillis() - 600_000)))));
        assertEquals(
                List.of(List.of("REFUSED", "TARGET")),
                postgres.query(
                        PostgresFixture.TARGET,
                        "SELECT m.status, o.owner FROM fleet_moves m, fleet_ownership o WHERE o.partition_value = "
                                + "'NORTH'"));

        postgres.execute(
                PostgresFixture.TARGET,
                "INSERT INTO fleet_moves (migration_unit, partition_value, to_owner, requested_by) VALUES "
                        + "('vehicle', 'NORTH', 'LEGACY', 'rollback drill')");
        Thread.sleep(600);
        task.put(List.of());
        assertEquals(
                List.of(List.of("DONE", "LEGACY")),
                postgres.query(
                        PostgresFixture.TARGET,
                        "SELECT m.status, o.owner FROM fleet_moves m, fleet_ownership o WHERE o.partition_value = "
                                + "'NORTH' AND m.move_id = 2"));
    }

    @Test
    void aServiceWriteJustAfterAMoveIsWrittenBackBeforeTheCachedOwnershipAnswerExpires() throws Exception {
        task.stop();
        task = start(VEHICLE_SPEC + "\n---\n" + TAX_SPEC, Map.of("ownership.refresh.ms", "600000"));
        long now = System.currentTimeMillis();
        SinkRecord early = sink(SERVICE.change(
                "u",
                null,
                vehicle("4712", "SOLD", "1.0", "SOUTH", at(10, 0)),
                SERVICE.postgresSource(100).put("ts_ms", now - 10_000)));
        task.put(List.of(early));
        assertEquals(List.of(early), context.errant, "SOUTH is legacy's: the service's write is reported");

        // SOUTH moves to the service while the task holds the answer it read above, for ten minutes.
        postgres.execute(
                PostgresFixture.TARGET,
                "UPDATE fleet_ownership SET owner = 'TARGET', since = now() AT TIME ZONE 'UTC' - interval '2 seconds' "
                        + "WHERE partition_value = 'SOUTH'");
        Thread.sleep(300);
        task.put(List.of(sink(SERVICE.change(
                "u",
                null,
                vehicle("4712", "SCRAPPED", "1.0", "SOUTH", at(10, 5)),
                SERVICE.postgresSource(101).put("ts_ms", System.currentTimeMillis())))));

        assertEquals(List.of(List.of("X")), legacy("SELECT state_cd FROM fleet.vehicle WHERE veh_no = 4712"));
        assertEquals(1, context.errant.size(), "only the write from before the move was reported");
    }

    @Test
    void aServicePublishingItsOwnChangeEventsIsWrittenBackFromTheSmallestEnvelope() {
        // What a service that publishes its own events must send: op, the row after (and before), and when it was
        // committed; no transaction id, since no other lane writes these events.
        Schema source = SchemaBuilder.struct()
                .name("fleet.service.Source")
                .field("ts_ms", Schema.INT64_SCHEMA)
                .build();
        Schema envelope = SchemaBuilder.struct()
                .name("fleet.service.vehicle.Envelope")
                .field("before", SERVICE_ROW)
                .field("after", SERVICE_ROW)
                .field("op", Schema.STRING_SCHEMA)
                .field("source", source)
                .build();
        Struct event = new Struct(envelope)
                .put("after", vehicle("4711", "SOLD", "3.0", "NORTH", at(12, 0)))
                .put("op", "u")
                .put("source", new Struct(source).put("ts_ms", ChangeEvents.COMMITTED_MS));

        task.put(List.of(new SinkRecord("fleet.service.vehicle", 0, null, null, envelope, event, 0)));

        assertTrue(context.errant.isEmpty(), () -> context.reasons.toString());
        assertEquals(
                List.of(List.of("S", 30L)),
                legacy("SELECT state_cd, odo_tenths FROM fleet.vehicle WHERE veh_no = 4711"));
    }

    @Test
    void theForwardLanesOwnWritesInTheServicesTableAreNotWrittenBack() throws SQLException {
        long forwardTransaction = 5_000_123L;
        try (Connection service = postgres.connect(PostgresFixture.TARGET)) {
            service.setAutoCommit(false);
            LaneTransactions lanes = new LaneTransactions(
                    io.rollingmigration.connect.common.dialect.Dialects.forUrl(postgres.jdbcUrl(PostgresFixture.TARGET))
                            .orElseThrow(),
                    io.rollingmigration.connect.common.dialect.TableId.parse("fleet_lane_transactions"),
                    "forward");
            lanes.ensureTable(service);
            lanes.record(service, LaneTransactions.Lane.FORWARD, forwardTransaction, ChangeEvents.COMMITTED_MS);
            service.commit();
        }
        Struct source = SERVICE.postgresSource(100).put("txId", forwardTransaction);

        task.put(List.of(sink(SERVICE.change("u", null, vehicle("4712", "SOLD", "1.0", "SOUTH", at(10, 0)), source))));

        assertTrue(context.errant.isEmpty(), "an echo of the forward lane is neither written nor reported");
        assertEquals(1.0, context.metric("changes-dropped-as-echoes-total"));
        assertEquals(List.of(List.of("A")), legacy("SELECT state_cd FROM fleet.vehicle WHERE veh_no = 4712"));
    }

    @Test
    void aServiceValueWithNoLegacyCounterpartGoesToTheDeadLetterQueueAndTheRestIsWritten() {
        task.put(List.of(
                change("u", vehicle("4711", "UNKNOWN", "1.0", "NORTH", at(10, 0))),
                change("c", created("NORTH", at(11, 0)))));

        assertEquals(1, context.errant.size());
        String reason = context.reasons.get(0).getMessage();
        assertTrue(
                reason.contains("aggregates.vehicle.writeback.columns.state_cd") && reason.contains("'UNKNOWN'"),
                reason);
        assertEquals(List.of(List.of("A")), legacy("SELECT state_cd FROM fleet.vehicle WHERE veh_no = 4711"));
        assertEquals(List.of(List.of(1L)), legacy("SELECT count(*) FROM fleet.vehicle WHERE veh_no >= 900000"));
    }

    @Test
    void aLegacyRowNewerThanTheServicesChangeIsNotOverwritten() {
        task.put(List.of(change("u", vehicle("4711", "SOLD", "1.0", "NORTH", LocalDateTime.of(2026, 11, 30, 0, 0)))));

        assertEquals(List.of(List.of("A")), legacy("SELECT state_cd FROM fleet.vehicle WHERE veh_no = 4711"));
        assertTrue(context.errant.isEmpty());
    }

    @Test
    void aDeleteRemovesTheFragmentBeforeTheRowItReferences() {
        Struct before = new Struct(SERVICE_ROW)
                .put("vehicle_id", "4711-service-id")
                .put("depot", "NORTH")
                .put("lineage_source_key", "{\"veh_no\":4711}");

        task.put(List.of(sink(SERVICE.change("d", before, null, SERVICE.postgresSource(100)))));

        assertEquals(List.of(List.of(0L)), legacy("SELECT count(*) FROM fleet.vehicle_tax WHERE veh_no = 4711"));
        assertEquals(List.of(List.of(0L)), legacy("SELECT count(*) FROM fleet.vehicle WHERE veh_no = 4711"));
    }

    @Test
    void severalChangesOfOneVehicleInABatchLeaveItsLastState() {
        task.put(List.of(
                change("u", vehicle("4711", "SOLD", "1.0", "NORTH", at(10, 0))),
                change("u", vehicle("4711", "SCRAPPED", "2.0", "NORTH", at(10, 5)))));

        assertEquals(
                List.of(List.of("X", 20L)),
                legacy("SELECT state_cd, odo_tenths FROM fleet.vehicle WHERE veh_no = 4711"));
    }

    @Test
    void aVehicleTheServiceCreatesAndDeletesBeforeLegacyHeldItLeavesNothingBehind() {
        Struct created = created("NORTH", at(11, 0));
        Struct before = new Struct(SERVICE_ROW)
                .put("vehicle_id", "new-vehicle-1")
                .put("depot", "NORTH")
                .put("lineage_source_key", null);
        task.put(List.of(change("c", created), sink(SERVICE.change("d", before, null, SERVICE.postgresSource(101)))));
        task.put(List.of(sink(SERVICE.change("d", before, null, SERVICE.postgresSource(102)))));

        assertEquals(List.of(List.of(0L)), legacy("SELECT count(*) FROM fleet.vehicle WHERE veh_no >= 900000"));
        assertTrue(context.errant.isEmpty(), () -> context.reasons.toString());
    }

    @Test
    void aDeleteWhoseRowBeforeCarriesOnlyTheIdAsksForFullReplicaIdentity() {
        Schema keyOnly = SchemaBuilder.struct()
                .name(ChangeEvents.rowName("fleet_service", "public", "vehicle"))
                .optional()
                .field("vehicle_id", Schema.STRING_SCHEMA)
                .field("depot", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        ChangeEvents keyOnlyEvents = ChangeEvents.of(
                "fleet_service", "public", "vehicle", keyOnly, ChangeEvents.POSTGRES_SOURCE, "vehicle_id");
        Struct before = new Struct(keyOnly).put("vehicle_id", "4711-service-id").put("depot", "NORTH");

        task.put(List.of(sink(keyOnlyEvents.change("d", before, null, keyOnlyEvents.postgresSource(100)))));

        assertEquals(1, context.errant.size());
        assertTrue(context.reasons.get(0).getMessage().contains("REPLICA IDENTITY FULL"), context.reasons.toString());
        assertEquals(List.of(List.of(1L)), legacy("SELECT count(*) FROM fleet.vehicle WHERE veh_no = 4711"));
    }

    @Test
    void eachBatchRecordsItsLegacyTransactionSoTheForwardLaneKnowsItsEcho() {
        task.put(List.of(change("u", vehicle("4711", "SOLD", "1.0", "NORTH", at(10, 0)))));

        Object writer = legacy("SELECT xmin::text::bigint FROM fleet.vehicle WHERE veh_no = 4711")
                .get(0)
                .get(0);
        assertEquals(
                List.of(List.of("WRITEBACK", writer)),
                postgres.query(PostgresFixture.TARGET, "SELECT lane, short_id FROM fleet_lane_transactions"));
    }

    @Test
    void offsetsAreKeptInLegacySoARestartResumesAfterTheLastWrittenBatch() {
        task.put(List.of(change("u", vehicle("4711", "SOLD", "1.0", "NORTH", at(10, 0)))));
        task.stop();

        task = start(VEHICLE_SPEC + "\n---\n" + TAX_SPEC);
        task.open(List.of(new TopicPartition(SERVICE.topic(), 0)));

        assertEquals(Map.of(new TopicPartition(SERVICE.topic(), 0), 1L), context.seeks);
    }

    private Struct vehicle(String id, String state, String odometer, String depot, LocalDateTime changedAt) {
        return new Struct(SERVICE_ROW)
                .put("vehicle_id", id + "-service-id")
                .put("plate", PLATES.getOrDefault(id, "KA-?"))
                .put("state", state)
                .put("odometer_km", new BigDecimal(odometer))
                .put(
                        "registered_on",
                        java.util.Date.from(
                                LocalDate.of(2021, 3, 1).atStartOfDay().toInstant(ZoneOffset.UTC)))
                .put("depot", depot)
                .put("changed_at", ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0), changedAt))
                .put("annual_tax", tax("240.00"))
                .put("lineage_source_key", "{\"veh_no\":" + id + "}");
    }

    private Struct created(String depot, LocalDateTime changedAt) {
        return vehicle("0", "ACTIVE", "0.5", depot, changedAt)
                .put("vehicle_id", "new-vehicle-1")
                .put("plate", "KA-NEW 1")
                .put("annual_tax", tax("12.00"))
                .put("lineage_source_key", null);
    }

    private static BigDecimal tax(String amount) {
        return new BigDecimal(amount);
    }

    private static LocalDateTime at(int hour, int minute) {
        return LocalDateTime.of(2026, 12, 7, hour, minute);
    }

    private SinkRecord change(String op, Struct after) {
        return sink(SERVICE.change(op, null, after, SERVICE.postgresSource(100)));
    }

    private SinkRecord sink(SourceRecord record) {
        return ChangeEvents.delivered(record, offsets.getAndIncrement());
    }

    private static List<List<Object>> legacy(String sql) {
        return new ArrayList<>(postgres.query(PostgresFixture.LEGACY, sql));
    }
}
