package io.rollingmigration.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollingmigration.testsupport.Await;
import io.rollingmigration.testsupport.ConfigExample;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.TopicReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Date;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The insurer example's two services (policy and party, in PostgreSQL) and what its end-to-end tests check of them,
 * whatever database the legacy book lives in.
 */
final class InsurerServices {

    static final Path INSURER = Paths.get(System.getProperty(ConfigExample.DIRECTORY_PROPERTY), "insurer");
    static final List<String> SINKS = List.of("party-sink", "policy-sink", "premium-sink", "billing-sink");
    static final List<String> RECONCILERS =
            List.of("party-reconcile", "policy-reconcile", "premium-reconcile", "billing-reconcile");
    /** The legacy tables, each streamed to one change topic. */
    static final List<String> LEGACY_TABLES = List.of("customer", "policy", "policy_premium", "policy_billing");

    private final PostgresFixture postgres;

    private InsurerServices(PostgresFixture postgres) {
        this.postgres = postgres;
    }

    /** Fresh service databases, their tables as {@code insurer/sql} creates them. */
    static InsurerServices create(PostgresFixture postgres) throws IOException {
        for (String[] database :
                new String[][] {{"policy_service", "policy-service.sql"}, {"party_service", "party-service.sql"}}) {
            postgres.createDatabase(database[0]);
            postgres.execute(database[0], "DROP SCHEMA public CASCADE", "CREATE SCHEMA public");
            postgres.execute(database[0], statements(INSURER.resolve("sql").resolve(database[1])));
        }
        return new InsurerServices(postgres);
    }

    /** The statements of a SQL file, comments left out. */
    static String[] statements(Path sqlFile) throws IOException {
        String text = Files.readAllLines(sqlFile).stream()
                .filter(line -> !line.trim().startsWith("--"))
                .map(line -> line.replaceAll("--.*$", ""))
                .collect(Collectors.joining("\n"));
        return Arrays.stream(text.split(";"))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toArray(String[]::new);
    }

    /** Topics as an operator creates them: six partitions per change stream, a compacted drift topic. */
    static void createTopics(InstalledCluster connect, String changeTopicPrefix) {
        for (String table : LEGACY_TABLES) {
            connect.createTopic(changeTopicPrefix + table, 6, Map.of());
        }
        for (String aggregate : List.of("party", "policy", "premium", "billing")) {
            connect.createTopic("insurer.dlq." + aggregate, 1, Map.of());
        }
        connect.createTopic("insurer.drift", 3, Map.of("cleanup.policy", "compact"));
        connect.createTopic("insurer.drift.summary", 1, Map.of());
    }

    void awaitHolding(Duration patience, long parties, long policies, long premiums, String what) {
        Await.until(
                patience,
                "the services to hold " + what,
                () -> count("party_service", "party") == parties
                        && count("policy_service", "policy") == policies
                        && count("policy_service", "policy_premium") == premiums);
    }

    /**
     * What the live changes of the book (PA-0007 lapsed with a raised premium and new billing, PA-0061 quoted for
     * a new business customer with billing in GBP) and the backfill made of it in the policy service.
     */
    void assertTheLiveChangesAndTheBookLanded(Duration patience) {
        Await.until(
                patience,
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
    }

    /**
     * Starts the reconcilers and waits for a completed run of each of their ranges: every legacy row of the book
     * compared, and not one difference.
     */
    static void assertTheReconcilersFindTheServicesAligned(
            InstalledCluster connect, List<ConfigExample> reconcilers, Duration patience) {
        for (ConfigExample reconciler : reconcilers) {
            connect.rest().putConnector(reconciler.name(), reconciler.config());
        }
        for (ConfigExample reconciler : reconcilers) {
            connect.rest().awaitRunning(reconciler.name(), 2, patience);
        }
        Map<String, Long> compared = Await.value(
                patience,
                "a completed run of every range of every aggregate",
                () -> comparedPerAggregate(connect.topics()),
                c -> c.size() == 4);
        assertEquals(
                Map.of("party", 41L, "policy.policy", 61L, "premium", 89L, "policy.policy_billing", 56L), compared);
        for (JsonNode run : DriftSummaries.completed(connect.topics(), "insurer.drift.summary")) {
            assertEquals(0, DriftSummaries.differences(run), run.toString());
        }
        assertTrue(connect.topics().readAll("insurer.drift").isEmpty(), "no drift");
    }

    /** Keys compared by the first completed run of each range, summed per aggregate, once every range has one. */
    private static Map<String, Long> comparedPerAggregate(TopicReader topics) {
        Map<String, JsonNode> firstPerRange = new LinkedHashMap<>();
        for (JsonNode run : DriftSummaries.completed(topics, "insurer.drift.summary")) {
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

    long count(String database, String table) {
        return ((Number) postgres.query(database, "SELECT count(*) FROM " + table + " WHERE lineage_deleted_at IS NULL")
                        .get(0)
                        .get(0))
                .longValue();
    }

    Object query(String database, String sql) {
        return postgres.query(database, sql).get(0).get(0);
    }
}
