package io.rollingmigration.connect.common.compare;

import io.rollingmigration.connect.common.drift.Severity;
import io.rollingmigration.connect.common.spec.Expressions;
import io.rollingmigration.connect.common.spec.LegacyColumns;
import io.rollingmigration.connect.common.spec.SpecException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.DataException;

/**
 * Invariants across both stores, each a boolean expression over {@code legacy} and {@code target} in the mapping
 * spec's expression language (no access to the JVM, files or the network), compiled and type-checked once.
 */
public final class RuleBook {

    /** A rule that does not hold: its name and, when it could not be evaluated, why. */
    public record Violation(String rule, Severity severity, String error) {}

    private record Rule(String name, Expressions.Compiled expression, Severity severity) {}

    private final List<Rule> rules = new ArrayList<>();
    private final Expressions language;
    private final boolean hideValues;

    /** Rules over legacy rows whose column types are not known, whose errors may show values. */
    public RuleBook(Map<String, String> expressions, Map<String, Severity> severities) {
        this(expressions, severities, LegacyColumns.undeclared(), false);
    }

    /**
     * Compiles the rules; a rule that does not compile or does not yield a boolean is a {@link SpecException} whose
     * path is the rule's setting, {@code rule.<name>}.
     *
     * @param legacyColumns the legacy columns, typed where known, that {@code legacy.<column>} reads
     * @param hideValues    true when personal data is masked: a rule that cannot be evaluated then says why
     *                      without the values
     */
    public RuleBook(
            Map<String, String> expressions,
            Map<String, Severity> severities,
            LegacyColumns legacyColumns,
            boolean hideValues) {
        this.language = expressions.isEmpty() ? null : Expressions.forComparison(legacyColumns);
        this.hideValues = hideValues;
        for (Map.Entry<String, String> rule : expressions.entrySet()) {
            String path = "rule." + rule.getKey();
            Expressions.Compiled compiled = language.compile(rule.getValue(), path);
            if (!List.of("bool", "dyn").contains(compiled.resultType().name())) {
                throw new SpecException(path, "a rule must be a boolean expression, not " + compiled.resultType());
            }
            rules.add(new Rule(rule.getKey(), compiled, severities.get(rule.getKey())));
        }
    }

    public static RuleBook none() {
        return new RuleBook(new LinkedHashMap<>(), Map.of());
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    public List<Violation> violations(Map<String, Object> legacy, Map<String, Object> target) {
        if (rules.isEmpty()) {
            return List.of();
        }
        Map<String, Object> bindings = language.comparisonBindings(legacy, target);
        List<Violation> violations = new ArrayList<>(0);
        for (Rule rule : rules) {
            try {
                Object result = rule.expression.evaluate(bindings, hideValues);
                if (!Boolean.TRUE.equals(result)) {
                    violations.add(new Violation(
                            rule.name,
                            rule.severity,
                            result instanceof Boolean
                                    ? null
                                    : "the rule yielded " + (hideValues ? "a value" : result)
                                            + " that is not true or false"));
                }
            } catch (DataException | IllegalArgumentException e) {
                violations.add(new Violation(rule.name, rule.severity, e.getMessage()));
            }
        }
        return violations;
    }
}
