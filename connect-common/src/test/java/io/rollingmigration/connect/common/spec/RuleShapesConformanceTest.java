package io.rollingmigration.connect.common.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rollingmigration.connect.common.change.ChangeEvent;
import io.rollingmigration.connect.common.normalize.ValueNormalizer;
import io.rollingmigration.testsupport.PostgresFixture;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rule shapes a fifteen-year-old package install needs, each written in the spec as the rule says it: case
 * folding, trimming, rounding to cents, coalescing dates, numeric status codes, product-specific columns read under
 * a condition, ids defined as UUIDv5 of {@code '<table>:<key>'}, and a policy row assembled from a header and a
 * premium table. Every row is translated twice, from the change event Debezium's PostgreSQL connector emits for it
 * (its logical types: {@code io.debezium.time.Date}, {@code Decimal} with its scale, INT16 for smallint) and from the
 * same row read over JDBC from a real PostgreSQL, and both must give the aggregate written out here by hand.
 */
class RuleShapesConformanceTest {

    private static final String DB = "package_install";
    private static final UUID URL = Uuid5.NAMED.get("url");

    private static final String PARTY_SPEC = String.join(
            "\n",
            "name: pkg-party",
            "version: 1",
            "source: public.pkg_customer",
            "columns: {cust_no: integer, cust_kind: smallint, first_nm: varchar(30), last_nm: varchar(30),",
            "          org_nm: varchar(60), status_cd: smallint, email: varchar(80)}",
            "aggregates:",
            "  party:",
            "    key: {field: party_id, uuid5: {namespace: url, name: \"'pkg_customer:' + string(after.cust_no)\"}}",
            "    fields:",
            "      kind: {from: cust_kind, map: {1: PERSON, 2: ORGANISATION}, unmapped: error}",
            "      display_name: {expr: \"after.cust_kind == 2 ? trim(after.org_nm)"
                    + " : trim(after.first_nm) + ' ' + trim(after.last_nm)\"}",
            "      email: {expr: \"lowerAscii(trim(after.email))\", masked: true}",
            "      status: {from: status_cd, map: {0: ACTIVE, 9: CLOSED}, default: UNKNOWN}");
    private static final String POLICY_SPEC = String.join(
            "\n",
            "name: pkg-policy",
            "version: 1",
            "source: public.pkg_policy",
            "columns: {pol_id: integer, cust_no: integer, prod_line: char(2), status_cd: smallint, eff_dt: date,",
            "          exp_dt: date, cancel_dt: date, attr1: varchar(40)}",
            "aggregates:",
            "  policy:",
            "    key: {field: policy_id, uuid5: {namespace: url, name: \"'pkg_policy:' + string(after.pol_id)\"}}",
            "    fields:",
            "      holder_id: {ref: {uuid5: url, name: \"'pkg_customer:' + string(after.cust_no)\"}}",
            "      product: {from: prod_line, map: {AU: MOTOR, HO: HOME}, unmapped: error}",
            "      status: {from: status_cd, map: {10: QUOTED, 20: IN_FORCE, 30: CANCELLED}, unmapped: error}",
            "      starts_on: {type: date, from: eff_dt}",
            "      ends_on: {type: date, expr: \"coalesce(after.cancel_dt, after.exp_dt)\"}",
            "      backdated: {type: boolean, expr: \"after.cancel_dt != null && after.cancel_dt < after.eff_dt\"}",
            "      vin: {when: \"after.prod_line == 'AU'\", expr: \"upperAscii(trim(after.attr1))\"}",
            "      construction: {when: \"after.prod_line == 'HO'\", expr: \"lowerAscii(trim(after.attr1))\"}");
    private static final String PREMIUM_SPEC = String.join(
            "\n",
            "name: pkg-premium",
            "version: 1",
            "source: public.pkg_premium",
            "columns: {pol_id: integer, premium: 'numeric(14,4)', curr: char(3)}",
            "aggregates:",
            "  policy:",
            "    key: {field: policy_id, uuid5: {namespace: url, name: \"'pkg_policy:' + string(after.pol_id)\"}}",
            "    fields:",
            "      premium: {type: decimal(2), expr: \"round(after.premium, 2)\"}",
            "      premium_cents: {type: long, expr: \"int(round(after.premium * 100))\"}",
            "      currency: {expr: \"upperAscii(after.curr)\"}");

    private static PostgresFixture postgres;

