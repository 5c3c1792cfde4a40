package io.rollingmigration.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.connect.common.spec.AggregateTranslator;
import io.rollingmigration.connect.common.spec.SpecCompiler;
import io.rollingmigration.connect.common.spec.Uuid5;
import io.rollingmigration.testsupport.Await;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.SkeletonPipeline;
import io.rollingmigration.testsupport.TopicReader.TopicRecord;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Both lanes of a rolling migration through the packaged plugins, configured over REST: Debezium on the legacy
 * fleet register and on the fleet service's store, our transforms and sink forward, our write-back sink back. A
 * depot moves to the service, the service writes there (new vehicles too) while legacy keeps writing the other
 * depot, the depot is handed back, legacy writes it again: legacy ends holding what the service wrote, no vehicle
 * exists twice on either side, no change loops, and only the one genuine stray legacy write is reported.
 */
class WritebackLaneIT {

    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final String LEGACY = "fleet";
    private static final String SERVICE = "fleet_service";
    private static final String FORWARD_TOPIC = "fleet.fleet.vehicle";
    private static final String SERVICE_TOPIC = "fleet_service.public.vehicle";
    private static final String FORWARD_DLQ = "fleet.dlq.forward";
    private static final String WRITEBACK_DLQ = "fleet.dlq.writeback";
    private static final int VEHICLES = 40;

    static final String SPEC = String.join(
            "\n",
            "name: fleet-vehicle",
            "version: 1",
            "source: fleet.vehicle",
            "aggregates:",
            "  vehicle:",
            "    key: {field: vehicle_id, column: vehicle_id}",
            "    ownership: depot",
            "    fields:",
            "      plate: plate",
            "      state: {from: state_cd, map: {A: ACTIVE, S: SOLD, X: SCRAPPED}, unmapped: error}",
            "      odometer_km: {type: decimal(1), expr: \"decimal(after.odo_tenths) / 10\"}",
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
            "        notes: {keep: previous, default: 'created by the fleet service'}");

    private static PostgresFixture postgres;

    @RegisterExtension
    static final InstalledCluster connect = InstalledCluster.standard();

    @BeforeAll
    static void bothStoresAndBothLanes() {
        postgres = PostgresFixture.shared();
        postgres.createDatabase(LEGACY);
        postgres.createDatabase(SERVICE);
        postgres.execute(
                LEGACY,
                "DROP SCHEMA IF EXISTS fleet CASCADE",
                "DROP SCHEMA IF EXISTS fleet_lane CASCADE",
                "CREATE SCHEMA fleet",
                "CREATE TABLE fleet.vehicle (veh_no bigint PRIMARY KEY, plate varchar(12) NOT NULL, "
                        + "state_cd char(1) NOT NULL, odo_tenths bigint NOT NULL, depot text NOT NULL, "
                        + "notes text NOT NULL DEFAULT '', changed_at timestamp(3) NOT NULL)",
                "CREATE SEQUENCE fleet.vehicle_no_seq START 900000",
                "INSERT INTO fleet.vehicle SELECT n, 'KA-' || n, 'A', n * 1000, "
                        + "CASE WHEN n % 2 = 0 THEN 'NORTH' ELSE 'SOUTH' END, 'note ' || n, "
                        + "timestamp '2026-12-01 08:00' + n * interval '1 second' FROM generate_series(1, "
                        + VEHICLES + ") n");
        postgres.execute(
                SERVICE,
                "DROP SCHEMA public CASCADE",
                "CREATE SCHEMA public",
                "CREATE TABLE public.vehicle (vehicle_id text PRIMARY KEY, plate text, state text, "
                        + "odometer_km numeric(12,1), depot text, changed_at timestamp(3), "
                        + "lineage_source_system text, lineage_source_table text, lineage_source_key text, "
                        + "lineage_source_position bigint, lineage_source_committed_at timestamptz, "
                        + "lineage_operation text, lineage_snapshot text, lineage_rule text, "
                        + "lineage_translated_at timestamptz, lineage_applied_at timestamptz, "
                        + "lineage_deleted_at timestamptz)",
                // The write-back reads a delete's lineage from the row before it.
                "ALTER TABLE public.vehicle REPLICA IDENTITY FULL",
                "CREATE TABLE public.migration_ownership (migration_unit varchar(255) NOT NULL, "
                        + "partition_value varchar(255) NOT NULL, owner varchar(16) NOT NULL, since timestamp, "
                        + "PRIMARY KEY (migration_unit, partition_value))",
                "INSERT INTO public.migration_ownership VALUES ('vehicle', '*', 'LEGACY', now())");
        for (String topic : List.of(FORWARD_TOPIC, SERVICE_TOPIC)) {
            connect.createTopic(topic, 3, Map.of());
        }
        connect.createTopic(FORWARD_DLQ, 1, Map.of());
        connect.createTopic(WRITEBACK_DLQ, 1, Map.of());

        SkeletonPipeline pipeline = connect.pipelineFor(postgres);
        putAndAwait("fleet-legacy-cdc", debezium(pipeline, LEGACY, LEGACY, "fleet.vehicle"));
        putAndAwait("fleet-writeback", writeback());
        putAndAwait("fleet-forward", forward());
        putAndAwait("fleet-service-cdc", debezium(pipeline, SERVICE, SERVICE, "public.vehicle"));
    }

