package io.rollingmigration.connect.common.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The direct plan of an expression gives what CEL's interpreter gives, result or error, for every expression and
 * row here: typed and untyped columns, SQL nulls, values of unexpected types, missing columns.
 */
class DirectPlanTest {

    private static final List<String> EXPRESSIONS = List.of(
            "trim(after.name)",
            "lowerAscii(trim(after.name))",
            "after.name.trim().upperAscii()",
            "round(after.amount, 2)",
            "round(after.amount, 2, 'half_even')",
            "int(round(after.amount * 100))",
            "coalesce(after.ends, after.starts)",
            "after.ends != null && after.ends < after.starts",
            "'customer:' + string(after.id)",
            "after.code == 2 ? 'B' : 'P'",
            "after.id + 1",
            "after.id > 3",
            "after.name == null",
            "after.amount == null",
            "after.flag || after.id > 1",
            "!after.flag",
            "uuid5('url', 'c:' + string(after.id))",
            "date(after.text)",
            "after.name + ' ' + after.name",
            "after.starts.getFullYear()",
            "size(after.name)",
            "after.name.contains('a')",
            "after.untyped",
            "trim(after.untyped)",
            "after.untyped + 1",
            "decimal(after.untyped)");

    private static final Map<String, ColumnType> TYPES = new LinkedHashMap<>();

    static {
        TYPES.put("id", ColumnType.LONG);
        TYPES.put("name", ColumnType.STRING);
        TYPES.put("amount", ColumnType.DECIMAL);
        TYPES.put("starts", ColumnType.DATE);
        TYPES.put("ends", ColumnType.DATE);
        TYPES.put("code", ColumnType.LONG);
        TYPES.put("flag", ColumnType.BOOLEAN);
        TYPES.put("text", ColumnType.STRING);
        TYPES.put("untyped", ColumnType.UNKNOWN);
    }

    private static List<Map<String, Object>> rows() {
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Object> full = new HashMap<>();
        full.put("id", 7L);
        full.put("name", "  Ada ");
        full.put("amount", new BigDecimal("12.3450"));
        full.put("starts", LocalDate.of(2026, 3, 1));
        full.put("ends", LocalDate.of(2026, 2, 1));
        full.put("code", 2L);
        full.put("flag", false);
        full.put("text", "2026-01-31");
        full.put("untyped", "x");
        rows.add(full);
        Map<String, Object> nulls = new HashMap<>();
        TYPES.keySet().forEach(column -> nulls.put(column, null));
        rows.add(nulls);
        Map<String, Object> odd = new HashMap<>(full);
        odd.put("untyped", 12L);
        odd.put("text", "not a date");
        odd.put("ends", null);
        odd.put("amount", new BigDecimal("99999999999999999999.5"));
        rows.add(odd);
        Map<String, Object> wide = new HashMap<>(full);
        wide.put("starts", LocalDateTime.of(2026, 3, 1, 0, 0));
        wide.remove("name");
        rows.add(wide);
        return rows;
    }

    @Test
    void theDirectPlanAndCelsInterpreterGiveTheSameResultsAndErrors() {
        Expressions language = new Expressions(LegacyColumns.typed(TYPES));
        List<String> differences = new ArrayList<>();
        int planned = 0;
        for (String text : EXPRESSIONS) {
            Expressions.Compiled compiled = language.compile(text, "f");
            planned += compiled.direct() ? 1 : 0;
            for (Map<String, Object> row : rows()) {
                Map<String, Object> bindings = language.bindings(row, Map.of(), Map.of(), "u");
                String direct = outcome(() -> compiled.evaluate(bindings, false));
                String cel = outcome(() -> compiled.evaluateWithCel(bindings, false));
                if (!direct.equals(cel)) {
                    differences.add(text + " over " + row + ": " + direct + " vs " + cel);
                }
            }
        }
        assertEquals(List.of(), differences);
        assertTrue(planned >= EXPRESSIONS.size() - 4, "most shapes are planned: " + planned);
    }

    @Test
    void theShapesOfTheBenchmarkSpecAreAllPlanned() {
        Expressions language = new Expressions(LegacyColumns.typed(TYPES));
        for (String text : List.of(
                "trim(after.name)",
                "round(after.amount, 2)",
                "coalesce(after.ends, after.starts)",
                "lowerAscii(trim(after.name))",
                "'customer:' + string(after.id)")) {
            assertTrue(language.compile(text, "f").direct(), text);
        }
    }

    private static String outcome(Supplier<Object> evaluation) {
        try {
            Object value = evaluation.get();
            return value instanceof byte[] bytes ? Arrays.toString(bytes) : String.valueOf(value);
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }
}