    @BeforeAll
    static void legacy() {
        postgres = PostgresFixture.shared();
        postgres.createDatabase(DB);
        postgres.execute(
                DB,
                "DROP TABLE IF EXISTS pkg_customer, pkg_policy, pkg_premium",
                "CREATE TABLE pkg_customer (cust_no integer PRIMARY KEY, cust_kind smallint NOT NULL, "
                        + "first_nm varchar(30), last_nm varchar(30), org_nm varchar(60), status_cd smallint NOT NULL, "
                        + "email varchar(80))",
                "CREATE TABLE pkg_policy (pol_id integer PRIMARY KEY, cust_no integer NOT NULL, prod_line char(2) "
                        + "NOT NULL, status_cd smallint NOT NULL, eff_dt date NOT NULL, exp_dt date, cancel_dt date, "
                        + "attr1 varchar(40))",
                "CREATE TABLE pkg_premium (pol_id integer PRIMARY KEY, premium numeric(14,4) NOT NULL, "
                        + "curr char(3) NOT NULL)",
                "INSERT INTO pkg_customer VALUES (1, 1, '  Ada ', 'Lovelace  ', NULL, 0, ' ADA@Example.COM '), "
                        + "(2, 2, NULL, NULL, ' Analytical Engines Ltd ', 9, NULL), (3, 1, 'Charles', 'Babbage', NULL, 4, "
                        + "'cb@example.com')",
                "INSERT INTO pkg_policy VALUES (100, 1, 'AU', 20, '2026-03-01', '2027-02-28', NULL, ' vf1abc123 '), "
                        + "(101, 2, 'HO', 30, '2026-03-01', '2027-02-28', '2026-02-15', ' Timber Frame'), "
                        + "(102, 3, 'AU', 10, '2026-06-01', NULL, NULL, NULL)",
                "INSERT INTO pkg_premium VALUES (100, 1234.5650, 'eur'), (101, 88.1249, 'EUR'), (102, 0.0050, 'gbp')");
    }

    @Test
    void partiesFoldCaseTrimAndMapNumericCodes() throws Exception {
        String ada = Uuid5.of(URL, "pkg_customer:1").toString();
        assertEquals(
                List.of(
                        aggregate(
                                "party_id",
                                ada,
                                "kind",
                                "PERSON",
                                "display_name",
                                "Ada Lovelace",
                                "email",
                                "ada@example.com",
                                "status",
                                "ACTIVE"),
                        aggregate(
                                "party_id",
                                Uuid5.of(URL, "pkg_customer:2").toString(),
                                "kind",
                                "ORGANISATION",
                                "display_name",
                                "Analytical Engines Ltd",
                                "email",
                                null,
                                "status",
                                "CLOSED"),
                        aggregate(
                                "party_id",
                                Uuid5.of(URL, "pkg_customer:3").toString(),
                                "kind",
                                "PERSON",
                                "display_name",
                                "Charles Babbage",
                                "email",
                                "cb@example.com",
                                "status",
                                "UNKNOWN")),
                bothWays(PARTY_SPEC, "party", "pkg_customer", "cust_no"));
    }

    @Test
    void policiesCoalesceDatesReadProductColumnsUnderAConditionAndReferenceTheirHolder() throws Exception {
        assertEquals(
                List.of(
                        aggregate(
                                "policy_id",
                                Uuid5.of(URL, "pkg_policy:100").toString(),
                                "holder_id",
                                Uuid5.of(URL, "pkg_customer:1").toString(),
                                "product",
                                "MOTOR",
                                "status",
                                "IN_FORCE",
                                "starts_on",
                                day("2026-03-01"),
                                "ends_on",
                                day("2027-02-28"),
                                "backdated",
                                false,
                                "vin",
                                "VF1ABC123",
                                "construction",
                                null),
                        aggregate(
                                "policy_id",
                                Uuid5.of(URL, "pkg_policy:101").toString(),
                                "holder_id",
                                Uuid5.of(URL, "pkg_customer:2").toString(),
                                "product",
                                "HOME",
                                "status",
                                "CANCELLED",
                                "starts_on",
                                day("2026-03-01"),
                                "ends_on",
                                day("2026-02-15"),
                                "backdated",
                                true,
                                "vin",
                                null,
                                "construction",
                                "timber frame"),
                        aggregate(
                                "policy_id",
                                Uuid5.of(URL, "pkg_policy:102").toString(),
                                "holder_id",
                                Uuid5.of(URL, "pkg_customer:3").toString(),
                                "product",
                                "MOTOR",
                                "status",
                                "QUOTED",
                                "starts_on",
                                day("2026-06-01"),
                                "ends_on",
                                null,
                                "backdated",
                                false,
                                "vin",
                                null,
                                "construction",
                                null)),
                bothWays(POLICY_SPEC, "policy", "pkg_policy", "pol_id"));
    }

    @Test
    void thePremiumFragmentRoundsToCentsAndKeysTheSamePolicyRow() throws Exception {
        assertEquals(
                List.of(
                        aggregate(
                                "policy_id",
                                Uuid5.of(URL, "pkg_policy:100").toString(),
                                "premium",
                                new BigDecimal("1234.57"),
                                "premium_cents",
                                123457L,
                                "currency",
                                "EUR"),
                        aggregate(
                                "policy_id",
                                Uuid5.of(URL, "pkg_policy:101").toString(),
                                "premium",
                                new BigDecimal("88.12"),
                                "premium_cents",
                                8812L,
                                "currency",
                                "EUR"),
                        aggregate(
                                "policy_id",
                                Uuid5.of(URL, "pkg_policy:102").toString(),
                                "premium",
                                new BigDecimal("0.01"),
                                "premium_cents",
                                1L,
                                "currency",
                                "GBP")),
                bothWays(PREMIUM_SPEC, "policy", "pkg_premium", "pol_id"));
    }

