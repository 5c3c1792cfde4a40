package io.rollingmigration.connect.smt.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollingmigration.connect.common.lineage.Lineage.Field;
import io.rollingmigration.connect.common.spec.Uuid5;
import io.rollingmigration.connect.common.status.StatusReport;
import io.rollingmigration.testsupport.ChangeEvents;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class TranslateAggregateTest {

    static final Path SPEC = Paths.get("")
            .toAbsolutePath()
            .getParent()
            .resolve("config-examples/src/main/resources/connect-smt/customer-spec.yaml");
    static final Schema ROW = SchemaBuilder.struct()
            .name(ChangeEvents.rowName("legacy", "public", "customer"))
            .optional()
            .field("id", Schema.INT64_SCHEMA)
            .field("cust_type", Schema.STRING_SCHEMA)
            .field("first_name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("last_name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("company_name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("status", Schema.STRING_SCHEMA)
            .field("balance_cents", Schema.INT64_SCHEMA)
            .field("fax", Schema.OPTIONAL_STRING_SCHEMA)
            .field("email", Schema.OPTIONAL_STRING_SCHEMA)
            .field("email_opt_in", Schema.BOOLEAN_SCHEMA)
            .field("region", Schema.STRING_SCHEMA)
            .field(
                    "updated_at",
                    SchemaBuilder.int64()
                            .name("io.debezium.time.MicroTimestamp")
                            .build())
            .build();
    static final ChangeEvents CUSTOMERS =
            ChangeEvents.of("legacy", "public", "customer", ROW, ChangeEvents.POSTGRES_SOURCE, "id");

    static TranslateAggregate<SourceRecord> transform(String aggregate) throws Exception {
        TranslateAggregate<SourceRecord> transform = new TranslateAggregate<>(() -> 7L);
        transform.configure(Map.of("spec", Files.readString(SPEC), "aggregate", aggregate));
        return transform;
    }

    static Struct person(long id) {
        return new Struct(ROW)
                .put("id", id)
                .put("cust_type", "P")
                .put("first_name", "Ada")
                .put("last_name", "Lovelace")
                .put("status", "A")
                .put("balance_cents", 123456L)
                .put("fax", "+44 20 1234")
                .put("email", "ada@example.com")
                .put("email_opt_in", true)
                .put("region", "EU")
                .put("updated_at", 1_764_000_000_123_456L);
    }

    static SourceRecord event(String op, Struct before, Struct after, long lsn) {
        Struct source = CUSTOMERS.postgresSource(lsn).put("ts_ms", 1_764_000_000_000L);
        if (op.equals("r")) {
            source.put("snapshot", "true");
        }
        return CUSTOMERS.change(op, before, after, source);
    }

    @Test
    void insertBecomesAPartyKeyedByItsStableUuid() throws Exception {
        SourceRecord out = transform("party").apply(event("c", null, person(42), 900));

        String id = Uuid5.of(UUID.fromString("6ba7b811-9dad-11d1-80b4-00c04fd430c8"), "{\"id\":42}")
                .toString();
        assertEquals("party", out.topic());
        assertEquals(id, ((Struct) out.key()).getString("party_id"));
        Struct party = (Struct) out.value();
        assertEquals(id, party.getString("party_id"));
        assertEquals("PERSON", party.getString("kind"));
        assertEquals("Ada Lovelace", party.getString("display_name"));
        assertEquals("ACTIVE", party.getString("status"));
        assertEquals("ada@example.com", party.getString("email"));
        assertEquals(1_764_000_000_123L, ((Date) party.get("updated_at")).getTime());
        assertEquals(
                "crm-customer@1",
                out.headers().lastWithName(Field.RULE.header()).value());
        assertEquals(
                900L, out.headers().lastWithName(Field.SOURCE_POSITION.header()).value());
        assertEquals(
                "{\"id\":42}",
                out.headers().lastWithName(Field.SOURCE_KEY.header()).value());
    }

    @Test
    void aFunctionThatFailsOnAValueFailsTheRecordNamingThePathAndTheTypeAndMaskedNeverTheValue() throws Exception {
        String spec = Files.readString(SPEC)
                .replace(
                        "      region: region",
                        "      region: region\n      born_on: {type: date, expr: \"date(after.fax)\", masked: true}");
        TranslateAggregate<SourceRecord> masked = new TranslateAggregate<>(() -> 7L);
        masked.configure(Map.of("spec", spec, "aggregate", "party"));
        // What the errant record reporter puts into the dead letter queue's exception message header.
        DataException error = assertThrows(DataException.class, () -> masked.apply(event("c", null, person(42), 1)));
        assertTrue(
                error.getMessage().contains("aggregates.party.fields.born_on.expr")
                        && error.getMessage().contains("a string")
                        && error.getMessage().contains("{\"id\":42}")
                        && !error.getMessage().contains("+44 20 1234"),
                error.getMessage());

        TranslateAggregate<SourceRecord> plain = new TranslateAggregate<>(() -> 7L);
        plain.configure(Map.of("spec", spec.replace(", masked: true}", "}"), "aggregate", "party"));
        assertTrue(
                assertThrows(DataException.class, () -> plain.apply(event("c", null, person(42), 1)))
                        .getMessage()
                        .contains("+44 20 1234"),
                "unmasked, the value helps whoever reads the dead letter queue");
    }

    @Test
    void theSameLegacyRowFeedsTheCustomerProfileWithExactMoney() throws Exception {
        SourceRecord out = transform("customer_profile").apply(event("r", null, person(42), 100));

        Struct profile = (Struct) out.value();
        assertEquals(new BigDecimal("1234.56"), profile.get("balance"));
        assertEquals("customer_profile", out.topic());
        assertEquals(
                "READ", out.headers().lastWithName(Field.OPERATION.header()).value());
        assertEquals("true", out.headers().lastWithName(Field.SNAPSHOT.header()).value());
    }

    @Test
    void deleteBecomesATombstoneOfTheAggregateKey() throws Exception {
        TranslateAggregate<SourceRecord> transform = transform("party");
        SourceRecord created = transform.apply(event("c", null, person(42), 900));
        SourceRecord deleted = transform.apply(event("d", person(42), null, 950));

        assertNull(deleted.value());
        assertEquals(created.key(), deleted.key());
        assertEquals(
                "DELETE",
                deleted.headers().lastWithName(Field.OPERATION.header()).value());
        assertNull(
                transform.apply(new SourceRecord(
                        Map.of(),
                        Map.of(),
                        "t",
                        0,
                        CUSTOMERS.key(),
                        new Struct(CUSTOMERS.key()).put("id", 42L),
                        null,
                        null)),
                "Debezium's own tombstone is dropped");
    }

    @Test
    void schemasAreStableAcrossRecords() throws Exception {
        TranslateAggregate<SourceRecord> transform = transform("party");
        assertSame(
                transform.apply(event("c", null, person(1), 1)).valueSchema(),
                transform.apply(event("c", null, person(2), 2)).valueSchema());
    }

    @Test
    void anUntranslatableRecordFailsWithTheRuleAndTheLegacyKey() throws Exception {
        Struct odd = person(77).put("cust_type", "Q");
        DataException error =
                assertThrows(DataException.class, () -> transform("party").apply(event("u", null, odd, 5)));
        assertTrue(
                error.getMessage().contains("crm-customer@1")
                        && error.getMessage().contains("{\"id\":77}")
                        && error.getMessage().contains("'Q'"),
                error.getMessage());
    }

    @Test
    void metricsCountTranslatedFailedAndSemanticLossPerDroppedColumn() throws Exception {
        Metrics registry = new Metrics();
        TranslateAggregate<SourceRecord> transform = transform("party");
        transform.withPluginMetrics(new PluginMetricsImpl(registry, Map.of()));

        transform.apply(event("c", null, person(1), 1));
        transform.apply(event("c", null, person(2).put("fax", null), 2));
        assertThrows(
                DataException.class,
                () -> transform.apply(event("c", null, person(3).put("cust_type", "Q"), 3)));

        assertEquals(2.0, metric(registry, "records-translated-total", null));
        assertEquals(1.0, metric(registry, "records-failed-total", null));
        assertEquals(1.0, metric(registry, "semantic-loss-total", "fax"));
    }

    @Test
    void itsStatusRecordsCountWhatItTranslatedAndItsFailuresByTheFieldOfTheSpecTheyFailedAt() throws Exception {
        TranslateAggregate<SourceRecord> transform = new TranslateAggregate<>(() -> 7L);
        transform.configure(Map.of(
                "spec",
                Files.readString(SPEC),
                "aggregate",
                "party",
                "status.bootstrap.servers",
                "localhost:1",
                "status.unit",
                "customer"));
        // Connect tags a transform's plugin metrics with its connector and task.
        transform.withPluginMetrics(
                new PluginMetricsImpl(new Metrics(), Map.of("connector", "crm-sink", "task", "2", "alias", "t")));
        try {
            transform.apply(event("c", null, person(1), 1));
            transform.apply(event("c", null, person(2).put("fax", null), 2));
            transform.apply(event("c", null, person(3).put("fax", "+1 555"), 3));
            for (long id = 4; id <= 5; id++) {
                long key = id;
                assertThrows(
                        DataException.class,
                        () -> transform.apply(event("c", null, person(key).put("cust_type", "Q"), key)));
            }

            StatusReport report = transform.statusReport(System.currentTimeMillis());
            assertEquals(StatusReport.Kind.TRANSLATION, report.kind());
            assertEquals(List.of("crm-sink", 2, "customer"), List.of(report.connector(), report.task(), report.unit()));
            assertTrue(new String(report.key()).contains("\"kind\":\"TRANSLATION\""), new String(report.key()));
            JsonNode figures = report.figures();
            assertEquals(3, figures.path("totals").path("translated").asLong(), figures.toString());
            assertEquals(2, figures.path("totals").path("failed").asLong(), figures.toString());
            assertEquals(1, figures.path("failed_by_reason").size(), figures.toString());
            String reason = figures.path("failed_by_reason").fieldNames().next();
            assertTrue(reason.startsWith("aggregates.party.fields."), "the field the spec failed at: " + reason);
            assertEquals(2, figures.path("failed_by_reason").path(reason).asLong());
            assertEquals(2, figures.path("semantic_loss_by_column").path("fax").asLong(), figures.toString());
            assertFalse(figures.toString().contains("'Q'"), "no legacy value in the figures: " + figures);
        } finally {
            transform.close();
        }
    }

    @Test
    void anInvalidSpecIsReportedOnTheSpecKeyWithItsPath() throws Exception {
        String broken = Files.readString(SPEC).replace("decimal(2)", "money");
        Map<String, String> config = new HashMap<>(Map.of("spec", broken, "aggregate", "party"));
        List<ConfigValue> values = TranslateAggregate.CONFIG_DEF.validate(config);
        String errors = values.stream()
                .filter(v -> v.name().equals("spec"))
                .findFirst()
                .orElseThrow()
                .errorMessages()
                .toString();
        assertTrue(errors.contains("aggregates.customer_profile.fields.balance.type"), errors);

        ConfigException unknown = assertThrows(
                ConfigException.class,
                () -> new TranslateAggregate<SourceRecord>()
                        .configure(Map.of("spec", Files.readString(SPEC), "aggregate", "policy")));
        assertTrue(
                unknown.getMessage().contains("aggregate")
                        && unknown.getMessage().contains("[party, " + "customer_profile]"),
                unknown.getMessage());
    }

    @Test
    void everyConfigKeyIsDocumentedInTheOperatorGuide() throws Exception {
        String guide =
                Files.readString(Paths.get("").toAbsolutePath().getParent().resolve("docs/connect-smt.md"));
        for (String key : TranslateAggregate.CONFIG_DEF.names()) {
            assertTrue(guide.contains("`" + key + "`"), "docs/connect-smt.md documents `" + key + "`");
        }
    }

    private static double metric(Metrics registry, String name, String column) {
        return registry.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name)
                        && (column == null || column.equals(e.getKey().tags().get("column"))))
                .map(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name));
    }
}
