package io.rollingmigration.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.testsupport.Await;
import io.rollingmigration.testsupport.MariaDbFixture;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.SkeletonPipeline;
import io.rollingmigration.testsupport.TopicReader.TopicRecord;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A PostgreSQL legacy database migrating into a MariaDB target through the packaged plugins in a real Connect
 * cluster: the sink's MariaDB dialect, soft deletes and the ownership gate, configured through the REST API.
 */
class MariaDbTargetIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String TARGET_DB = "migration_target";
    private static final String DLQ = "migration.dlq.account";

    private static PostgresFixture postgres;
    private static MariaDbFixture mariadb;

    @RegisterExtension
    static final InstalledCluster connect = InstalledCluster.standard();

    private static SkeletonPipeline pipeline;

    @BeforeAll
    static void startEverything() throws Exception {
        mariadb = MariaDbFixture.availableOrSkip();
        postgres = PostgresFixture.shared();
        postgres.execute(
                PostgresFixture.LEGACY,
                "DROP TABLE IF EXISTS public.account",
                "CREATE TABLE public.account (id bigint PRIMARY KEY, owner text NOT NULL, region text NOT NULL, "
                        + "balance numeric(12,2) NOT NULL, updated_at timestamp(3) NOT NULL DEFAULT now())",
                "INSERT INTO public.account (id, owner, region, balance) SELECT g, 'Owner ' || g, "
                        + "CASE WHEN g % 2 = 0 THEN 'EU' ELSE 'US' END, g * 1.5 FROM generate_series(1, 20) g");
        mariadb.createDatabase(TARGET_DB);
        mariadb.execute(
                TARGET_DB,
                "DROP TABLE IF EXISTS account",
                "DROP TABLE IF EXISTS migration_ownership",
                "CREATE TABLE account (id BIGINT PRIMARY KEY, owner VARCHAR(200), region VARCHAR(10), "
                        + "balance DECIMAL(12,2), updated_at DATETIME(3), lineage_source_system VARCHAR(100), "
                        + "lineage_source_table VARCHAR(200), lineage_source_key VARCHAR(500), "
                        + "lineage_source_position BIGINT, lineage_source_committed_at DATETIME(3), "
                        + "lineage_operation VARCHAR(20), lineage_snapshot VARCHAR(40), lineage_rule VARCHAR(100), "
                        + "lineage_translated_at DATETIME(3), lineage_applied_at DATETIME(3), "
                        + "lineage_deleted_at DATETIME(3), INDEX (lineage_source_key)) CHARACTER SET utf8mb4");
        pipeline = connect.pipelineFor(postgres);
    }

    @Test
    void legacyChangesReachMariaDbAndTheOwnershipGateBlocksOnlyTheCutOverRegion() {
        Map<String, String> source =
                new HashMap<>(pipeline.debeziumSource(postgres.port()).config());
        source.putAll(Map.of(
                "topic.prefix",
                "bank",
                "slot.name",
                "bank_account_cdc",
                "publication.name",
                "bank_account_cdc",
                "table.include.list",
                "public.account"));
        Map<String, String> sink = new HashMap<>(pipeline.sink().config());
        sink.putAll(Map.of(
                "topics",
                "bank.public.account",
                "connection.url",
                mariadb.jdbcUrl(TARGET_DB),
                "connection.user",
                mariadb.user(),
                "connection.password",
                mariadb.password(),
                "target.table",
                "account",
                "errors.deadletterqueue.topic.name",
                DLQ,
                "ownership.table",
                "migration_ownership",
                "ownership.unit",
                "account",
                "ownership.partition.field",
                "region",
                "ownership.refresh.ms",
                "0"));
        assertEquals(
                0,
                connect.rest().validate(sink.get("connector.class"), sink).errorCount(),
                () -> connect.rest().validate(sink.get("connector.class"), sink).toString());
        connect.createTopic(DLQ, 1, Map.of());
        connect.rest().putConnector("bank-account-cdc", source);
        connect.rest().putConnector("bank-account-sink", sink);
        connect.rest().awaitRunning("bank-account-cdc", 1, PATIENCE);
        connect.rest().awaitRunning("bank-account-sink", 1, PATIENCE);

        awaitTargetMatchesLegacy("the snapshot");
        postgres.execute(
                PostgresFixture.LEGACY,
                "UPDATE public.account SET balance = balance + 100, updated_at = now() WHERE id IN (1, 2)",
                "DELETE FROM public.account WHERE id IN (3, 4)",
                "INSERT INTO public.account (id, owner, region, balance) VALUES (21, 'Owner 21', 'US', 7)");
        awaitTargetMatchesLegacy("live changes");
        assertEquals(
                List.of(List.of(3L), List.of(4L)),
                mariadb.query(TARGET_DB, "SELECT id FROM account WHERE lineage_deleted_at IS NOT NULL ORDER BY id"));

        // Writes of the EU region move to the target service.
        mariadb.execute(
                TARGET_DB,
                "INSERT INTO migration_ownership (migration_unit, partition_value, owner) "
                        + "VALUES ('account', 'EU', 'TARGET')");
        postgres.execute(
                PostgresFixture.LEGACY,
                "UPDATE public.account SET owner = 'legacy wrote after cutover' WHERE id = 6",
                "UPDATE public.account SET owner = 'US still migrates' WHERE id = 5");
        Await.until(
                PATIENCE,
                "the US change to arrive",
                () -> "US still migrates"
                        .equals(mariadb.query(TARGET_DB, "SELECT owner FROM account WHERE id = 5")
                                .get(0)
                                .get(0)));
        List<TopicRecord> blocked =
                connect.topics().await(DLQ, PATIENCE, "the blocked EU change", records -> !records.isEmpty());
        assertEquals(1, blocked.size(), blocked.toString());
        String reason = blocked.get(0).headers().get("__connect.errors.exception.message");
        assertTrue(reason.startsWith("LEGACY_WRITE_AFTER_CUTOVER"), reason);
        assertTrue(reason.contains("region=EU"), reason);
        assertEquals(
                "Owner 6",
                mariadb.query(TARGET_DB, "SELECT owner FROM account WHERE id = 6")
                        .get(0)
                        .get(0));

        connect.rest().deleteConnector("bank-account-sink");
        connect.rest().deleteConnector("bank-account-cdc");
    }

    private static void awaitTargetMatchesLegacy(String what) {
        Await.until(PATIENCE, "MariaDB to match legacy after " + what, () -> legacy().equals(target()));
    }

    private static List<String> legacy() {
        return postgres
                .query(
                        PostgresFixture.LEGACY,
                        "SELECT id, owner, region, balance, "
                                + "to_char(updated_at, 'YYYY-MM-DD HH24:MI:SS.MS') FROM public.account ORDER BY id")
                .stream()
                .map(MariaDbTargetIT::line)
                .collect(Collectors.toList());
    }

    private static List<String> target() {
        return mariadb
                .query(
                        TARGET_DB,
                        "SELECT id, owner, region, balance, "
                                + "LEFT(DATE_FORMAT(updated_at, '%Y-%m-%d %H:%i:%s.%f'), 23) FROM account "
                                + "WHERE lineage_deleted_at IS NULL ORDER BY id")
                .stream()
                .map(MariaDbTargetIT::line)
                .collect(Collectors.toList());
    }

    private static String line(List<Object> row) {
        return row.stream().map(String::valueOf).collect(Collectors.joining("|"));
    }
}
