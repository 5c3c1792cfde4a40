package io.rollingmigration.connect.common.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every pair of an expression's static type and a field's declared type, and of a legacy column's type and a field
 * copying it: what validation accepts (and then converts without error) and what it refuses, naming the field's
 * path and both types. The expected table is written out by hand.
 */
class ResultTypesTest {

    private static final List<String> DECLARED =
            List.of("string", "long", "int", "double", "boolean", "decimal(2)", "date", "time", "timestamp", "bytes");

    /** An expression of each static type, over a row whose column u has no declared type. */
    private static final Map<String, String> EXPRESSIONS = new LinkedHashMap<>();

    static {
        EXPRESSIONS.put("string", "'7'");
        EXPRESSIONS.put("int", "7");
        EXPRESSIONS.put("uint", "7u");
        EXPRESSIONS.put("double", "7.5");
        EXPRESSIONS.put("bool", "true");
        EXPRESSIONS.put("bytes", "b'7'");
        EXPRESSIONS.put("decimal", "decimal('7')");
        EXPRESSIONS.put("timestamp", "timestamp('2026-01-31T00:00:00Z')");
        EXPRESSIONS.put("duration", "duration('9h30m')");
        EXPRESSIONS.put("null", "null");
        EXPRESSIONS.put("list", "[7]");
        EXPRESSIONS.put("map", "{'a': 7}");
        EXPRESSIONS.put("dyn", "after.u");
    }

    /** Expression type -> the declared types it may become, by hand. */
    private static final Map<String, List<String>> ACCEPTS = Map.ofEntries(
            Map.entry("string", List.of("string")),
            Map.entry("int", List.of("string", "long", "int", "double", "decimal(2)")),
            Map.entry("uint", List.of("string", "long", "int", "double", "decimal(2)")),
            Map.entry("double", List.of("string", "double")),
            Map.entry("bool", List.of("string", "boolean")),
            Map.entry("bytes", List.of("bytes")),
            Map.entry("decimal", List.of("string", "long", "int", "double", "decimal(2)")),
            Map.entry("timestamp", List.of("string", "date", "timestamp")),
            Map.entry("duration", List.of("string", "time")),
            Map.entry("null", DECLARED),
            Map.entry("list", List.of()),
            Map.entry("map", List.of()),
            Map.entry("dyn", List.of("string")));

    private static String spec(String columns, String type, String field) {
        return "name: t\nversion: 1\nsource: t\n" + columns + "aggregates:\n  a:\n    key: {column: id}\n"
                + "    fields:\n      f: {type: " + type + ", " + field + "}\n";
    }

