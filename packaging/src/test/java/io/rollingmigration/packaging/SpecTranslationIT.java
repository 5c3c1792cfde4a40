package io.rollingmigration.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.connect.common.change.ChangeEvent;
import io.rollingmigration.connect.common.normalize.ValueNormalizer;
import io.rollingmigration.connect.common.spec.AggregateTranslator;
import io.rollingmigration.connect.common.spec.SpecCompiler;
import io.rollingmigration.testsupport.Await;
import io.rollingmigration.testsupport.ConfigExample;
import io.rollingmigration.testsupport.ConnectRest;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.SkeletonPipeline;
import io.rollingmigration.testsupport.TopicReader.TopicRecord;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The anti-corruption layer end to end: an overloaded legacy customer table, captured by the real Debezium
 * connector with its own time types, translated by TranslateAggregate with the example mapping spec into the party
 * aggregate and written by our sink; the same rows read over JDBC translate identically.
 */
class SpecTranslationIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String CRM = "crm";
    private static final String TOPIC = "crm.public.customer";
    private static final Path SPEC =
            Paths.get(System.getProperty(ConfigExample.DIRECTORY_PROPERTY), "connect-smt", "customer-spec.yaml");

    private static PostgresFixture postgres;

    @RegisterExtension
    static final InstalledCluster connect = InstalledCluster.standard();

    private static ConfigExample sink;

    @BeforeAll
    static void startEverything() throws Exception {
        postgres = PostgresFixture.shared();
        postgres.createDatabase(CRM);
        postgres.execute(
                CRM,
                "DROP TABLE IF EXISTS public.customer",
                LegacyCustomerTable.DDL,
                "INSERT INTO public.customer VALUES "
                        + "(1, 'P', 'Ada', 'Lovelace', NULL, 'A', 123456, '+44 20 1', 'ada@example.com', true, 'EU', "
                        + "'2026-11-24 10:15:30.123456'), "
                        + "(2, 'B', NULL, NULL, 'Analytical Engines Ltd', 'S', 99, NULL, 'sales@ae.example', false, "
                        + "'US', '2026-11-24 10:15:31'), "
                        + "(3, 'P', 'Charles', 'Babbage', NULL, 'X', 0, '+44 20 2', NULL, false, 'EU', "
                        + "'2026-11-24 10:15:32.5')");
        postgres.execute(
                PostgresFixture.TARGET,
                "DROP TABLE IF EXISTS public.party",
                "CREATE TABLE public.party (party_id text PRIMARY KEY, kind text, display_name text, status text, "
                        + "email text, region text, updated_at timestamp(3), lineage_source_system text, "
                        + "lineage_source_table text, lineage_source_key text, lineage_source_position bigint, "
                        + "lineage_source_committed_at timestamptz, lineage_operation text, lineage_snapshot text, "
                        + "lineage_rule text, lineage_translated_at timestamptz, lineage_applied_at timestamptz, "
                        + "lineage_deleted_at timestamptz)");
        SkeletonPipeline pipeline = connect.pipelineFor(postgres);
        Map<String, String> specDir =
                Map.of("/etc/migration/specs", SPEC.getParent().toAbsolutePath().toString());
        sink = pipeline.relocate(ConfigExample.load("connect-sink/party-sink.json"))
                .relocated(specDir)
                .with(Map.of("errors.deadletterqueue.topic.replication.factor", "1"));
        Map<String, String> source =
                new HashMap<>(pipeline.debeziumSource(postgres.port()).config());
        // Debezium's own time types this time (MicroTimestamp), which the normaliser must read like JDBC does.
        source.putAll(Map.of(
                "database.dbname",
                CRM,
                "topic.prefix",
                CRM,
                "slot.name",
                "crm_customer",
                "publication.name",
                "crm_customer",
                "time.precision.mode",
                "adaptive"));
        connect.rest().putConnector("crm-customer-cdc", source);
        connect.rest().awaitRunning("crm-customer-cdc", 1, PATIENCE);
    }

    @Test
    void theRealDebeziumEventsTranslateIntoPartiesAndLandInTheTarget() throws Exception {
        assertEquals(
                0, connect.rest().validate(sink.connectorClass(), sink.config()).errorCount());
        connect.rest().putConnector(sink.name(), sink.config());
        connect.rest().awaitRunning(sink.name(), 1, PATIENCE);

        Await.until(PATIENCE, "three parties", () -> count("") == 3);
        Map<String, String> ada = party("{\"id\":1}");
        assertEquals("PERSON|Ada Lovelace|ACTIVE|ada@example.com|EU|2026-11-24 10:15:30.123", ada.get("row"));
        assertEquals("crm-customer@1|READ", ada.get("lineage"));
        assertEquals(
                "ORGANISATION|Analytical Engines Ltd|SUSPENDED|null|US|2026-11-24 10:15:31.000",
                party("{\"id\":2}").get("row"),
                "not opted in: no e-mail");
        assertEquals(
                "PERSON|Charles Babbage|UNKNOWN|null|EU|2026-11-24 10:15:32.500",
                party("{\"id\":3}").get("row"),
                "an unknown status code takes the spec's default");

        postgres.execute(
                CRM,
                "UPDATE public.customer SET status = 'C', updated_at = '2026-11-25 08:00:00' " + "WHERE id = 1",
                "DELETE FROM public.customer WHERE id = 3",
                "INSERT INTO public.customer VALUES (4, 'Q', 'Odd', 'Row', NULL, 'A', 1, NULL, NULL, false, 'EU', "
                        + "'2026-11-25 09:00:00')");
        Await.until(
                PATIENCE,
                "the update and the delete",
                () -> count("WHERE lineage_deleted_at IS NOT NULL") == 1
                        && "CLOSED"
                                .equals(postgres.query(
                                                PostgresFixture.TARGET,
                                                "SELECT status FROM public.party "
                                                        + "WHERE lineage_source_key = '{\"id\":1}'")
                                        .get(0)
                                        .get(0)));
        assertEquals("crm-customer@1|UPDATE", party("{\"id\":1}").get("lineage"));

        List<TopicRecord> dlq = connect.topics()
                .await("migration.dlq.party", PATIENCE, "the untranslatable row", records -> !records.isEmpty());
        String reason = dlq.get(0).headers().get("__connect.errors.exception.message");
        assertTrue(
                reason.contains("crm-customer@1") && reason.contains("{\"id\":4}") && reason.contains("'Q'"), reason);
        assertEquals(3, count(""), "the bad row is in the dead letter queue, not in the target");
    }

    @Test
    void theSameLegacyTableFeedsASecondAggregateWithExactMoney() {
        Map<String, String> profile = new HashMap<>(sink.config());
        profile.putAll(Map.of(
                "transforms.party.aggregate",
                "customer_profile",
                "target.table",
                "public.customer_profile",
                "table.auto.create",
                "true",
                "errors.deadletterqueue.topic.name",
                "migration.dlq.customer_profile"));
        postgres.execute(PostgresFixture.TARGET, "DROP TABLE IF EXISTS public.customer_profile");
        connect.rest().putConnector("customer-profile-sink", profile);
        connect.rest().awaitRunning("customer-profile-sink", 1, PATIENCE);

        Await.until(
                PATIENCE,
                "customer profiles",
                () -> !postgres.query(
                                        PostgresFixture.TARGET,
                                        "SELECT 1 FROM pg_tables WHERE tablename = 'customer_profile'")
                                .isEmpty()
                        && ((Number) postgres.query(
                                                        PostgresFixture.TARGET,
                                                        "SELECT count(*) FROM public.customer_profile "
                                                                + "WHERE lineage_source_key = '{\"id\":2}'")
                                                .get(0)
                                                .get(0))
                                        .longValue()
                                == 1);
        List<Object> org = postgres.query(
                        PostgresFixture.TARGET,
                        "SELECT balance, status, region, lineage_rule "
                                + "FROM public.customer_profile WHERE lineage_source_key = '{\"id\":2}'")
                .get(0);
        assertEquals(0, new BigDecimal("0.99").compareTo((BigDecimal) org.get(0)), "99 cents are exactly 0.99: " + org);
        assertEquals(List.of("SUSPENDED", "US", "crm-customer@1"), org.subList(1, 4));
        String party = String.valueOf(postgres.query(
                        PostgresFixture.TARGET,
                        "SELECT count(*) FROM public.party "
                                + "WHERE party_id IN (SELECT profile_id FROM public.customer_profile)")
                .get(0)
                .get(0));
        assertEquals("0", party, "each aggregate has its own stable ids");
        connect.rest().deleteConnector("customer-profile-sink");
    }

    @Test
    void aLegacyRowReadOverJdbcTranslatesExactlyLikeItsDebeziumEvent() throws Exception {
        AggregateTranslator party = SpecCompiler.compile(Files.readString(SPEC), "party");
        Map<Long, Struct> fromJdbc = new TreeMap<>();
        try (Connection db = postgres.connect(CRM);
                Statement statement = db.createStatement();
                ResultSet rs = statement.executeQuery("SELECT * FROM public.customer WHERE id IN (1, 2)")) {
            while (rs.next()) {
                Map<String, Object> row = ValueNormalizer.row(rs);
                fromJdbc.put((Long) row.get("id"), party.translate(party.targetId(row), row, Map.of(), Map.of(), "r"));
            }
        }
        // The latest event of each row, once the stream has caught up with what JDBC reads now.
        Map<Long, Struct> fromDebezium = Await.value(
                PATIENCE,
                "Debezium events matching the JDBC rows",
                () -> latestEvents(party, fromJdbc.keySet()),
                translated -> translated.equals(fromJdbc));
        assertFalse(fromJdbc.isEmpty());
        assertEquals(fromJdbc, fromDebezium);
    }

    @Test
    void anInvalidSpecIsRejectedByTheValidateEndpointWithItsPath() throws Exception {
        Map<String, String> broken = new HashMap<>(sink.config());
        broken.put("transforms.party.spec", Files.readString(SPEC).replace("unmapped: error", "unmapped: maybe"));
        ConnectRest.Validation validation = connect.rest().validate(sink.connectorClass(), broken);
        List<String> errors = validation.errorsOn("transforms.party.spec");
        assertEquals(1, errors.size(), validation.toString());
        assertTrue(errors.get(0).contains("aggregates.party.fields.kind.unmapped"), errors.get(0));
    }

    @Test
    void aDateFieldFromColumnsOfAnotherTypeFailsValidationOnTheSpecWithThePathAndBothTypes() throws Exception {
        Map<String, String> broken = new HashMap<>(sink.config());
        String spec = Files.readString(SPEC);
        broken.put(
                "transforms.party.spec",
                spec.replace(
                        "      region: region",
                        "      region: region\n      closed_on: {type: date, expr: \"coalesce(after.fax, after.email)\"}"));
        List<String> errors =
                connect.rest().validate(sink.connectorClass(), broken).errorsOn("transforms.party.spec");
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(
                errors.get(0).contains("aggregates.party.fields.closed_on.expr")
                        && errors.get(0).contains("dyn")
                        && errors.get(0).contains("to be a date"),
                errors.get(0));

        // With the columns' types declared, the type is known, and still not a date.
        String typed = spec.replaceAll(
                "(?s)columns: \\[.*?\\]\n",
                "columns: {id: bigint, cust_type: char(1), first_name: "
                        + "text, last_name: text, company_name: text, status: char(1), balance_cents: bigint, fax: text, "
                        + "email: text, email_opt_in: boolean, region: text, updated_at: timestamp}\n");
        broken.put(
                "transforms.party.spec",
                typed.replace(
                        "      region: region",
                        "      region: region\n      closed_on: {type: date, expr: \"coalesce(after.fax, after.email)\"}"));
        errors = connect.rest().validate(sink.connectorClass(), broken).errorsOn("transforms.party.spec");
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(
                errors.get(0).contains("aggregates.party.fields.closed_on.expr")
                        && errors.get(0).contains("yields string")
                        && errors.get(0).contains("not a date"),
                errors.get(0));
    }

    private static Map<Long, Struct> latestEvents(AggregateTranslator party, Set<Long> ids) {
        JsonConverter json = new JsonConverter();
        json.configure(Map.of("schemas.enable", "true"), false);
        Map<Long, Struct> latest = new TreeMap<>();
        for (TopicRecord record : connect.topics().readAll(TOPIC)) {
            if (record.isTombstone()) {
                continue;
            }
            SchemaAndValue event = json.toConnectData(TOPIC, record.raw().value());
            ChangeEvent change = ChangeEvent.read(event.schema(), event.value());
            if (change.operation().carriesRowState()) {
                Map<String, Object> row = ValueNormalizer.row(change.after());
                if (ids.contains((Long) row.get("id"))) {
                    latest.put(
                            (Long) row.get("id"), party.translate(party.targetId(row), row, Map.of(), Map.of(), "r"));
                }
            }
        }
        return latest;
    }

    private static long count(String where) {
        return ((Number) postgres.query(PostgresFixture.TARGET, "SELECT count(*) FROM public.party " + where)
                        .get(0)
                        .get(0))
                .longValue();
    }

    private static Map<String, String> party(String legacyKey) {
        List<Object> row = postgres.query(
                        PostgresFixture.TARGET,
                        "SELECT kind, display_name, status, email, region, "
                                + "to_char(updated_at, 'YYYY-MM-DD HH24:MI:SS.MS'), lineage_rule, lineage_operation FROM public.party "
                                + "WHERE lineage_source_key = '" + legacyKey + "'")
                .get(0);
        return Map.of(
                "row",
                row.subList(0, 6).stream().map(String::valueOf).collect(Collectors.joining("|")),
                "lineage",
                row.get(6) + "|" + row.get(7));
    }
}
