package io.rollingmigration.connect.common.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cel.common.CelException;
import dev.cel.common.CelOptions;
import dev.cel.runtime.CelFunctionBinding;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

/** Every function of the spec's expression language, with the examples docs/mapping-spec.md shows. */
class SpecFunctionsTest {

    private static final LegacyColumns COLUMNS;

    static {
        Map<String, ColumnType> types = new LinkedHashMap<>();
        types.put("name", ColumnType.parse("varchar(80)", "t"));
        types.put("code", ColumnType.parse("smallint", "t"));
        types.put("premium", ColumnType.parse("numeric(12,4)", "t"));
        types.put("ratio", ColumnType.parse("double precision", "t"));
        types.put("cancel_date", ColumnType.parse("date", "t"));
        types.put("expiry_date", ColumnType.parse("date", "t"));
        types.put("issued_at", ColumnType.parse("timestamp(6)", "t"));
        types.put("paid_at", ColumnType.parse("timestamptz", "t"));
        types.put("opens", ColumnType.parse("time", "t"));
        types.put("yyyymmdd", ColumnType.parse("char(8)", "t"));
        types.put("flag", ColumnType.parse("boolean", "t"));
        types.put("blob", ColumnType.parse("bytea", "t"));
        types.put("anything", ColumnType.UNKNOWN);
        COLUMNS = LegacyColumns.typed(types);
    }

    private static final Expressions LANGUAGE = new Expressions(COLUMNS);

    private static Map<String, Object> row() {
        Map<String, Object> row = new HashMap<>();
        row.put("name", "  Ada LOVELACE ");
        row.put("code", 3L);
        row.put("premium", new BigDecimal("1234.5650"));
        row.put("ratio", 0.125);
        row.put("cancel_date", null);
        row.put("expiry_date", LocalDate.of(2027, 3, 1));
        row.put("issued_at", LocalDateTime.of(2026, 7, 1, 23, 30));
        row.put("paid_at", Instant.parse("2026-07-02T08:00:00Z"));
        row.put("opens", LocalTime.of(9, 30));
        row.put("yyyymmdd", "20260131");
        row.put("flag", true);
        row.put("blob", new byte[] {1, 2, 3});
        row.put("anything", "2026-01-31");
        return row;
    }

    private static Object eval(String expression) {
        return eval(expression, row());
    }

    private static Object eval(String expression, Map<String, Object> row) {
        Expressions.Compiled compiled = LANGUAGE.compile(expression, "f");
        return compiled.evaluate(LANGUAGE.bindings(row, Map.of(), Map.of(), "r"));
    }

    private static String typeOf(String expression) {
        return LANGUAGE.compile(expression, "f").resultType().name();
    }

    private static SpecException refused(String expression) {
        return assertThrows(SpecException.class, () -> LANGUAGE.compile(expression, "f"), expression);
    }

    @Test
    void stringExtensionFunctionsWorkAsMethodsAndTheCaseAndTrimOnesAlsoAsFunctions() {
        assertEquals("Ada LOVELACE", eval("after.name.trim()"));
        assertEquals("Ada LOVELACE", eval("trim(after.name)"));
        assertEquals("ada lovelace", eval("lowerAscii(trim(after.name))"));
        assertEquals("  ADA LOVELACE ", eval("after.name.upperAscii()"));
        assertEquals("Ada Lovelace", eval("after.name.trim().replace('LOVELACE', 'Lovelace')"));
        assertEquals(List.of("Ada", "LOVELACE"), eval("after.name.trim().split(' ')"));
        assertEquals("Ada", eval("after.name.trim().substring(0, 3)"));
        assertEquals(4L, eval("after.name.trim().indexOf('LOVE')"));
        assertEquals("Ada-LOVELACE", eval("after.name.trim().split(' ').join('-')"));
        assertEquals("string", typeOf("trim(after.name)"));
    }

