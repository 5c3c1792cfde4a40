package io.rollingmigration.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.connect.common.spec.Uuid5;
import io.rollingmigration.testsupport.Await;
import io.rollingmigration.testsupport.ConfigExample;
import io.rollingmigration.testsupport.ConnectClusterFixture;
import io.rollingmigration.testsupport.ConnectRest;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.SkeletonPipeline;
import io.rollingmigration.testsupport.TopicReader.TopicRecord;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The insurer's migration as an operator runs it from {@code config-examples/insurer}: legacy policy, premium and
 * customer tables into a policy service and a party service, on a three-worker Connect cluster configured from the
 * example worker properties. Every connector example is validated through the REST API and run unchanged but for
 * connection addresses; the reconcilers then find the services aligned, and moving write ownership of one region
 * to the policy service stops legacy writes for it, each reported in the dead letter queue.
 */
class InsurerMigrationIT {

    private static final Duration PATIENCE = Duration.ofSeconds(150);
    private static final Path INSURER = InsurerServices.INSURER;
    private static final List<String> SINKS = InsurerServices.SINKS;
    private static final List<String> RECONCILERS = InsurerServices.RECONCILERS;

    private static PostgresFixture postgres;

    @RegisterExtension
    static final InstalledCluster connect = InstalledCluster.adjusted(InsurerMigrationIT::asTheExampleWorkers);

    private static Map<String, String> addresses;
    private static InsurerServices services;

    @BeforeAll
    static void startEverything() throws Exception {
        postgres = PostgresFixture.shared();
        postgres.createDatabase("insurer");
        postgres.execute("insurer", "DROP SCHEMA public CASCADE", "CREATE SCHEMA public");
        postgres.execute(
                "insurer", InsurerServices.statements(INSURER.resolve("sql").resolve("legacy.sql")));
        services = InsurerServices.create(postgres);
        legacyBook();
        Path secrets = Files.createDirectories(connect.secrets());
        for (String file : List.of("legacy", "policy-service", "party-service")) {
            Files.writeString(secrets.resolve(file + ".properties"), "password=" + postgres.password() + "\n");
        }
        String hostPort = postgres.host() + ":" + postgres.port();
        addresses = new LinkedHashMap<>();
        for (String host : List.of("legacy-db", "policy-db", "party-db")) {
            addresses.put(host + ":5432", hostPort);
            addresses.put(host, postgres.host());
        }
        addresses.put("/etc/kafka-connect/secrets", secrets.toString());
        addresses.put(
                "/etc/migration/specs",
                INSURER.resolve("specs").toAbsolutePath().toString());
        addresses.put(SkeletonPipeline.EXAMPLE_KAFKA, connect.bootstrapServers());
        InsurerServices.createTopics(connect, "insurer.public.");
        connect.createTopic("policy_service.public.policy", 3, Map.of());
        connect.createTopic("insurer.dlq.policy-writeback", 1, Map.of());
    }