    @Test
    void everyExpressionTypeAgainstEveryDeclaredType() {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> expression : EXPRESSIONS.entrySet()) {
            for (String declared : DECLARED) {
                boolean expected = ACCEPTS.get(expression.getKey()).contains(declared);
                String text = spec("columns: {id: bigint, u: }\n", declared, "expr: \"" + expression.getValue() + "\"");
                try {
                    AggregateTranslator translator = SpecCompiler.compile(text, "a");
                    if (!expected) {
                        wrong.add(expression.getKey() + " -> " + declared + ": accepted");
                        continue;
                    }
                    Map<String, Object> row = new HashMap<>(Map.of("id", 1L, "u", "7"));
                    translator.translate("1", row, Map.of(), Map.of(), "r");
                } catch (SpecException e) {
                    if (expected) {
                        wrong.add(expression.getKey() + " -> " + declared + ": refused: " + e.getMessage());
                    } else if (!e.path().equals("aggregates.a.fields.f.expr")
                            || !e.getMessage().contains(declared)
                            || !(e.getMessage().contains(expression.getKey())
                                    || e.getMessage().contains("not known"))) {
                        wrong.add(expression.getKey() + " -> " + declared + ": unclear refusal: " + e.getMessage());
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void aDecimalWithAFractionIntoAWholeNumberFailsOnTheValueNotTheType() {
        AggregateTranslator translator = SpecCompiler.compile(spec("", "long", "expr: \"decimal('7.25')\""), "a");
        assertTrue(assertThrowsData(() -> translator.translate("1", Map.of("id", 1L), Map.of(), Map.of(), "r"))
                .contains("aggregates.a.fields.f"));
        AggregateTranslator whole = SpecCompiler.compile(spec("", "long", "expr: \"decimal('7.00')\""), "a");
        assertEquals(
                7L,
                whole.translate("1", Map.of("id", 1L), Map.of(), Map.of(), "r").get("f"));
    }

    /** Column type -> declared types a field copying it (from:) may have, by hand. */
    private static final Map<String, List<String>> COLUMN_ACCEPTS = Map.ofEntries(
            Map.entry("text", List.of("string")),
            Map.entry("bigint", List.of("string", "long", "int", "double", "decimal(2)")),
            Map.entry("numeric(12,2)", List.of("string", "long", "int", "double", "decimal(2)")),
            Map.entry("double precision", List.of("string", "double")),
            Map.entry("boolean", List.of("string", "boolean")),
            Map.entry("date", List.of("string", "date", "timestamp")),
            Map.entry("time", List.of("string", "time")),
            Map.entry("timestamp", List.of("string", "timestamp")),
            Map.entry("timestamptz", List.of("string", "timestamp")),
            Map.entry("bytea", List.of("bytes")));

    private static final Map<String, Object> VALUES = Map.of(
            "text",
            "7",
            "bigint",
            7L,
            "numeric(12,2)",
            new BigDecimal("7.00"),
            "double precision",
            7.5,
            "boolean",
            true,
            "date",
            LocalDate.of(2026, 1, 31),
            "time",
            LocalTime.of(9, 30),
            "timestamp",
            LocalDateTime.of(2026, 1, 31, 9, 30),
            "timestamptz",
            Instant.EPOCH,
            "bytea",
            new byte[] {7});

    @Test
    void everyColumnTypeAgainstEveryDeclaredType() {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, List<String>> column : COLUMN_ACCEPTS.entrySet()) {
            for (String declared : DECLARED) {
                boolean expected = column.getValue().contains(declared);
                String text = spec("columns: {id: bigint, c: \"" + column.getKey() + "\"}\n", declared, "from: c");
                try {
                    AggregateTranslator translator = SpecCompiler.compile(text, "a");
                    if (!expected) {
                        wrong.add(column.getKey() + " -> " + declared + ": accepted");
                        continue;
                    }
                    Struct value = translator.translate(
                            "1",
                            new HashMap<>(Map.of("id", 1L, "c", VALUES.get(column.getKey()))),
                            Map.of(),
                            Map.of(),
                            "r");
                    if (value.get("f") == null) {
                        wrong.add(column.getKey() + " -> " + declared + ": converted to null");
                    }
                } catch (SpecException e) {
                    if (expected) {
                        wrong.add(column.getKey() + " -> " + declared + ": refused: " + e.getMessage());
                    } else if (!e.path().equals("aggregates.a.fields.f.from")
                            || !e.getMessage().contains(declared)) {
                        wrong.add(column.getKey() + " -> " + declared + ": unclear refusal: " + e.getMessage());
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void theDateCoalesceFromTheFieldReportFailsAtValidationWithPathAndBothTypes() {
        String text = "name: t\nversion: 1\nsource: t\ncolumns: {id: bigint, cancel_date: varchar(10), "
                + "expiry_date: varchar(10)}\naggregates:\n  a:\n    key: {column: id}\n    fields:\n"
                + "      ends_on: {type: date, expr: \"coalesce(after.cancel_date, after.expiry_date)\"}\n";
        SpecException error = Assertions.assertThrows(SpecException.class, () -> SpecCompiler.compile(text));
        assertEquals("aggregates.a.fields.ends_on.expr", error.path());
        assertTrue(
                error.getMessage().contains("yields string")
                        && error.getMessage().contains("not a date")
                        && error.getMessage().contains("date(...)"),
                error.getMessage());

        SpecException untyped = Assertions.assertThrows(
                SpecException.class,
                () -> SpecCompiler.compile(text.replace(
                        "columns: {id: bigint, cancel_date: varchar(10), " + "expiry_date: varchar(10)}",
                        "columns: [id, cancel_date, expiry_date]")));
        assertTrue(
                untyped.getMessage().contains("not known")
                        && untyped.getMessage().contains("cancel_date"),
                untyped.getMessage());

        AggregateTranslator typed = SpecCompiler.compile(text.replace("varchar(10)", "date"), "a");
        Map<String, Object> row = new HashMap<>();
        row.put("id", 1L);
        row.put("cancel_date", null);
        row.put("expiry_date", LocalDate.of(2027, 3, 1));
        assertEquals(
                Date.from(LocalDate.of(2027, 3, 1).atStartOfDay(ZoneOffset.UTC).toInstant()),
                typed.translate("1", row, Map.of(), Map.of(), "r").get("ends_on"));
    }

    private static String assertThrowsData(Executable run) {
        return Assertions.assertThrows(DataException.class, run).getMessage();
    }
}
