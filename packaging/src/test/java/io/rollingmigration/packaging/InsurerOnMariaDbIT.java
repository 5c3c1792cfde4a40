package io.rollingmigration.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rollingmigration.testsupport.ConfigExample;
import io.rollingmigration.testsupport.ConnectRest;
import io.rollingmigration.testsupport.MariaDbFixture;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.SkeletonPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The insurer's migration with its legacy book in MariaDB ({@code config-examples/insurer/mariadb}): Debezium's
 * MariaDB connector streams the binary log, and the insurer's own sink and reconciler examples run with only the
 * changes the operator guide lists for a MariaDB legacy (change topic names, the legacy connection and table
 * names). The services end as they do from the PostgreSQL legacy, and the reconcilers find them aligned with
 * MariaDB row by row.
 */
class InsurerOnMariaDbIT {

    private static final Duration PATIENCE = Duration.ofSeconds(150);
    private static final Path MARIADB = InsurerServices.INSURER.resolve("mariadb");
    private static final String LEGACY = "insurer";

    @RegisterExtension
    static final InstalledCluster connect = InstalledCluster.standard();

    private static MariaDbFixture legacy;
    private static InsurerServices services;
    private static Map<String, String> addresses;

    @BeforeAll
    static void startEverything() throws Exception {
        legacy = MariaDbFixture.startOwned();
        legacy.createDatabase(LEGACY);
        legacy.execute(LEGACY, InsurerServices.statements(MARIADB.resolve("legacy.sql")));
        legacyBook();
        PostgresFixture postgres = PostgresFixture.shared();
        services = InsurerServices.create(postgres);

        Path secrets = Files.createDirectories(connect.secrets());
        Files.writeString(secrets.resolve("legacy.properties"), "password=" + legacy.password() + "\n");
        for (String file : List.of("policy-service", "party-service")) {
            Files.writeString(secrets.resolve(file + ".properties"), "password=" + postgres.password() + "\n");
        }
        addresses = new LinkedHashMap<>();
        addresses.put("legacy-db:3306", legacy.host() + ":" + legacy.port());
        addresses.put("legacy-db", legacy.host());
        for (String host : List.of("policy-db", "party-db")) {
            addresses.put(host + ":5432", postgres.host() + ":" + postgres.port());
            addresses.put(host, postgres.host());
        }
        addresses.put("/etc/kafka-connect/secrets", secrets.toString());
        addresses.put(
                "/etc/migration/specs",
                InsurerServices.INSURER.resolve("specs").toAbsolutePath().toString());
        addresses.put(SkeletonPipeline.EXAMPLE_KAFKA, connect.bootstrapServers());
        InsurerServices.createTopics(connect, "insurer.insurer.");
    }

    @AfterAll
    static void stopLegacy() {
        if (legacy != null) {
            legacy.close();
        }
    }

    @Test
    void theExamplesMigrateTheMariaDbBookAndTheReconcilersFindTheServicesAligned() {
        ConfigExample cdc = ConfigExample.load(MARIADB.resolve("legacy-cdc.json"))
                .relocated(addresses)
                .with(Map.of(
                        "database.port", Integer.toString(legacy.port()),
                        "database.user", legacy.user()));
        List<ConfigExample> sinks = new ArrayList<>();
        InsurerServices.SINKS.forEach(name -> sinks.add(sinkOnMariaDb(name)));
        List<ConfigExample> reconcilers = new ArrayList<>();
        InsurerServices.RECONCILERS.forEach(name -> reconcilers.add(reconcilerOnMariaDb(name)));
        List<ConfigExample> all = new ArrayList<>(sinks);
        all.add(cdc);
        all.addAll(reconcilers);
        for (ConfigExample example : all) {
            ConnectRest.Validation validation = connect.rest().validate(example.connectorClass(), example.config());
            assertEquals(0, validation.errorCount(), example.name() + ": " + validation);
        }

        for (ConfigExample sink : sinks) {
            connect.rest().putConnector(sink.name(), sink.config());
        }
        connect.rest().putConnector(cdc.name(), cdc.config());
        for (ConfigExample sink : sinks) {
            connect.rest().awaitRunning(sink.name(), 3, PATIENCE);
        }
        connect.rest().awaitRunning(cdc.name(), 1, PATIENCE);
        services.awaitHolding(PATIENCE, 40, 60, 90, "the backfill");

        legacy.execute(
                LEGACY,
                "UPDATE policy SET status_code = 'L', updated_at = UTC_TIMESTAMP(6) WHERE policy_no = 'PA-0007'",
                "UPDATE policy_premium SET premium_cents = premium_cents + 1250, updated_at = UTC_TIMESTAMP(6) "
                        + "WHERE policy_no = 'PA-0007'",
                "INSERT INTO customer (id, cust_type, company_name, status, region) VALUES (41, 'B', 'Fleet Ltd', "
                        + "'A', 'SOUTH')",
                "INSERT INTO policy (policy_no, customer_id, product_code, status_code, effective_date, region) "
                        + "VALUES ('PA-0061', 41, 'PAUTO', 'Q', '2026-12-01', 'SOUTH')",
                "DELETE FROM policy_premium WHERE policy_no = 'PA-0011' AND term_start = '2025-01-01'",
                "UPDATE policy_billing SET annual_premium = 1234.5650, updated_at = UTC_TIMESTAMP(6) "
                        + "WHERE policy_no = 'PA-0007'",
                "INSERT INTO policy_billing (policy_no, annual_premium, currency) VALUES ('PA-0061', 99.9949, 'gbp')");
        services.awaitHolding(PATIENCE, 41, 61, 89, "live changes");
        services.assertTheLiveChangesAndTheBookLanded(PATIENCE);

        InsurerServices.assertTheReconcilersFindTheServicesAligned(connect, reconcilers, PATIENCE);
        for (ConfigExample example : all) {
            connect.rest().deleteConnector(example.name());
        }
    }