    @Test
    void theExamplesMigrateTheBookAndTheReconcilersFindTheServicesAligned() throws Exception {
        ConfigExample cdc = example("legacy-cdc").with(Map.of("database.port", Integer.toString(postgres.port())));
        List<ConfigExample> sinks =
                SINKS.stream().map(InsurerMigrationIT::example).collect(Collectors.toList());
        List<ConfigExample> reconcilers =
                RECONCILERS.stream().map(InsurerMigrationIT::example).collect(Collectors.toList());
        ConfigExample serviceCdc =
                example("policy-service-cdc").with(Map.of("database.port", Integer.toString(postgres.port())));
        ConfigExample writeback = example("policy-writeback");
        List<ConfigExample> all = new ArrayList<>(sinks);
        all.add(cdc);
        all.addAll(reconcilers);
        all.add(serviceCdc);
        all.add(writeback);
        for (ConfigExample example : all) {
            ConnectRest.Validation validation = connect.rest().validate(example.connectorClass(), example.config());
            assertEquals(0, validation.errorCount(), example.name() + ": " + validation);
        }

        // Backfill and stream: the sinks first, then the change stream they read.
        for (ConfigExample sink : sinks) {
            connect.rest().putConnector(sink.name(), sink.config());
        }
        connect.rest().putConnector(cdc.name(), cdc.config());
        for (ConfigExample sink : sinks) {
            connect.rest().awaitRunning(sink.name(), 3, PATIENCE);
        }
        connect.rest().awaitRunning(cdc.name(), 1, PATIENCE);
        services.awaitHolding(PATIENCE, 40, 60, 90, "the backfill");

        postgres.execute(
                "insurer",
                "UPDATE policy SET status_code = 'L', updated_at = now() AT TIME ZONE 'UTC' WHERE policy_no = 'PA-0007'",
                "UPDATE policy_premium SET premium_cents = premium_cents + 1250, updated_at = now() AT TIME ZONE 'UTC' "
                        + "WHERE policy_no = 'PA-0007'",
                "INSERT INTO customer (id, cust_type, company_name, status, region) VALUES (41, 'B', 'Fleet Ltd', "
                        + "'A', 'SOUTH')",
                "INSERT INTO policy (policy_no, customer_id, product_code, status_code, effective_date, region) "
                        + "VALUES ('PA-0061', 41, 'PAUTO', 'Q', '2026-12-01', 'SOUTH')",
                "DELETE FROM policy_premium WHERE policy_no = 'PA-0011' AND term_start = '2025-01-01'",
                "UPDATE policy_billing SET annual_premium = 1234.5650, updated_at = now() AT TIME ZONE 'UTC' "
                        + "WHERE policy_no = 'PA-0007'",
                "INSERT INTO policy_billing (policy_no, annual_premium, currency) VALUES ('PA-0061', 99.9949, 'gbp')");
        services.awaitHolding(PATIENCE, 41, 61, 89, "live changes");
        services.assertTheLiveChangesAndTheBookLanded(PATIENCE);
        // The example's workers run our converter (the worker would not start without it): what it wrote for
        // Debezium replays identically through Kafka's.
        assertEquals(
                "io.rollingmigration.converter.CachedSchemaJsonConverter",
                workerExample().getProperty("value.converter"));
        assertTrue(connect.rest().allPlugins().contains("io.rollingmigration.converter.CachedSchemaJsonConverter"));
        for (String table : List.of("customer", "policy", "policy_premium", "policy_billing")) {
            String changes = "insurer.public." + table;
            assertTrue(
                    ConverterReplay.assertReplaysAlike(changes, connect.topics().readAll(changes)) > 0,
                    changes + " replayed");
        }

        InsurerServices.assertTheReconcilersFindTheServicesAligned(connect, reconcilers, PATIENCE);

        // The way back runs before the first region moves: Debezium on the policy service's store, the write-back.
        connect.rest().putConnector(writeback.name(), writeback.config());
        connect.rest().putConnector(serviceCdc.name(), serviceCdc.config());
        connect.rest().awaitRunning(writeback.name(), 1, PATIENCE);
        connect.rest().awaitRunning(serviceCdc.name(), 1, PATIENCE);

        // Shift writes of the NORTH region to the policy service, as an operator asks for it: the forward lane
        // decides the move once it has caught up; legacy writes there are no longer applied.
        postgres.execute(
                "policy_service",
                "INSERT INTO migration_ownership_moves (migration_unit, partition_value, to_owner, requested_by) "
                        + "VALUES ('policy', 'NORTH', 'TARGET', 'InsurerMigrationIT')");
        Await.until(
                PATIENCE,
                "the forward lane to carry out the move of NORTH",
                () -> "DONE"
                        .equals(services.query(
                                "policy_service",
                                "SELECT status FROM migration_ownership_moves WHERE partition_value = 'NORTH'")));
        // The legacy application keeps writing a NORTH policy; once the sink's cached ownership answer expires
        // (ownership.refresh.ms), its writes are blocked and reported.
        AtomicInteger writes = new AtomicInteger();
        Await.until(PATIENCE, "a legacy write after cutover in the dead letter queue", () -> {
            postgres.execute(
                    "insurer",
                    "UPDATE policy SET vehicle_vin = 'LATE-WRITE-" + writes.incrementAndGet()
                            + "', updated_at = now() AT TIME ZONE 'UTC' WHERE policy_no = 'PA-0002'");
            return !connect.topics().readAll("insurer.dlq.policy").isEmpty();
        });
        List<TopicRecord> blocked = connect.topics().readAll("insurer.dlq.policy");
        assertTrue(
                blocked.get(0).headers().values().stream()
                        .anyMatch(v -> v != null && v.contains("LEGACY_WRITE_AFTER_CUTOVER")),
                blocked.get(0).headers().toString());
        String vin =
                (String) services.query("policy_service", "SELECT vin FROM policy WHERE policy_number = 'PA-0002'");
        assertTrue(!("LATE-WRITE-" + writes.get()).equals(vin), "the policy service owns NORTH policies now: " + vin);

        // The policy service writes in the region it owns: it cancels PA-0004 and quotes a new policy for customer 2,
        // whom it knows by the party id only. Legacy receives both, and the forward lane drops them as echoes.
        String newPolicy = Uuid5.of(UUID.fromString(POLICY_NAMESPACE), "{\"policy_no\":\"PA-9001\"}")
                .toString();
        String customerTwo =
                Uuid5.of(UUID.fromString(PARTY_NAMESPACE), "{\"id\":2}").toString();
        postgres.execute(
                "policy_service",
                "UPDATE policy SET status = 'CANCELLED', ends_on = effective_date + 10, updated_at = now() AT TIME "
                        + "ZONE 'UTC' WHERE policy_number = 'PA-0004'",
                "INSERT INTO policy (policy_id, policy_number, holder_party_id, product, status, effective_date, "
                        + "expiry_date, ends_on, region, vin, updated_at, annual_premium, billing_currency) VALUES ('"
                        + newPolicy + "', 'PA-9001', '" + customerTwo + "', 'PERSONAL_AUTO', 'QUOTED', '2026-12-10', "
                        + "'2027-12-10', '2027-12-10', 'NORTH', 'NEWVIN1', now() AT TIME ZONE 'UTC', 500.00, 'EUR')");
        Await.until(
                PATIENCE,
                "the policy service's writes in legacy",
                () -> "C"
                                .equals(firstOrNull(
                                        "insurer",
                                        "SELECT status_code || CASE WHEN cancel_date = effective_date + 10 THEN '' ELSE '?' END "
                                                + "FROM policy WHERE policy_no = 'PA-0004'"))
                        && "2|Q|PAUTO|NEWVIN1|500.0000|EUR"
                                .equals(
                                        firstOrNull(
                                                "insurer",
                                                "SELECT p.customer_id || '|' || p.status_code || '|' || p.product_code || '|' || "
                                                        + "p.vehicle_vin || '|' || b.annual_premium || '|' || trim(b.currency) FROM "
                                                        + "policy p JOIN policy_billing b USING (policy_no) WHERE policy_no = 'PA-9001'")));
        Await.until(
                PATIENCE,
                "the forward lane to drop the echoes",
                () -> Long.valueOf(2)
                        .equals(services.query(
                                "policy_service",
                                "SELECT count(*) FROM policy WHERE policy_number IN ('PA-0004', 'PA-9001') AND lineage_deleted_at "
                                        + "IS NULL")));
        Thread.sleep(5_000);
        for (TopicRecord stray : connect.topics().readAll("insurer.dlq.policy")) {
            assertTrue(
                    stray.headers().values().stream()
                            .noneMatch(v -> v != null && (v.contains("PA-0004") || v.contains("PA-9001"))),
                    "the write-back's echoes are not stray legacy writes: " + stray.headers());
        }
        assertEquals(List.of(), connect.topics().readAll("insurer.dlq.policy-writeback"));
        assertEquals(
                "CANCELLED|1",
                services.query(
                        "policy_service",
                        "SELECT status || '|' || count(*) OVER () FROM policy WHERE policy_number = 'PA-0004'"),
                "the service's own write stands, once");
        for (ConfigExample example : all) {
            connect.rest().deleteConnector(example.name());
        }
        dropSlotOnceInactive("policy_service", "policy_service_cdc");
    }

