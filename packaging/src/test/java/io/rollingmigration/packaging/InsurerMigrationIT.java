package io.rollingmigration.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.nio.file.Paths;
import java.sql.Date;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
    private static final Path INSURER = Paths.get(System.getProperty(ConfigExample.DIRECTORY_PROPERTY), "insurer");
    private static final List<String> SINKS = List.of("party-sink", "policy-sink", "premium-sink", "billing-sink");
    private static final List<String> RECONCILERS =
            List.of("party-reconcile", "policy-reconcile", "premium-reconcile", "billing-reconcile");

    private static PostgresFixture postgres;

    @RegisterExtension
    static final InstalledCluster connect = InstalledCluster.adjusted(InsurerMigrationIT::asTheExampleWorkers);

    private static Map<String, String> addresses;

    @BeforeAll
    static void startEverything() throws Exception {
        postgres = PostgresFixture.shared();
        for (String[] database : new String[][] {
            {"insurer", "legacy.sql"}, {"policy_service", "policy-service.sql"}, {"party_service", "party-service.sql"}
        }) {
            postgres.createDatabase(database[0]);
            postgres.execute(database[0], "DROP SCHEMA public CASCADE", "CREATE SCHEMA public");
            postgres.execute(database[0], statements(INSURER.resolve("sql").resolve(database[1])));
        }
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
        // Topics as an operator creates them: six partitions for the change streams, a compacted drift topic.
        for (String table : List.of("customer", "policy", "policy_premium", "policy_billing")) {
            connect.createTopic("insurer.public." + table, 6, Map.of());
        }
        for (String aggregate : List.of("party", "policy", "premium", "billing")) {
            connect.createTopic("insurer.dlq." + aggregate, 1, Map.of());
        }
        connect.createTopic("insurer.drift", 3, Map.of("cleanup.policy", "compact"));
        connect.createTopic("insurer.drift.summary", 1, Map.of());
    }

    @Test
    void theExamplesMigrateTheBookAndTheReconcilersFindTheServicesAligned() throws Exception {
        ConfigExample cdc = example("legacy-cdc").with(Map.of("database.port", Integer.toString(postgres.port())));
        List<ConfigExample> sinks =
                SINKS.stream().map(InsurerMigrationIT::example).collect(Collectors.toList());
        List<ConfigExample> reconcilers =
                RECONCILERS.stream().map(InsurerMigrationIT::example).collect(Collectors.toList());
        List<ConfigExample> all = new ArrayList<>(sinks);
        all.add(cdc);
        all.addAll(reconcilers);
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
        awaitServicesHold(40, 60, 90, "the backfill");

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
        awaitServicesHold(41, 61, 89, "live changes");
        // Both fragments of PA-0061 and the new premium of PA-0007, each through its own sink.
        Await.until(
                PATIENCE,
                "the live billing changes",
                () -> "99.99|QUOTED|1234.57"
                        .equals(query(
                                "policy_service",
                                "SELECT (SELECT annual_premium || '|' || coalesce(status, '') FROM policy "
                                        + "WHERE policy_id = (SELECT policy_id FROM policy WHERE billing_currency = 'GBP')) || '|' "
                                        + "|| (SELECT annual_premium FROM policy WHERE policy_number = 'PA-0007')")));
        assertEquals("LAPSED", query("policy_service", "SELECT status FROM policy WHERE policy_number = 'PA-0007'"));
        assertEquals(
                "GBP",
                query("policy_service", "SELECT billing_currency FROM policy WHERE policy_number = 'PA-0061'"),
                "the billing fragment of a policy, its currency trimmed");
        assertEquals(
                "QUOTED",
                query("policy_service", "SELECT status FROM policy WHERE policy_number = 'PA-0061'"),
                "the policy fragment of the same row");
        assertEquals(
                Date.valueOf("2025-04-11"),
                query("policy_service", "SELECT ends_on FROM policy WHERE policy_number = 'PA-0010'"),
                "a cancelled policy ends when cancelled");
        assertEquals(
                Date.valueOf("2026-01-12"),
                query("policy_service", "SELECT ends_on FROM policy WHERE policy_number = 'PA-0011'"),
                "another when it expires");
        assertEquals("VIN11", query("policy_service", "SELECT vin FROM policy WHERE policy_number = 'PA-0011'"));
        assertEquals(
                query("party_service", "SELECT party_id FROM party WHERE lineage_source_key = '{\"id\":8}'"),
                query("policy_service", "SELECT holder_party_id FROM policy WHERE policy_number = 'PA-0007'"),
                "a policy references its holder by the party service's id");

        for (ConfigExample reconciler : reconcilers) {
            connect.rest().putConnector(reconciler.name(), reconciler.config());
        }
        for (ConfigExample reconciler : reconcilers) {
            connect.rest().awaitRunning(reconciler.name(), 2, PATIENCE);
        }
        Map<String, Long> compared = Await.value(
                PATIENCE,
                "a completed run of every range of every aggregate",
                InsurerMigrationIT::comparedPerAggregate,
                c -> c.size() == 4);
        assertEquals(
                Map.of("party", 41L, "policy.policy", 61L, "premium", 89L, "policy.policy_billing", 56L), compared);
        for (JsonNode run : DriftSummaries.completed(connect.topics(), "insurer.drift.summary")) {
            assertEquals(
                    0,
                    run.path("missing_in_target").asLong()
                            + run.path("unexpected_in_target").asLong()
                            + run.path("field_mismatch").asLong()
                            + run.path("rule_violation").asLong()
                            + run.path("missing_fragment").asLong()
                            + run.path("unexpected_fragment").asLong(),
                    run.toString());
        }
        assertTrue(connect.topics().readAll("insurer.drift").isEmpty(), "no drift");

        // Shift writes of the NORTH region to the policy service: legacy writes there are no longer applied.
        postgres.execute(
                "policy_service", "INSERT INTO migration_ownership VALUES ('policy', 'NORTH', 'TARGET', " + "now())");
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
        String vin = (String) query("policy_service", "SELECT vin FROM policy WHERE policy_number = 'PA-0002'");
        assertTrue(!("LATE-WRITE-" + writes.get()).equals(vin), "the policy service owns NORTH policies now: " + vin);
        for (ConfigExample example : all) {
            connect.rest().deleteConnector(example.name());
        }
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

    private static void awaitServicesHold(long parties, long policies, long premiums, String what) {
        Await.until(
                PATIENCE,
                "the services to hold " + what,
                () -> count("party_service", "party") == parties
                        && count("policy_service", "policy") == policies
                        && count("policy_service", "policy_premium") == premiums);
    }

    private static long count(String database, String table) {
        return ((Number) postgres.query(database, "SELECT count(*) FROM " + table + " WHERE lineage_deleted_at IS NULL")
                        .get(0)
                        .get(0))
                .longValue();
    }

    private static Object query(String database, String sql) {
        return postgres.query(database, sql).get(0).get(0);
    }

    /** Keys compared by the first completed run of each range, summed per aggregate, once every range has one. */
    private static Map<String, Long> comparedPerAggregate() {
        Map<String, JsonNode> firstPerRange = new LinkedHashMap<>();
        for (JsonNode run : DriftSummaries.completed(connect.topics(), "insurer.drift.summary")) {
            firstPerRange.putIfAbsent(
                    run.path("aggregate").asText() + "/" + run.path("range").asText(), run);
        }
        if (firstPerRange.size() < 8) {
            return Map.of();
        }
        Map<String, Long> compared = new HashMap<>();
        firstPerRange
                .values()
                .forEach(run -> compared.merge(
                        run.path("aggregate").asText(), run.path("compared").asLong(), Long::sum));
        return compared;
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

    private static String[] statements(Path sqlFile) throws IOException {
        String text = Files.readAllLines(sqlFile).stream()
                .filter(line -> !line.trim().startsWith("--"))
                .map(line -> line.replaceAll("--.*$", ""))
                .collect(Collectors.joining("\n"));
        return Arrays.stream(text.split(";"))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toArray(String[]::new);
    }
}
