package io.rollingmigration.connect.smt.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import io.rollingmigration.testsupport.ChangeEvents;
import io.rollingmigration.testsupport.WireFormat;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The translation does not depend on how the change events crossed Kafka: events read back through Kafka's
 * JsonConverter or through Avro (Apicurio's Connect mapping) become the same aggregates, keys and lineage headers
 * as the events Debezium produced, for the example specs' types (dates, microsecond timestamps, exact decimals,
 * chars, optional columns left empty) and every operation.
 */
class TranslationOnAnyConverterTest {

    private static final Path INSURER_SPECS = TranslateAggregateTest.SPEC
            .getParent()
            .getParent()
            .resolve("insurer")
            .resolve("specs");

    private static final Schema PREMIUM_ROW = SchemaBuilder.struct()
            .name(ChangeEvents.rowName("insurer", "public", "policy_premium"))
            .optional()
            .field("policy_no", Schema.STRING_SCHEMA)
            .field(
                    "term_start",
                    SchemaBuilder.int32()
                            .name("io.debezium.time.Date")
                            .version(1)
                            .build())
            .field("premium_cents", Schema.INT64_SCHEMA)
            .field("currency", Schema.STRING_SCHEMA)
            .field("installments", Schema.INT32_SCHEMA)
            .field(
                    "updated_at",
                    SchemaBuilder.int64()
                            .name("io.debezium.time.MicroTimestamp")
                            .version(1)
                            .build())
            .build();
    private static final ChangeEvents PREMIUMS = ChangeEvents.of(
            "insurer",
            "public",
            "policy_premium",
            PREMIUM_ROW,
            ChangeEvents.POSTGRES_SOURCE,
            "policy_no",
            "term_start");

    private static final Schema BILLING_ROW = SchemaBuilder.struct()
            .name(ChangeEvents.rowName("insurer", "public", "policy_billing"))
            .optional()
            .field("policy_no", Schema.STRING_SCHEMA)
            .field(
                    "annual_premium",
                    Decimal.builder(4)
                            .parameter("connect.decimal.precision", "12")
                            .build())
            .field("currency", Schema.STRING_SCHEMA)
            .field(
                    "updated_at",
                    SchemaBuilder.int64()
                            .name("io.debezium.time.MicroTimestamp")
                            .version(1)
                            .build())
            .build();
    private static final ChangeEvents BILLINGS = ChangeEvents.of(
            "insurer", "public", "policy_billing", BILLING_ROW, ChangeEvents.POSTGRES_SOURCE, "policy_no");

    static Stream<WireFormat> formats() {
        return Stream.of(WireFormat.json(), WireFormat.avro());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void customersBecomeTheSamePartiesWhateverTheConverter(WireFormat format) throws Exception {
        Struct business = TranslateAggregateTest.person(43)
                .put("cust_type", "B")
                .put("first_name", null)
                .put("last_name", null)
                .put("company_name", "Fleet Ltd")
                .put("fax", null)
                .put("email", null)
                .put("email_opt_in", false);
        Struct renamed = TranslateAggregateTest.person(42).put("last_name", "King");
        List<SourceRecord> events = List.of(
                TranslateAggregateTest.event("r", null, TranslateAggregateTest.person(42), 100),
                TranslateAggregateTest.event("c", null, business, 200),
                TranslateAggregateTest.event("u", TranslateAggregateTest.person(42), renamed, 300),
                TranslateAggregateTest.event("d", business, null, 400));

        assertSameTranslation(format, TranslateAggregateTest.transform("party"), events);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void premiumsKeepTheirDatesTimestampsAndExactAmounts(WireFormat format) throws Exception {
        Struct premium = new Struct(PREMIUM_ROW)
                .put("policy_no", "PA-0007")
                .put("term_start", 20_089)
                .put("premium_cents", 123_456L)
                .put("currency", "GBP")
                .put("installments", 12)
                .put("updated_at", 1_764_000_000_123_456L);
        Struct raised = copy(premium).put("premium_cents", 124_706L);
        List<SourceRecord> events = List.of(
                PREMIUMS.change("c", null, premium, PREMIUMS.postgresSource(500)),
                PREMIUMS.change("u", premium, raised, PREMIUMS.postgresSource(600)),
                PREMIUMS.change("d", raised, null, PREMIUMS.postgresSource(700)));

        assertSameTranslation(format, insurer("policy-premium.yaml", "premium"), events);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void aFourDecimalLegacyAmountIsRoundedTheSameWhateverTheConverter(WireFormat format) throws Exception {
        Struct billing = new Struct(BILLING_ROW)
                .put("policy_no", "PA-0061")
                .put("annual_premium", new BigDecimal("1234.5650"))
                .put("currency", "gbp  ")
                .put("updated_at", 1_764_000_000_000_001L);
        List<SourceRecord> events = List.of(BILLINGS.change("c", null, billing, BILLINGS.postgresSource(800)));

        List<SourceRecord> translated = assertSameTranslation(format, insurer("billing.yaml", "policy"), events);
        assertEquals(new BigDecimal("1234.57"), ((Struct) translated.get(0).value()).get("annual_premium"));
    }

    private static TranslateAggregate<SourceRecord> insurer(String spec, String aggregate) throws Exception {
        TranslateAggregate<SourceRecord> transform = new TranslateAggregate<>(() -> 7L);
        transform.configure(Map.of("spec", Files.readString(INSURER_SPECS.resolve(spec)), "aggregate", aggregate));
        return transform;
    }

    /** Translates each event as produced and as carried; both must give the same record. Returns the carried ones. */
    private static List<SourceRecord> assertSameTranslation(
            WireFormat format, TranslateAggregate<SourceRecord> transform, List<SourceRecord> events) {
        List<SourceRecord> carried = new ArrayList<>();
        for (SourceRecord event : events) {
            SourceRecord expected = transform.apply(event);
            SourceRecord arrived = format.carry(event);
            assertNotSame(event.valueSchema(), arrived.valueSchema(), "the event crossed " + format);
            SourceRecord actual = transform.apply(arrived);
            assertNotNull(actual, "translated after " + format + ": " + event.value());
            String op = ((Struct) event.value()).getString("op");
            assertEquals(expected.topic(), actual.topic(), op);
            assertEquals(expected.key(), actual.key(), op + ": key");
            assertEquals(expected.keySchema(), actual.keySchema(), op + ": key schema");
            assertEquals(expected.value(), actual.value(), op + ": aggregate");
            assertEquals(expected.valueSchema(), actual.valueSchema(), op + ": aggregate schema");
            assertEquals(headers(expected), headers(actual), op + ": lineage headers");
            carried.add(actual);
        }
        return carried;
    }

    private static List<String> headers(SourceRecord record) {
        List<String> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            headers.add(header.key() + "=" + header.value());
        }
        return headers;
    }

    private static Struct copy(Struct row) {
        Struct copy = new Struct(row.schema());
        row.schema().fields().forEach(f -> copy.put(f, row.get(f)));
        return copy;
    }
}