    @Test
    void aDepotMovesToTheServiceAndBackWithoutLosingOrDuplicatingAVehicle() {
        awaitService("the backfill", () -> liveServiceRows() == VEHICLES);
        legacyWrites(
                "UPDATE fleet.vehicle SET odo_tenths = odo_tenths + 5, changed_at = changed_at + interval '1 hour' "
                        + "WHERE veh_no IN (2, 3)");
        awaitService("the live legacy writes", () -> odometer(2).equals(new BigDecimal("200.5")));

        setOwner("NORTH", "TARGET");
        // The service writes in the depot it owns: updates, new vehicles, deletes; legacy keeps writing SOUTH, and
        // one legacy screen still writes a NORTH vehicle (the stray write), which the service then overwrites.
        legacyWrites("UPDATE fleet.vehicle SET notes = 'stray screen', state_cd = 'X', changed_at = now() "
                + "WHERE veh_no = 4");
        serviceWrites(
                "UPDATE public.vehicle SET state = 'SOLD', odometer_km = odometer_km + 1.5, "
                        + "changed_at = changed_at + interval '2 hours' WHERE depot = 'NORTH' AND plate IN ('KA-2', "
                        + "'KA-6', 'KA-8')",
                "UPDATE public.vehicle SET state = 'ACTIVE', changed_at = now() + interval '1 minute' "
                        + "WHERE plate = 'KA-4'",
                "INSERT INTO public.vehicle (vehicle_id, plate, state, odometer_km, depot, changed_at) VALUES "
                        + "(gen_random_uuid()::text, 'NEW-1', 'ACTIVE', 0.5, 'NORTH', '2026-12-07 10:00'), "
                        + "(gen_random_uuid()::text, 'NEW-2', 'ACTIVE', 12.0, 'NORTH', '2026-12-07 10:01'), "
                        + "(gen_random_uuid()::text, 'NEW-3', 'ACTIVE', 7.3, 'NORTH', '2026-12-07 10:02')",
                "DELETE FROM public.vehicle WHERE plate IN ('KA-10', 'KA-12')");
        legacyWrites(
                "UPDATE fleet.vehicle SET odo_tenths = odo_tenths + 1, changed_at = changed_at + interval '3 hours' "
                        + "WHERE depot = 'SOUTH' AND veh_no <= 9");
        serviceWrites(
                "UPDATE public.vehicle SET odometer_km = 99.9, changed_at = '2026-12-07 11:00' WHERE plate = 'NEW-2'");
        awaitLegacy(
                "the service's writes in legacy",
                () -> count("SELECT count(*) FROM fleet.vehicle WHERE veh_no >= 900000") == 3
                        && count("SELECT count(*) FROM fleet.vehicle WHERE veh_no IN (10, 12)") == 0
                        && count("SELECT count(*) FROM fleet.vehicle WHERE plate = 'NEW-2' AND odo_tenths = 999") == 1
                        && count("SELECT count(*) FROM fleet.vehicle WHERE veh_no = 4 AND state_cd = 'A'") == 1);

        setOwner("NORTH", "LEGACY");
        legacyWrites(
                "UPDATE fleet.vehicle SET odo_tenths = odo_tenths + 100, changed_at = now() WHERE plate IN ('NEW-1', "
                        + "'KA-6')",
                "INSERT INTO fleet.vehicle VALUES (77, 'KA-77', 'A', 1, 'NORTH', '', now())");
        awaitService(
                "legacy's writes after the hand-back",
                () -> count(SERVICE, "SELECT count(*) FROM public.vehicle WHERE plate = 'NEW-1' AND odometer_km = 10.5")
                                == 1
                        && count(SERVICE, "SELECT count(*) FROM public.vehicle WHERE plate = 'KA-77'") == 1);

        awaitQuiet();
        assertLegacyHoldsWhatTheServiceHolds();
        List<TopicRecord> strays = connect.topics().readAll(FORWARD_DLQ);
        assertEquals(1, strays.size(), () -> "only the genuine stray legacy write is reported: " + strays);
        assertTrue(strays.get(0).headers().values().stream().anyMatch(h -> h.contains("LEGACY_WRITE_AFTER_CUTOVER")));
        assertEquals(List.of(), connect.topics().readAll(WRITEBACK_DLQ));
    }

