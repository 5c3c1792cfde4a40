package io.rollingmigration.connect.common.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.connect.common.drift.Severity;
import io.rollingmigration.connect.common.spec.SpecException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleBookTest {

    private static RuleBook rule(String expression) {
        return new RuleBook(Map.of("r", expression), Map.of("r", Severity.HIGH));
    }

    @Test
    void moneyInCentsMatchesAnExactDecimalAmountWhateverItsScale() {
        RuleBook cents = rule("same(decimal(legacy.premium_cents), decimal(target.annual_premium) * decimal(100))");

        assertEquals(
                List.of(),
                cents.violations(Map.of("premium_cents", 50137L), Map.of("annual_premium", new BigDecimal("501.37"))));
        assertEquals(
                List.of(),
                cents.violations(Map.of("premium_cents", 50000L), Map.of("annual_premium", new BigDecimal("500.00"))));
        List<RuleBook.Violation> broken =
                cents.violations(Map.of("premium_cents", 50137L), Map.of("annual_premium", new BigDecimal("501.38")));
        assertEquals(1, broken.size());
        assertEquals("r", broken.get(0).rule());
        assertEquals(null, broken.get(0).error(), "false, not an error");
    }

    @Test
    void datesCompareAsIsoTextAndAbsentValuesAsNull() {
        RuleBook expiry = rule("target.status != 'IN_FORCE' || target.expiry_date == null "
                + "|| target.expiry_date >= target.effective_date");
        Map<String, Object> inForce = new HashMap<>();
        inForce.put("status", "IN_FORCE");
        inForce.put("effective_date", LocalDate.of(2026, 1, 1));
        inForce.put("expiry_date", null);

        assertEquals(List.of(), expiry.violations(Map.of(), inForce));
        inForce.put("expiry_date", LocalDate.of(2026, 12, 31));
        assertEquals(List.of(), expiry.violations(Map.of(), inForce));
        inForce.put("expiry_date", LocalDate.of(2025, 12, 31));
        assertEquals(1, expiry.violations(Map.of(), inForce).size());
    }

    @Test
    void aRuleThatFailsToEvaluateIsAViolationWithTheError() {
        List<RuleBook.Violation> violations = rule("legacy.missing_column > 0").violations(Map.of(), Map.of());
        assertEquals(1, violations.size());
        assertTrue(violations.get(0).error() != null);
    }

    @Test
    void equalityOfDecimalsWithDoubleEqualsIsRefusedBecauseItWouldCompareRepresentations() {
        SpecException error = assertThrows(
                SpecException.class,
                () -> rule("decimal(legacy.premium_cents) == decimal(target.annual_premium) * decimal(100)"));
        assertTrue(error.getMessage().contains("same(a, b)"), error.getMessage());
    }

    @Test
    void aRuleMustBeBoolean() {
        SpecException error = assertThrows(SpecException.class, () -> rule("1 + 2"));
        assertEquals("rule.r", error.path());
    }
}
