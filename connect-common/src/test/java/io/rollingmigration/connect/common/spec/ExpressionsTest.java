package io.rollingmigration.connect.common.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

/**
 * The expression engine itself, below the spec: exact decimal arithmetic and its scales, what a null does in each
 * place, the operations it refuses at compile time and at run time, and what a compiled expression reports about
 * itself.
 */
class ExpressionsTest {

    private static final Expressions LANGUAGE;

    static {
        Map<String, ColumnType> types = new LinkedHashMap<>();
        types.put("amount", ColumnType.parse("numeric(12,2)", "t"));
        types.put("rate", ColumnType.parse("numeric(6,4)", "t"));
        types.put("count", ColumnType.parse("integer", "t"));
        types.put("name", ColumnType.parse("text", "t"));
        types.put("missing", ColumnType.parse("numeric", "t"));
        LANGUAGE = new Expressions(LegacyColumns.typed(types));
    }

    private static Map<String, Object> row() {
        Map<String, Object> row = new HashMap<>();
        row.put("amount", new BigDecimal("10.25"));
        row.put("rate", new BigDecimal("0.0750"));
        row.put("count", 3L);
        row.put("name", "Ada");
        row.put("missing", null);
        return row;
    }

    private static Object eval(String expression) {
        return LANGUAGE.compile(expression, "f").evaluate(LANGUAGE.bindings(row(), Map.of(), Map.of(), "r"));
    }

    @Test
    void decimalArithmeticIsExactAndLeavesTheScaleToTheFieldsType() {
        // Results carry no trailing zeros: the scale is the declared field type's (decimal(2)), set when written.
        assertEquals(new BigDecimal("10.325"), eval("after.amount + after.rate"));
        assertEquals(new BigDecimal("10.175"), eval("after.amount - after.rate"));
        assertEquals(new BigDecimal("0.76875"), eval("after.amount * after.rate"));
        assertEquals(new BigDecimal("30.75"), eval("after.amount * after.count"), "an int is an exact decimal");
        assertEquals(BigDecimal.ZERO, eval("after.amount - decimal('10.250')"));
        assertEquals(
                0,
                new BigDecimal("3.416666")
                        .compareTo(((BigDecimal) eval("after.amount / after.count")).setScale(6, RoundingMode.DOWN)),
                "division keeps enough digits for a later round()");
        assertEquals(new BigDecimal("0.3"), eval("decimal('0.10') + decimal('0.20')"), "no binary fractions");
    }

    @Test
    void decimalsCompareByAmountNotByScaleAndEqualityIsSpelledSame() {
        assertEquals(true, eval("same(after.amount, decimal('10.250'))"));
        assertEquals(true, eval("after.rate < after.amount"));
        assertEquals(true, eval("same(math.greatest(after.amount, decimal('9.99')), after.amount)"));
        SpecException refused =
                assertThrows(SpecException.class, () -> LANGUAGE.compile("after.amount == decimal('10.250')", "f"));
        assertTrue(refused.getMessage().contains("same(a, b)"), refused.getMessage());
    }

    @Test
    void divisionByZeroFailsTheRecordWithTheExpressionsPath() {
        DataException failed = assertThrows(DataException.class, () -> eval("after.amount / decimal('0')"));
        assertTrue(failed.getMessage().contains("f"), failed.getMessage());
    }

    @Test
    void aNullColumnCanBeTestedAndReplacedButNotComputedWith() {
        assertEquals(true, eval("after.missing == null"));
        assertEquals(new BigDecimal("0"), eval("coalesce(after.missing, decimal('0'))"));
        assertEquals(new BigDecimal("10.25"), eval("after.missing == null ? after.amount : after.missing"));
        assertThrows(DataException.class, () -> eval("after.missing + after.amount"));
    }

    @Test
    void operationsWithoutMeaningAreRefusedWhenTheSpecIsCompiled() {
        assertThrows(SpecException.class, () -> LANGUAGE.compile("after.name + after.count", "f"));
        assertThrows(SpecException.class, () -> LANGUAGE.compile("after.amount + 'x'", "f"));
        assertThrows(SpecException.class, () -> LANGUAGE.compile("after.no_such_column", "f"));
        assertThrows(SpecException.class, () -> LANGUAGE.compile("after.amount +", "f"));
    }

    @Test
    void aCompiledExpressionKnowsWhatItReads() {
        Expressions.Compiled plain = LANGUAGE.compile("after.amount * after.count", "f");
        assertEquals(Set.of("amount", "count"), plain.columns());
        assertFalse(plain.readsContext());
        assertEquals("decimal", plain.resultType().name());
        assertTrue(LANGUAGE.compile("before.name != after.name", "f").readsContext(), "before is context");
        assertTrue(LANGUAGE.compile("op == 'u'", "f").readsContext());
    }

    @Test
    void anExpressionCannotReachTheJvm() {
        assertThrows(SpecException.class, () -> LANGUAGE.compile("java.lang.System.exit(1)", "f"));
        assertThrows(SpecException.class, () -> LANGUAGE.compile("Runtime.getRuntime()", "f"));
    }

    @Test
    void aNullResultIsNull() {
        assertNull(eval("after.missing"));
    }
}