    private static Map<String, Object> aggregate(Object... pairs) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put((String) pairs[i], pairs[i + 1]);
        }
        return values;
    }

    private static java.util.Date day(String iso) {
        return java.util.Date.from(
                LocalDate.parse(iso).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /**
     * Each row of the table translated from its JDBC read and from its Debezium event; the two must agree, and the
     * result (in key order) is returned for the hand-written comparison.
     */
    private static List<Map<String, Object>> bothWays(String spec, String aggregate, String table, String key)
            throws Exception {
        AggregateTranslator translator = SpecCompiler.compile(spec, aggregate);
        List<Map<String, Object>> fromJdbc = new ArrayList<>();
        List<Map<String, Object>> fromEvents = new ArrayList<>();
        try (Connection connection = postgres.connect(DB);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT * FROM " + table + " ORDER BY " + key)) {
            while (rs.next()) {
                Map<String, Object> jdbc = ValueNormalizer.row(rs);
                fromJdbc.add(values(translator, jdbc));
                Struct envelope = debeziumEvent(rs, table);
                Map<String, Object> event = ValueNormalizer.row(
                        ChangeEvent.read(envelope.schema(), envelope).after());
                fromEvents.add(values(translator, event));
            }
        }
        assertEquals(fromJdbc, fromEvents, "a Debezium event and a JDBC row translate alike");
        return fromJdbc;
    }

    private static Map<String, Object> values(AggregateTranslator translator, Map<String, Object> row) {
        Struct value = translator.translate(translator.targetId(row), row, Map.of(), Map.of(), "r");
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field field : value.schema().fields()) {
            values.put(field.name(), value.get(field));
        }
        return values;
    }

    /**
     * The change event Debezium's PostgreSQL connector emits for a snapshot read of the row, with
     * {@code time.precision.mode=adaptive} and {@code decimal.handling.mode=precise}: integer as INT32, smallint as
     * INT16, date as {@code io.debezium.time.Date} (days since the epoch), numeric as Connect's {@code Decimal}.
     */
    private static Struct debeziumEvent(ResultSet rs, String table) throws Exception {
        ResultSetMetaData meta = rs.getMetaData();
        SchemaBuilder rowSchema =
                SchemaBuilder.struct().name("pkg." + table + ".Value").optional();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            rowSchema.field(
                    meta.getColumnName(i),
                    debeziumSchema(
                            meta.getColumnTypeName(i),
                            meta.getScale(i),
                            meta.isNullable(i) != ResultSetMetaData.columnNoNulls));
        }
        Schema row = rowSchema.build();
        Struct after = new Struct(row);
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            Object value = rs.getObject(i);
            after.put(
                    meta.getColumnName(i),
                    value == null
                            ? null
                            : switch (meta.getColumnTypeName(i)) {
                                case "int4" -> ((Number) value).intValue();
                                case "int2" -> ((Number) value).shortValue();
                                case "date" ->
                                    (int) ((java.sql.Date) value).toLocalDate().toEpochDay();
                                default -> value;
                            });
        }
        Schema source = SchemaBuilder.struct()
                .name("io.debezium.connector.postgresql.Source")
                .field("connector", Schema.STRING_SCHEMA)
                .field("ts_ms", Schema.INT64_SCHEMA)
                .field(
                        "snapshot",
                        SchemaBuilder.string().optional().defaultValue("false").build())
                .field("schema", Schema.STRING_SCHEMA)
                .field("table", Schema.STRING_SCHEMA)
                .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
                .build();
        Schema envelope = SchemaBuilder.struct()
                .name("pkg." + table + ".Envelope")
                .field("before", row)
                .field("after", row)
                .field("source", source)
                .field("op", Schema.STRING_SCHEMA)
                .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
                .build();
        return new Struct(envelope)
                .put("after", after)
                .put("op", "r")
                .put("ts_ms", 1_700_000_000_000L)
                .put(
                        "source",
                        new Struct(source)
                                .put("connector", "postgresql")
                                .put("ts_ms", 1_700_000_000_000L)
                                .put("snapshot", "true")
                                .put("schema", "public")
                                .put("table", table)
                                .put("lsn", 100L));
    }

    private static Schema debeziumSchema(String type, int scale, boolean optional) {
        SchemaBuilder builder = switch (type) {
            case "int4" -> SchemaBuilder.int32();
            case "int2" -> SchemaBuilder.int16();
            case "date" -> SchemaBuilder.int32().name("io.debezium.time.Date").version(1);
            case "numeric" -> Decimal.builder(scale).parameter("connect.decimal.precision", "14");
            default -> SchemaBuilder.string();
        };
        return optional ? builder.optional().build() : builder.build();
    }
}