    /** Every legacy vehicle, translated through the spec, is the service's vehicle; nothing exists twice. */
    private static void assertLegacyHoldsWhatTheServiceHolds() {
        AggregateTranslator forward = SpecCompiler.compile(SPEC, "vehicle");
        Map<String, String> ids = new HashMap<>();
        for (List<Object> pair : postgres.query(LEGACY, "SELECT legacy_id, target_id FROM fleet_lane.vehicle_id_map")) {
            ids.put(pair.get(0).toString(), pair.get(1).toString());
        }
        Map<String, String> expected = new TreeMap<>();
        for (List<Object> row : postgres.query(
                LEGACY, "SELECT veh_no, plate, state_cd, odo_tenths, depot, changed_at FROM fleet.vehicle")) {
            Map<String, Object> legacy = new HashMap<>();
            legacy.put("veh_no", ((Number) row.get(0)).longValue());
            legacy.put("plate", row.get(1));
            legacy.put("state_cd", row.get(2));
            legacy.put("odo_tenths", ((Number) row.get(3)).longValue());
            legacy.put("depot", row.get(4));
            legacy.put("changed_at", ((Timestamp) row.get(5)).toLocalDateTime());
            String veh = row.get(0).toString();
            String id = ids.getOrDefault(
                    veh,
                    Uuid5.of(Uuid5.namespace("url"), "{\"veh_no\":" + veh + "}").toString());
            legacy.put("vehicle_id", id);
            Struct aggregate = forward.translate(id, legacy, Map.of(), Map.of(), "r");
            String previous = expected.put(
                    id,
                    String.join(
                            "|",
                            aggregate.getString("plate"),
                            aggregate.getString("state"),
                            ((BigDecimal) aggregate.get("odometer_km")).toPlainString(),
                            aggregate.getString("depot"),
                            LocalDateTime.ofInstant(
                                            ((java.util.Date) aggregate.get("changed_at")).toInstant(), ZoneOffset.UTC)
                                    .toString()));
            assertEquals(null, previous, "two legacy vehicles stand for service vehicle " + id);
        }
        Map<String, String> actual = new TreeMap<>();
        for (List<Object> row : postgres.query(
                SERVICE,
                "SELECT vehicle_id, plate, state, odometer_km, depot, changed_at FROM public.vehicle "
                        + "WHERE lineage_deleted_at IS NULL")) {
            actual.put(
                    row.get(0).toString(),
                    String.join(
                            "|",
                            row.get(1).toString(),
                            row.get(2).toString(),
                            ((BigDecimal) row.get(3)).toPlainString(),
                            row.get(4).toString(),
                            ((Timestamp) row.get(5)).toLocalDateTime().toString()));
        }
        assertEquals(
                VEHICLES - 2 + 3 + 1,
                expected.size(),
                "forty, two deleted by the service, three it created, one " + "legacy created after the hand-back");
        assertEquals(expected, actual, "legacy, read through the spec, is the service's store row by row");
    }