    /** The first column of the first row, or {@code null} when there is none yet. */
    private static Object firstOrNull(String database, String sql) {
        List<List<Object>> rows = postgres.query(database, sql);
        return rows.isEmpty() ? null : rows.get(0).get(0);
    }

    private static final String POLICY_NAMESPACE = "3f6c2b5e-8a41-4d27-9c1e-5b7a0d2e4f10";
    private static final String PARTY_NAMESPACE = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";

    /** A deleted Debezium connector's replication slot, so that the shared server does not keep WAL for it. */
    private static void dropSlotOnceInactive(String database, String slot) {
        Await.until(
                PATIENCE,
                "slot " + slot + " released",
                () -> Long.valueOf(0)
                        .equals(services.query(
                                database,
                                "SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name = '" + slot
                                        + "'")));
        postgres.execute(
                database,
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + slot
                        + "'");
    }

    @Test
    void theThreeWorkerPropertiesDifferOnlyInTheAdvertisedHost() throws IOException {
        Map<Object, Object> first = new HashMap<>(workerExample());
        for (int worker = 2; worker <= 3; worker++) {
            Properties other = properties(INSURER.resolve("worker").resolve("connect-" + worker + ".properties"));
            Map<Object, Object> expected = new HashMap<>(first);
            expected.put("rest.advertised.host.name", "connect-" + worker);
            assertEquals(expected, new HashMap<>(other));
        }
        assertEquals("service_load", first.get("plugin.discovery"));
    }