    @Test
    void trimRemovesWhatTheStringsExtensionsTrimRemoves() {
        CelFunctionBinding library =
                new CelLibraries(CelOptions.DEFAULT).stringBindings().get("string_trim");
        for (String text : List.of(
                "",
                " ",
                "  Ada ",
                "\t\n Ada\u00a0",
                "\u3000\u2003Ada\u2028",
                "Ada",
                "A d a",
                "\u200b Ada \u200b",
                "\ud83d\ude00 Ada \ud83d\ude00",
                " \u0085x\u0085 ",
                "\u180e a")) {
            try {
                assertEquals(
                        library.getDefinition().apply(new Object[] {text}), SpecFunctions.trim(text), "'" + text + "'");
            } catch (CelException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void functionsGiveNullForANullArgumentAsSqlDoesButOperatorsRefuseIt() {
        Map<String, Object> nulls = row();
        nulls.put("name", null);
        nulls.put("premium", null);
        nulls.put("yyyymmdd", null);
        assertNull(eval("trim(after.name)", nulls));
        assertNull(eval("after.name.trim().lowerAscii()", nulls));
        assertNull(eval("round(after.premium, 2)", nulls));
        assertNull(eval("date(after.yyyymmdd, 'yyyyMMdd')", nulls));
        assertNull(eval("uuid5('dns', after.name)", nulls));
        assertEquals("n/a", eval("coalesce(trim(after.name), 'n/a')", nulls));
        DataException operator = assertThrows(DataException.class, () -> eval("after.premium * 100", nulls));
        assertTrue(operator.getMessage().contains("coalesce"), "says how to handle the null: " + operator.getMessage());
    }

    @Test
    void roundTakesAScaleAndAnExplicitModeWithHalfUpAsPostgresqlsNumericRoundDoes() {
        assertEquals(new BigDecimal("1234.57"), eval("round(after.premium, 2)"), "half up: ties away from zero");
        assertEquals(new BigDecimal("1234.56"), eval("round(after.premium, 2, 'half_even')"), "banker's rounding");
        assertEquals(new BigDecimal("1234.56"), eval("round(after.premium, 2, 'down')"));
        assertEquals(
                new BigDecimal("-2.5").setScale(0, RoundingMode.HALF_UP).stripTrailingZeros(),
                eval("round(decimal('-2.5'))"),
                "-3, as PostgreSQL's round(-2.5::numeric)");
        assertEquals(new BigDecimal("123457"), eval("round(after.premium * 100, 0)"), "cents of a four-decimal amount");
        assertEquals(new BigDecimal("0.13"), eval("round(after.ratio, 2)"), "a double rounds to an exact decimal");
        assertEquals("decimal", typeOf("round(after.premium, 2)"));
        assertTrue(refused("round(after.premium, 2, 'bankers')").getMessage().contains("half_even"));
        assertTrue(refused("round(after.name, 2)").getMessage().contains("round() does not take a string"));
    }

    @Test
    void decimalsStayExactAndMixWithInts() {
        assertEquals(new BigDecimal("123456.5"), eval("after.premium * 100"));
        assertEquals(new BigDecimal("12.34565"), eval("after.premium / 100"));
        assertEquals(true, eval("after.premium > 1000"));
        assertEquals(true, eval("same(decimal('10.50'), decimal('10.5'))"));
        assertEquals(123457L, eval("int(round(after.premium * 100, 0))"));
        assertEquals("1234.565", eval("string(after.premium)"));
        assertEquals(new BigDecimal("2000"), eval("math.greatest(after.premium, decimal(2000))"));
        assertEquals(new BigDecimal("3000"), eval("math.greatest(after.premium, decimal(2000), decimal(3000))"));
        assertEquals(new BigDecimal("-1234.565"), eval("-after.premium"));
        assertTrue(refused("after.premium == decimal('1234.565')").getMessage().contains("same(a, b)"));
        assertEquals(false, eval("after.premium == null"), "comparing with null is allowed");
        assertTrue(refused("decimal(after.ratio)").getMessage().contains("double"), "a double would not be exact");
    }

    @Test
    void coalesceTakesTheFirstValueThatIsNotNullAndKeepsItsType() {
        assertEquals(Instant.parse("2027-03-01T00:00:00Z"), eval("coalesce(after.cancel_date, after.expiry_date)"));
        assertEquals("timestamp", typeOf("coalesce(after.cancel_date, after.expiry_date)"));
        assertEquals(3L, eval("coalesce(after.code, 0)"));
        assertEquals(
                Instant.parse("2027-03-01T00:00:00Z"),
                eval("coalesce(after.cancel_date, after.expiry_date, date('2099-12-31'))"));
        refused("coalesce(after.premium, 'zero')");
    }

    @Test
    void datesTimesAndTimestampsAreCelTimeValuesThatCompareAndConvert() {
        assertEquals(true, eval("after.expiry_date > timestamp('2027-01-01T00:00:00Z')"));
        assertEquals(2027L, eval("after.expiry_date.getFullYear()"));
        assertEquals(true, eval("after.cancel_date == null"));
        assertEquals(Instant.parse("2026-01-31T00:00:00Z"), eval("date(after.yyyymmdd, 'yyyyMMdd')"));
        assertEquals(Instant.parse("2026-01-31T00:00:00Z"), eval("date('2026-01-31')"));
        assertEquals(Instant.parse("2026-07-01T00:00:00Z"), eval("date(after.issued_at)"), "the day, in UTC");
        assertEquals(
                Instant.parse("2026-07-02T00:00:00Z"),
                eval("date(after.issued_at, 'Asia/Tokyo')"),
                "the day in that zone");
        assertEquals(
                Instant.parse("2026-07-01T21:30:00Z"),
                eval("timestamp(after.issued_at, 'Europe/Berlin')"),
                "a wall-clock time of Berlin as the instant it was");
        assertEquals(Instant.parse("2026-07-01T21:30:00Z"), eval("timestamp('2026-07-01 23:30', 'Europe/Berlin')"));
        assertEquals(true, eval("after.paid_at - after.issued_at > duration('8h')"));
        assertEquals(Duration.ofMinutes(9 * 60 + 30), eval("after.opens"));
        assertEquals(Duration.ofMinutes(10 * 60 + 15), eval("time('10:15')"));
        assertEquals(true, eval("after.opens < time('10:00')"));
        assertEquals(
                Instant.parse("2027-03-01T00:00:00Z"), eval("math.greatest(after.expiry_date, date('2026-12-31'))"));
        assertEquals(1L, eval("after.expiry_date.getDate()"), "1-based day of month");
        assertEquals(2L, eval("after.expiry_date.getMonth()"), "0-based month, as CEL has it");
        assertEquals(Instant.parse("2027-03-02T00:00:00Z"), eval("after.expiry_date + duration('24h')"));
        assertEquals(Instant.parse("1970-01-02T00:00:00Z"), eval("timestamp(86400)"), "epoch seconds");
        assertTrue(refused("date(after.code)").getMessage().contains("date() does not take a int"));
        assertTrue(refused("timestamp(after.issued_at, 'Mars/Olympus')")
                .getMessage()
                .contains("time zone"));
        assertTrue(refused("date(after.yyyymmdd, 'yyyyMMdd{')").getMessage().contains("pattern"));
        DataException bad = assertThrows(DataException.class, () -> eval("date(after.name)"));
        assertTrue(bad.getMessage().contains("date()") && bad.getMessage().contains("yyyy-MM-dd"), bad.getMessage());
    }

    @Test
    void uuid5ReproducesNameBasedIdsWithTheRfcsNamespacesOrAnyOther() {
        assertEquals(
                "2ed6657d-e927-568b-95e1-2665a8aea6a2",
                eval("uuid5('dns', 'www.example.com')"),
                "RFC 4122's example (its errata): www.example.com in the DNS namespace");
        assertEquals(
                Uuid5.of(UUID.fromString("3f6c2b5e-8a41-4d27-9c1e-5b7a0d2e4f10"), "policy:3")
                        .toString(),
                eval("uuid5('3f6c2b5e-8a41-4d27-9c1e-5b7a0d2e4f10', 'policy:' + string(after.code))"));
        assertTrue(refused("uuid5('not-a-namespace', after.name)").getMessage().contains("namespace"));
    }

    @Test
    void encodersAndOptionalValuesComeFromTheCelExtensions() {
        assertEquals("AQID", eval("base64.encode(after.blob)"));
        assertEquals("fallback", eval("{'a': 'x'}.?b.orValue('fallback')"));
        assertEquals(2L, eval("math.abs(-2)"));
        assertEquals(3L, eval("math.least(after.code, 7)"));
    }

    @Test
    void aColumnWithoutADeclaredTypeIsDynAndExplicitConversionsGiveItOne() {
        assertEquals("dyn", typeOf("after.anything"));
        assertEquals("timestamp", typeOf("date(after.anything)"));
        assertEquals(Instant.parse("2026-01-31T00:00:00Z"), eval("date(after.anything)"));
        assertEquals("decimal", typeOf("decimal(after.anything)"));
    }

    @Test
    void aValueThatIsNotOfItsDeclaredColumnTypeIsAClearErrorWithoutTheValue() {
        Map<String, Object> wrong = row();
        wrong.put("premium", "twelve");
        DataException error = assertThrows(DataException.class, () -> eval("round(after.premium, 2)", wrong));
        assertTrue(
                error.getMessage().contains("declared decimal")
                        && !error.getMessage().contains("twelve"),
                error.getMessage());
        Map<String, Object> text = row();
        text.put("premium", "12.5");
        assertEquals(
                new BigDecimal("12.5"),
                eval("round(after.premium, 2)", text),
                "a decimal sent as text (Debezium's decimal.handling.mode=string) is still a decimal");
    }

    @Test
    void expressionsReachNothingButTheirVariables() {
        for (String attempt : List.of(
                "java.lang.Runtime.getRuntime()",
                "getenv('HOME')",
                "file('/etc/passwd')",
                "after.getClass()",
                "http.get('http://127.0.0.1/')")) {
            refused(attempt);
        }
        assertFalse(SpecFunctions.ACCEPTED.isEmpty());
    }
}