    private static Map<String, String> forward() {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "io.rollingmigration.connect.sink.TargetStoreSinkConnector");
        config.put("tasks.max", "1");
        config.put("topics", FORWARD_TOPIC);
        config.putAll(postgres.connectionSettings("", SERVICE));
        config.put("target.table", "public.vehicle");
        config.put("transforms", "id,translate");
        config.put("transforms.id.type", "io.rollingmigration.connect.smt.identity.MapId$Value");
        config.put("transforms.id.source.fields", "veh_no");
        config.put("transforms.id.target.field", "vehicle_id");
        config.put("transforms.id.mode", "lookup");
        config.put("transforms.id.missing", "fallback.uuid5");
        config.put("transforms.id.uuid.namespace", "url");
        config.put("transforms.id.lookup.table", "fleet_lane.vehicle_id_map");
        config.put("transforms.id.lookup.connection.url", postgres.jdbcUrl(LEGACY));
        config.put("transforms.id.lookup.connection.user", postgres.user());
        config.put("transforms.id.lookup.connection.password", postgres.password());
        config.put("transforms.translate.type", "io.rollingmigration.connect.smt.translate.TranslateAggregate");
        config.put("transforms.translate.spec", SPEC);
        config.put("transforms.translate.aggregate", "vehicle");
        config.put("ownership.table", "public.migration_ownership");
        config.put("ownership.unit", "vehicle");
        config.put("ownership.partition.field", "depot");
        config.put("ownership.refresh.ms", "200");
        config.put("lane.transactions.table", "public.migration_lane_transactions");
        config.put("offsets.storage", "target");
        return withDeadLetterQueue(config, FORWARD_DLQ);
    }

    private static Map<String, String> writeback() {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "io.rollingmigration.connect.sink.writeback.LegacyWritebackSinkConnector");
        config.put("tasks.max", "1");
        config.put("topics", SERVICE_TOPIC);
        config.putAll(postgres.connectionSettings("legacy.", LEGACY));
        config.putAll(postgres.connectionSettings("service.", SERVICE));
        config.put("mapping.spec", SPEC);
        config.put("aggregate", "vehicle");
        config.put("bookkeeping.schema", "fleet_lane");
        config.put("ownership.table", "public.migration_ownership");
        config.put("ownership.refresh.ms", "200");
        config.put("lane.transactions.table", "public.migration_lane_transactions");
        return withDeadLetterQueue(config, WRITEBACK_DLQ);
    }

    private static Map<String, String> withDeadLetterQueue(Map<String, String> config, String topic) {
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", topic);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        return config;
    }

    private static Map<String, String> debezium(
            SkeletonPipeline pipeline, String database, String prefix, String table) {
        Map<String, String> config =
                new HashMap<>(pipeline.debeziumSource(postgres.port()).config());
        config.put("database.dbname", database);
        config.put("topic.prefix", prefix);
        config.put("slot.name", prefix + "_cdc");
        config.put("publication.name", prefix + "_cdc");
        config.put("table.include.list", table);
        config.put("time.precision.mode", "adaptive");
        return config;
    }

    private static void putAndAwait(String name, Map<String, String> config) {
        assertEquals(
                0,
                connect.rest().validate(config.get("connector.class"), config).errorCount(),
                name);
        connect.rest().putConnector(name, config);
        connect.rest().awaitRunning(name, 1, PATIENCE);
    }

    private static void setOwner(String depot, String owner) {
        postgres.execute(
                SERVICE,
                "INSERT INTO public.migration_ownership VALUES ('vehicle', '" + depot + "', '" + owner + "', now()) "
                        + "ON CONFLICT (migration_unit, partition_value) DO UPDATE SET owner = EXCLUDED.owner, "
                        + "since = EXCLUDED.since");
        // Both gates cache an answer for ownership.refresh.ms.
        sleep(1_000);
    }

    /** Waits until neither lane moves: both change topics and the service's store hold still for a while. */
    private static void awaitQuiet() {
        List<Long> last = new ArrayList<>(List.of(-1L));
        Await.until(PATIENCE, "both lanes at rest", () -> {
            long now = connect.topics().readAll(FORWARD_TOPIC).size()
                    + 1000L * connect.topics().readAll(SERVICE_TOPIC).size();
            boolean still = now == last.get(0);
            last.set(0, now);
            if (!still) {
                sleep(5_000);
            }
            return still;
        });
    }

    private static void legacyWrites(String... sql) {
        postgres.execute(LEGACY, sql);
    }

    private static void serviceWrites(String... sql) {
        postgres.execute(SERVICE, sql);
    }

    private static long liveServiceRows() {
        return count(SERVICE, "SELECT count(*) FROM public.vehicle WHERE lineage_deleted_at IS NULL");
    }

    private static BigDecimal odometer(long vehNo) {
        List<List<Object>> rows =
                postgres.query(SERVICE, "SELECT odometer_km FROM public.vehicle WHERE plate = 'KA-" + vehNo + "'");
        return rows.isEmpty() ? BigDecimal.ZERO : (BigDecimal) rows.get(0).get(0);
    }

    private static void awaitService(String what, BooleanSupplier condition) {
        awaitWithDiagnosis(what, condition);
    }

    private static void awaitLegacy(String what, BooleanSupplier condition) {
        awaitWithDiagnosis(what, condition);
    }

    /** On a timeout, says what each connector, topic and dead letter queue holds. */
    private static void awaitWithDiagnosis(String what, BooleanSupplier condition) {
        try {
            Await.until(PATIENCE, what, condition);
        } catch (AssertionError e) {
            StringBuilder state = new StringBuilder(e.getMessage());
            for (String name : List.of("fleet-legacy-cdc", "fleet-forward", "fleet-service-cdc", "fleet-writeback")) {
                state.append("\n")
                        .append(name)
                        .append(": ")
                        .append(connect.rest().status(name));
            }
            for (String topic : List.of(FORWARD_TOPIC, SERVICE_TOPIC)) {
                state.append("\n")
                        .append(topic)
                        .append(": ")
                        .append(connect.topics().readAll(topic).size());
            }
            for (String topic : List.of(FORWARD_DLQ, WRITEBACK_DLQ)) {
                List<TopicRecord> records = connect.topics().readAll(topic);
                state.append("\n").append(topic).append(": ").append(records.size());
                records.stream().limit(3).forEach(r -> state.append("\n  ").append(r.headers()));
            }
            state.append("\nservice rows: ").append(postgres.query(SERVICE, "SELECT count(*) FROM public.vehicle"));
            throw new AssertionError(state.toString(), e);
        }
    }

    private static long count(String sql) {
        return count(LEGACY, sql);
    }

    private static long count(String database, String sql) {
        return ((Number) postgres.query(database, sql).get(0).get(0)).longValue();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