    private static ConfigExample example(String name) {
        return ConfigExample.load("insurer/connectors/" + name + ".json").relocated(addresses);
    }

    /** Customers, policies (two premium terms for some), spread over the NORTH and SOUTH regions. */
    private static void legacyBook() {
        List<String> sql = new ArrayList<>();
        sql.add(
                "INSERT INTO customer (id, cust_type, first_name, last_name, company_name, status, email, email_opt_in, "
                        + "fax, region) SELECT g, CASE WHEN g % 4 = 0 THEN 'B' ELSE 'P' END, 'First' || g, 'Last' || g, "
                        + "'Company ' || g, (ARRAY['A','S','C'])[1 + g % 3], 'c' || g || '@example.com', g % 2 = 0, NULL, "
                        + "(ARRAY['NORTH','SOUTH'])[1 + g % 2] FROM generate_series(1, 40) g");
        // Every tenth policy cancelled 90 days in (backdated cancellations among them); VINs as old screens typed
        // them, in lower case with trailing blanks.
        sql.add("INSERT INTO policy (policy_no, customer_id, product_code, status_code, effective_date, expiry_date, "
                + "cancel_date, region, vehicle_vin) SELECT 'PA-' || lpad(g::text, 4, '0'), 1 + g % 40, 'PAUTO', "
                + "(ARRAY['Q','A','L','C'])[1 + g % 4], date '2025-01-01' + g, date '2026-01-01' + g, "
                + "CASE WHEN g % 10 = 0 THEN date '2025-01-01' + g + 90 END, "
                + "(ARRAY['NORTH','SOUTH'])[1 + g % 2], 'vin' || g || '  ' FROM generate_series(1, 60) g");
        // The billing of the first 55 policies: four decimals, currency codes padded in a char(5).
        sql.add("INSERT INTO policy_billing (policy_no, annual_premium, currency) "
                + "SELECT 'PA-' || lpad(g::text, 4, '0'), 500 + g * 1.2345, 'EUR' FROM generate_series(1, 55) g");
        sql.add("INSERT INTO policy_premium (policy_no, term_start, premium_cents, currency, installments) "
                + "SELECT 'PA-' || lpad(g::text, 4, '0'), date '2026-01-01', 50000 + g * 137, 'EUR', 12 "
                + "FROM generate_series(1, 60) g");
        sql.add("INSERT INTO policy_premium (policy_no, term_start, premium_cents, currency, installments) "
                + "SELECT 'PA-' || lpad(g::text, 4, '0'), date '2025-01-01', 48000 + g * 101, 'EUR', 1 "
                + "FROM generate_series(1, 30) g");
        postgres.execute("insurer", sql.toArray(new String[0]));
    }

    /** Three workers with the example's worker settings. */
    private static ConnectClusterFixture.Builder asTheExampleWorkers(ConnectClusterFixture.Builder builder) {
        Properties worker;
        try {
            worker = workerExample();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        builder.workers(3);
        // The example's worker settings; addresses, listeners and replication factors belong to the machine.
        for (String key : List.of(
                "key.converter",
                "value.converter",
                "key.converter.schemas.enable",
                "value.converter.schemas.enable",
                "plugin.discovery",
                "config.providers",
                "config.providers.file.class",
                "config.providers.dir.class",
                "scheduled.rebalance.max.delay.ms")) {
            builder.workerProperty(key, worker.getProperty(key));
        }
        return builder;
    }

    private static Properties workerExample() throws IOException {
        return properties(INSURER.resolve("worker").resolve("connect-1.properties"));
    }

    private static Properties properties(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return properties;
    }
}
