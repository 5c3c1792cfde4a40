package io.rollingmigration.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollingmigration.connect.common.spec.AggregateTranslator;
import io.rollingmigration.connect.common.spec.SpecCompiler;
import io.rollingmigration.connect.common.spec.Uuid5;
import io.rollingmigration.testsupport.Await;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.TopicReader.TopicRecord;
import java.math.BigDecimal;
import java.nio.file.Files;
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
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Both lanes of a rolling migration through the packaged plugins, configured over REST: Debezium on the legacy
 * fleet register and on the fleet service's store, our transforms and sink forward, our write-back sink back. A
 * depot moves to the service, the service writes there (new vehicles too) while legacy keeps writing the other
 * depot, the depot is handed back, legacy writes it again: legacy ends holding what the service wrote, no vehicle
 * exists twice on either side, no change loops, and only the one genuine stray legacy write is reported.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WritebackLaneIT {

    private static final Duration PATIENCE = Duration.ofSeconds(150);
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

    /** The legacy register's own PostgreSQL, so that it can be stopped while the service's store runs on. */
    private static PostgresFixture legacyServer;

    private static PostgresFixture serviceServer;

    @RegisterExtension
    static final InstalledCluster connect = InstalledCluster.adjusted(
            builder -> builder.workers(2).workerProperty("scheduled.rebalance.max.delay.ms", "0"));

    /** What happens to the lanes while the service writes in the depot it owns. */
    enum Disruption {
        NONE,
        WORKER_KILLED,
        LEGACY_DOWN_FOR_30_SECONDS
    }

    private String legacy;
    private String service;
    private String forwardTopic;
    private String serviceTopic;
    private String forwardDlq;
    private String writebackDlq;
    private List<String> connectors;

    @BeforeAll
    static void servers() throws Exception {
        legacyServer = PostgresFixture.startOwned();
        serviceServer = PostgresFixture.shared();
        Files.createDirectories(connect.secrets());
        Files.writeString(
                connect.secrets().resolve("fleet-legacy.properties"), "password=" + legacyServer.password() + "\n");
        Files.writeString(
                connect.secrets().resolve("fleet-service.properties"), "password=" + serviceServer.password() + "\n");
    }

    @AfterAll
    static void stopLegacy() {
        if (legacyServer != null) {
            legacyServer.close();
        }
    }

    @Test
    @Order(1)
    void aDepotMovesToTheServiceAndBackWithoutLosingOrDuplicatingAVehicle() throws Exception {
        scenario("fleet_a", Disruption.NONE);
    }

    @Test
    @Order(2)
    void aWorkerKilledWhileTheServiceWritesLosesAndDuplicatesNothing() throws Exception {
        scenario("fleet_b", Disruption.WORKER_KILLED);
    }

    @Test
    @Order(3)
    void legacyDownForThirtySecondsWhileTheServiceWritesLosesAndDuplicatesNothing() throws Exception {
        scenario("fleet_c", Disruption.LEGACY_DOWN_FOR_30_SECONDS);
    }

    private void scenario(String name, Disruption disruption) throws Exception {
        legacy = name;
        service = name + "_service";
        forwardTopic = legacy + ".fleet.vehicle";
        serviceTopic = service + ".public.vehicle";
        forwardDlq = name + ".dlq.forward";
        writebackDlq = name + ".dlq.writeback";
        connectors = List.of(name + "-legacy-cdc", name + "-writeback", name + "-forward", name + "-service-cdc");
        createStores();
        startLanes();
        try {
            play(disruption);
        } finally {
            connectors.forEach(connector -> connect.rest().deleteConnector(connector));
            dropSlot(legacyServer, legacy);
            dropSlot(serviceServer, service);
        }
    }

    /** The replication slot of a deleted Debezium connector, so the server does not keep WAL for it. */
    private static void dropSlot(PostgresFixture server, String database) {
        String inactive = "FROM pg_replication_slots WHERE slot_name = '" + database + "_cdc' AND NOT active";
        Await.until(
                Duration.ofSeconds(30),
                "slot " + database + "_cdc released",
                () -> count(server, database, "SELECT count(*) " + inactive) == 1
                        || count(
                                        server,
                                        database,
                                        "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + database
                                                + "_cdc'")
                                == 0);
        server.execute(database, "SELECT pg_drop_replication_slot(slot_name) " + inactive);
    }

    private void createStores() {
        legacyServer.createDatabase(legacy);
        serviceServer.createDatabase(service);
        legacyServer.execute(
                legacy,
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
        serviceServer.execute(
                service,
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
                "INSERT INTO public.migration_ownership VALUES ('vehicle', '*', 'LEGACY', now() AT TIME ZONE 'UTC')");
        for (String topic : List.of(forwardTopic, serviceTopic)) {
            connect.createTopic(topic, 3, Map.of());
        }
        connect.createTopic(forwardDlq, 1, Map.of());
        connect.createTopic(writebackDlq, 1, Map.of());
    }

    private void startLanes() {
        putAndAwait(connectors.get(0), debezium(legacyServer, "fleet-legacy", legacy, "fleet.vehicle"));
        putAndAwait(connectors.get(1), writeback());
        putAndAwait(connectors.get(2), forward());
        putAndAwait(connectors.get(3), debezium(serviceServer, "fleet-service", service, "public.vehicle"));
    }

    private void play(Disruption disruption) throws Exception {
        awaitService("the backfill", () -> liveServiceRows() == VEHICLES);
        legacyWrites(
                "UPDATE fleet.vehicle SET odo_tenths = odo_tenths + 5, changed_at = changed_at + interval '1 hour' "
                        + "WHERE veh_no IN (2, 3)");
        awaitService("the live legacy writes", () -> odometer(2).equals(new BigDecimal("200.5")));

        moveDepot("NORTH", "TARGET");
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
                        + "(gen_random_uuid()::text, 'NEW-3', 'ACTIVE', 7.3, 'NORTH', '2026-12-07 10:02')");
        disrupt(disruption);
        serviceWrites("DELETE FROM public.vehicle WHERE plate IN ('KA-10', 'KA-12')");
        if (disruption != Disruption.LEGACY_DOWN_FOR_30_SECONDS) {
            legacyWrites("UPDATE fleet.vehicle SET odo_tenths = odo_tenths + 1, "
                    + "changed_at = changed_at + interval '3 hours' WHERE depot = 'SOUTH' AND veh_no <= 9");
        }
        serviceWrites(
                "UPDATE public.vehicle SET odometer_km = 99.9, changed_at = '2026-12-07 11:00' WHERE plate = 'NEW-2'");
        recover(disruption);
        awaitLegacy(
                "the service's writes in legacy",
                () -> count("SELECT count(*) FROM fleet.vehicle WHERE veh_no >= 900000") == 3
                        && count("SELECT count(*) FROM fleet.vehicle WHERE veh_no IN (10, 12)") == 0
                        && count("SELECT count(*) FROM fleet.vehicle WHERE plate = 'NEW-2' AND odo_tenths = 999") == 1
                        && count("SELECT count(*) FROM fleet.vehicle WHERE veh_no = 4 AND state_cd = 'A'") == 1);

        // Before the hand-back, the reverse reconciler proves legacy holds everything the service wrote in NORTH.
        JsonNode reverse = reconciled("reverse");
        assertEquals(VEHICLES / 2 - 2 + 3, reverse.path("matched").asLong(), reverse::toString);

        moveDepot("NORTH", "LEGACY");
        legacyWrites(
                "UPDATE fleet.vehicle SET odo_tenths = odo_tenths + 100, changed_at = now() WHERE plate IN ('NEW-1', "
                        + "'KA-6')",
                "INSERT INTO fleet.vehicle VALUES (77, 'KA-77', 'A', 1, 'NORTH', '', now())");
        awaitService(
                "legacy's writes after the hand-back",
                () -> count(
                                        serviceServer,
                                        service,
                                        "SELECT count(*) FROM public.vehicle WHERE plate = 'NEW-1' "
                                                + "AND odometer_km = 10.5")
                                == 1
                        && count(serviceServer, service, "SELECT count(*) FROM public.vehicle WHERE plate = 'KA-77'")
                                == 1);
        if (disruption == Disruption.NONE) {
            secondRoundTrip();
        }

        awaitQuiet();
        long quietRecords = records();
        assertLegacyHoldsWhatTheServiceHolds();
        JsonNode forward = reconciled("forward");
        assertEquals(VEHICLES - 2 + 3 + 1, forward.path("matched").asLong(), forward::toString);
        assertEquals(quietRecords, records(), "no lane sends the other's writes round again");
        List<TopicRecord> strays = connect.topics().readAll(forwardDlq);
        assertEquals(1, strays.size(), () -> "only the genuine stray legacy write is reported: " + strays);
        assertTrue(strays.get(0).headers().values().stream().anyMatch(h -> h.contains("LEGACY_WRITE_AFTER_CUTOVER")));
        assertEquals(List.of(), connect.topics().readAll(writebackDlq));
    }

    private long downSince;

    /**
     * NORTH goes to the service and back a second time: the service creates one vehicle and deletes another there,
     * and legacy writes the new one once it owns NORTH again. Ids, echoes and the journal hold across round trips.
     */
    private void secondRoundTrip() {
        moveDepot("NORTH", "TARGET");
        serviceWrites(
                "INSERT INTO public.vehicle (vehicle_id, plate, state, odometer_km, depot, changed_at) VALUES "
                        + "(gen_random_uuid()::text, 'NEW-4', 'ACTIVE', 3.0, 'NORTH', '2026-12-07 12:00')",
                "DELETE FROM public.vehicle WHERE plate = 'KA-14'");
        awaitLegacy(
                "the second round's writes in legacy",
                () -> count("SELECT count(*) FROM fleet.vehicle WHERE plate = 'NEW-4'") == 1
                        && count("SELECT count(*) FROM fleet.vehicle WHERE veh_no = 14") == 0);
        moveDepot("NORTH", "LEGACY");
        legacyWrites("UPDATE fleet.vehicle SET odo_tenths = 77, changed_at = now() WHERE plate = 'NEW-4'");
        awaitService(
                "legacy's write of the second round's vehicle",
                () -> count(
                                serviceServer,
                                service,
                                "SELECT count(*) FROM public.vehicle WHERE plate = 'NEW-4' AND odometer_km = 7.7")
                        == 1);
    }

    /**
     * Runs a reconciler in this direction until a completed run finds no difference and no open drift, and
     * returns that run's summary; the connector is removed afterwards.
     */
    private JsonNode reconciled(String direction) {
        String name = legacy + "-reconcile-" + direction;
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "io.rollingmigration.connect.reconcile.ReconcileSourceConnector");
        config.put("tasks.max", "1");
        config.put("legacy.connection.url", legacyServer.jdbcUrl(legacy));
        config.put("legacy.connection.user", legacyServer.user());
        config.put("legacy.connection.password", secret("fleet-legacy"));
        config.put("target.connection.url", serviceServer.jdbcUrl(service));
        config.put("target.connection.user", serviceServer.user());
        config.put("target.connection.password", secret("fleet-service"));
        config.put("legacy.table", "fleet.vehicle");
        config.put("target.table", "public.vehicle");
        config.put("mapping.spec", SPEC);
        config.put("direction", direction);
        config.put("id.mapping.table", "fleet_lane.vehicle_id_map");
        config.put("ownership.table", "public.migration_ownership");
        config.put("lane.transactions.table", "public.migration_lane_transactions");
        config.put("drift.topic", name + ".drift");
        config.put("drift.state.bootstrap.servers", connect.bootstrapServers());
        config.put("interval.ms", "2000");
        config.put("recheck.delay.ms", "1000");
        putAndAwait(name, config);
        try {
            return DriftSummaries.await(
                    connect.topics(),
                    name + ".drift.summary",
                    PATIENCE,
                    summary -> DriftSummaries.differences(summary) == 0
                            && summary.path("open_drift").asLong() == 0,
                    "a " + direction + " run without drift");
        } finally {
            connect.rest().deleteConnector(name);
        }
    }

    /** Every record both lanes' change topics hold. */
    private long records() {
        return connect.topics().readAll(forwardTopic).size()
                + connect.topics().readAll(serviceTopic).size();
    }

    private void disrupt(Disruption disruption) {
        switch (disruption) {
            case NONE -> {}
            case WORKER_KILLED -> {
                // A worker other than the one this test talks REST to: its tasks move to the survivor.
                String rest = connect.rest().base().getHost() + ":"
                        + connect.rest().base().getPort();
                WorkerHandle victim = connect.cluster().workers().stream()
                        .filter(w ->
                                !rest.equals(w.url().getHost() + ":" + w.url().getPort()))
                        .findFirst()
                        .orElseThrow();
                connect.cluster().removeWorker(victim);
            }
            case LEGACY_DOWN_FOR_30_SECONDS -> {
                legacyServer.stopServer();
                downSince = System.nanoTime();
            }
        }
    }

    private void recover(Disruption disruption) throws InterruptedException {
        switch (disruption) {
            case NONE -> {}
            case WORKER_KILLED -> connect.cluster().addWorker();
            case LEGACY_DOWN_FOR_30_SECONDS -> {
                Thread.sleep(Math.max(0, 30_000 - (System.nanoTime() - downSince) / 1_000_000));
                legacyServer.startServer();
            }
        }
    }

    /** Every legacy vehicle, translated through the spec, is the service's vehicle; nothing exists twice. */
    private void assertLegacyHoldsWhatTheServiceHolds() {
        AggregateTranslator forward = SpecCompiler.compile(SPEC, "vehicle");
        Map<String, String> ids = new HashMap<>();
        for (List<Object> pair :
                legacyServer.query(legacy, "SELECT legacy_id, target_id FROM fleet_lane.vehicle_id_map")) {
            ids.put(pair.get(0).toString(), pair.get(1).toString());
        }
        Map<String, String> expected = new TreeMap<>();
        for (List<Object> row : legacyServer.query(
                legacy, "SELECT veh_no, plate, state_cd, odo_tenths, depot, changed_at FROM fleet.vehicle")) {
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
        for (List<Object> row : serviceServer.query(
                service,
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

    private Map<String, String> forward() {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "io.rollingmigration.connect.sink.TargetStoreSinkConnector");
        config.put("tasks.max", "1");
        config.put("topics", forwardTopic);
        config.putAll(serviceServer.connectionSettings("", service));
        config.put("target.table", "public.vehicle");
        config.put("transforms", "id,translate");
        config.put("transforms.id.type", "io.rollingmigration.connect.smt.identity.MapId$Value");
        config.put("transforms.id.source.fields", "veh_no");
        config.put("transforms.id.target.field", "vehicle_id");
        config.put("transforms.id.mode", "lookup");
        config.put("transforms.id.missing", "fallback.uuid5");
        config.put("transforms.id.uuid.namespace", "url");
        config.put("transforms.id.lookup.table", "fleet_lane.vehicle_id_map");
        config.put("transforms.id.lookup.connection.url", legacyServer.jdbcUrl(legacy));
        config.put("transforms.id.lookup.connection.user", legacyServer.user());
        config.put("transforms.id.lookup.connection.password", secret("fleet-legacy"));
        config.put("transforms.translate.type", "io.rollingmigration.connect.smt.translate.TranslateAggregate");
        config.put("transforms.translate.spec", SPEC);
        config.put("transforms.translate.aggregate", "vehicle");
        config.put("ownership.table", "public.migration_ownership");
        config.put("ownership.unit", "vehicle");
        config.put("ownership.partition.field", "depot");
        config.put("ownership.refresh.ms", "200");
        config.put("lane.transactions.table", "public.migration_lane_transactions");
        config.put("offsets.storage", "target");
        // An outage of the id mapping's database is retried by Connect (MapId's failure is retriable).
        config.put("errors.retry.timeout", "120000");
        config.put("errors.retry.delay.max.ms", "2000");
        return withDeadLetterQueue(config, forwardDlq);
    }

    private Map<String, String> writeback() {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "io.rollingmigration.connect.sink.writeback.LegacyWritebackSinkConnector");
        config.put("tasks.max", "1");
        config.put("topics", serviceTopic);
        config.put("legacy.connection.url", legacyServer.jdbcUrl(legacy));
        config.put("legacy.connection.user", legacyServer.user());
        config.put("legacy.connection.password", secret("fleet-legacy"));
        config.put("service.connection.url", serviceServer.jdbcUrl(service));
        config.put("service.connection.user", serviceServer.user());
        config.put("service.connection.password", secret("fleet-service"));
        config.put("mapping.spec", SPEC);
        config.put("aggregate", "vehicle");
        config.put("bookkeeping.schema", "fleet_lane");
        config.put("ownership.table", "public.migration_ownership");
        config.put("ownership.refresh.ms", "200");
        config.put("lane.transactions.table", "public.migration_lane_transactions");
        // Long enough to ride out the 30 s legacy outage: 12 tries 5 s apart.
        config.put("max.retries", "12");
        config.put("retry.backoff.ms", "5000");
        return withDeadLetterQueue(config, writebackDlq);
    }

    private static Map<String, String> withDeadLetterQueue(Map<String, String> config, String topic) {
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", topic);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        return config;
    }

    private static Map<String, String> debezium(PostgresFixture server, String secret, String database, String table) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        config.put("tasks.max", "1");
        config.put("database.hostname", server.host());
        config.put("database.port", Integer.toString(server.port()));
        config.put("database.user", server.user());
        config.put("database.password", secret(secret));
        config.put("database.dbname", database);
        config.put("topic.prefix", database);
        config.put("plugin.name", "pgoutput");
        config.put("slot.name", database + "_cdc");
        config.put("publication.name", database + "_cdc");
        config.put("publication.autocreate.mode", "filtered");
        config.put("table.include.list", table);
        config.put("snapshot.mode", "initial");
        config.put("time.precision.mode", "adaptive");
        config.put("decimal.handling.mode", "precise");
        config.put("tombstones.on.delete", "false");
        return config;
    }

    /** A password as the file config provider reads it from the cluster's secrets directory. */
    private static String secret(String name) {
        return "${file:" + connect.secrets().resolve(name + ".properties").toAbsolutePath() + ":password}";
    }

    private static void putAndAwait(String name, Map<String, String> config) {
        assertEquals(
                0,
                connect.rest().validate(config.get("connector.class"), config).errorCount(),
                name);
        connect.rest().putConnector(name, config);
        connect.rest().awaitRunning(name, 1, PATIENCE);
    }

    /**
     * Hands a depot over as an operator does: a request in the moves journal, decided by the lane that must be
     * caught up (the forward lane for TARGET, the write-back for LEGACY); waits for it to be carried out.
     */
    private void moveDepot(String depot, String owner) {
        String done = "SELECT count(*) FROM public.migration_ownership_moves WHERE to_owner = '" + owner
                + "' AND status = 'DONE'";
        long before = count(serviceServer, service, done);
        serviceServer.execute(
                service,
                "INSERT INTO public.migration_ownership_moves (migration_unit, partition_value, to_owner, "
                        + "requested_by) VALUES ('vehicle', '" + depot + "', '" + owner + "', 'WritebackLaneIT')");
        awaitService(
                "the move of " + depot + " to " + owner,
                () -> count(serviceServer, service, done) == before + 1
                        && count(
                                        serviceServer,
                                        service,
                                        "SELECT count(*) FROM public.migration_ownership WHERE partition_value = '"
                                                + depot + "' AND owner = '" + owner + "'")
                                == 1);
        // The other lane's gate caches its answer for ownership.refresh.ms.
        sleep(1_000);
    }

    /** Waits until neither lane moves: both change topics and the service's store hold still for a while. */
    private void awaitQuiet() {
        List<Long> last = new ArrayList<>(List.of(-1L));
        Await.until(PATIENCE, "both lanes at rest", () -> {
            long now = connect.topics().readAll(forwardTopic).size()
                    + 1000L * connect.topics().readAll(serviceTopic).size();
            boolean still = now == last.get(0);
            last.set(0, now);
            if (!still) {
                sleep(5_000);
            }
            return still;
        });
    }

    private void legacyWrites(String... sql) {
        legacyServer.execute(legacy, sql);
    }

    private void serviceWrites(String... sql) {
        serviceServer.execute(service, sql);
    }

    private long liveServiceRows() {
        return count(serviceServer, service, "SELECT count(*) FROM public.vehicle WHERE lineage_deleted_at IS NULL");
    }

    private BigDecimal odometer(long vehNo) {
        List<List<Object>> rows =
                serviceServer.query(service, "SELECT odometer_km FROM public.vehicle WHERE plate = 'KA-" + vehNo + "'");
        return rows.isEmpty() ? BigDecimal.ZERO : (BigDecimal) rows.get(0).get(0);
    }

    private void awaitService(String what, BooleanSupplier condition) {
        awaitWithDiagnosis(what, condition);
    }

    private void awaitLegacy(String what, BooleanSupplier condition) {
        awaitWithDiagnosis(what, condition);
    }

    /** On a timeout, says what each connector, topic and dead letter queue holds. */
    private void awaitWithDiagnosis(String what, BooleanSupplier condition) {
        try {
            Await.until(PATIENCE, what, condition);
        } catch (AssertionError e) {
            StringBuilder state = new StringBuilder(e.getMessage());
            for (String name : connectors) {
                state.append("\n")
                        .append(name)
                        .append(": ")
                        .append(connect.rest().status(name));
            }
            for (String topic : List.of(forwardTopic, serviceTopic)) {
                state.append("\n")
                        .append(topic)
                        .append(": ")
                        .append(connect.topics().readAll(topic).size());
            }
            for (String topic : List.of(forwardDlq, writebackDlq)) {
                List<TopicRecord> records = connect.topics().readAll(topic);
                state.append("\n").append(topic).append(": ").append(records.size());
                records.stream().limit(3).forEach(r -> state.append("\n  ").append(r.headers()));
            }
            state.append("\nservice rows: ")
                    .append(serviceServer.query(service, "SELECT count(*) FROM public.vehicle"));
            throw new AssertionError(state.toString(), e);
        }
    }

    private long count(String sql) {
        return count(legacyServer, legacy, sql);
    }

    private static long count(PostgresFixture server, String database, String sql) {
        return ((Number) server.query(database, sql).get(0).get(0)).longValue();
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