    /** A sink example as the operator guide says to change it: the MariaDB connector's topic names. */
    private static ConfigExample sinkOnMariaDb(String name) {
        ConfigExample example = example(name);
        return example.with(
                Map.of("topics", example.config().get("topics").replace("insurer.public.", "insurer.insurer.")));
    }

    /**
     * A reconciler example as the operator guide says to change it: the MariaDB connection, the table without a
     * schema, and the lineage source table as Debezium's MariaDB connector names it ({@code database.table}).
     */
    private static ConfigExample reconcilerOnMariaDb(String name) {
        ConfigExample example = example(name);
        String table = example.config().get("legacy.table").replace("public.", "");
        Map<String, String> changes = new HashMap<>();
        changes.put("legacy.connection.url", "jdbc:mariadb://" + addresses.get("legacy-db:3306") + "/" + LEGACY);
        changes.put("legacy.connection.user", legacy.user());
        changes.put("legacy.table", table);
        changes.put("lineage.source.table", LEGACY + "." + table);
        return example.with(changes);
    }

    private static ConfigExample example(String name) {
        return ConfigExample.load("insurer/connectors/" + name + ".json").relocated(addresses);
    }

    /** The book of the PostgreSQL example, in MariaDB's SQL: customers, policies, premiums and billing. */
    private static void legacyBook() {
        legacy.execute(
                LEGACY,
                "INSERT INTO customer (id, cust_type, first_name, last_name, company_name, status, email, "
                        + "email_opt_in, fax, region) SELECT seq, IF(seq % 4 = 0, 'B', 'P'), CONCAT('First', seq), "
                        + "CONCAT('Last', seq), CONCAT('Company ', seq), ELT(1 + seq % 3, 'A', 'S', 'C'), "
                        + "CONCAT('c', seq, '@example.com'), seq % 2 = 0, NULL, ELT(1 + seq % 2, 'NORTH', 'SOUTH') "
                        + "FROM seq_1_to_40",
                "INSERT INTO policy (policy_no, customer_id, product_code, status_code, effective_date, expiry_date, "
                        + "cancel_date, region, vehicle_vin) SELECT CONCAT('PA-', LPAD(seq, 4, '0')), 1 + seq % 40, "
                        + "'PAUTO', ELT(1 + seq % 4, 'Q', 'A', 'L', 'C'), DATE '2025-01-01' + INTERVAL seq DAY, "
                        + "DATE '2026-01-01' + INTERVAL seq DAY, "
                        + "IF(seq % 10 = 0, DATE '2025-01-01' + INTERVAL (seq + 90) DAY, NULL), "
                        + "ELT(1 + seq % 2, 'NORTH', 'SOUTH'), CONCAT('vin', seq, '  ') FROM seq_1_to_60",
                "INSERT INTO policy_billing (policy_no, annual_premium, currency) "
                        + "SELECT CONCAT('PA-', LPAD(seq, 4, '0')), 500 + seq * 1.2345, 'EUR' FROM seq_1_to_55",
                "INSERT INTO policy_premium (policy_no, term_start, premium_cents, currency, installments) "
                        + "SELECT CONCAT('PA-', LPAD(seq, 4, '0')), DATE '2026-01-01', 50000 + seq * 137, 'EUR', 12 "
                        + "FROM seq_1_to_60",
                "INSERT INTO policy_premium (policy_no, term_start, premium_cents, currency, installments) "
                        + "SELECT CONCAT('PA-', LPAD(seq, 4, '0')), DATE '2025-01-01', 48000 + seq * 101, 'EUR', 1 "
                        + "FROM seq_1_to_30");
    }
}
