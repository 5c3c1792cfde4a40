package io.rollingmigration.readshift;

import io.rollingmigration.connect.common.compare.Expectation;
import io.rollingmigration.connect.common.compare.FieldComparator;
import io.rollingmigration.connect.common.compare.IdentityExpectation;
import io.rollingmigration.connect.common.compare.Judge;
import io.rollingmigration.connect.common.compare.LegacyRow;
import io.rollingmigration.connect.common.compare.RuleBook;
import io.rollingmigration.connect.common.compare.SpecExpectation;
import io.rollingmigration.connect.common.compare.TargetRow;
import io.rollingmigration.connect.common.compare.Verdict;
import io.rollingmigration.connect.common.drift.DriftKind;
import io.rollingmigration.connect.common.drift.FieldDifference;
import io.rollingmigration.connect.common.drift.SeverityPolicy;
import io.rollingmigration.connect.common.lineage.Lineage;
import io.rollingmigration.connect.common.lineage.SourceKey;
import io.rollingmigration.connect.common.spec.AggregateTranslator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Judges a shadowed read of one migration unit the way the reconciler judges its rows: the legacy answer translated
 * by the migration's mapping spec (the translation transform's own {@link AggregateTranslator}), then compared field
 * by field with the service's answer by the reconciler's {@link Judge} and {@link FieldComparator}, with the same
 * tolerances and masking. A difference that a legacy change still on its way explains is in flight, not a mismatch:
 * the service row's lineage says which legacy commit it reflects; without it, a legacy change younger than the
 * in-flight window may still be travelling.
 */
public final class ReadComparison {

    /** A change column's precision and the change stream's commit time resolution, as the reconciler allows. */
    private static final Duration ROUNDING = Duration.ofMillis(2);

    private final String unit;
    private final String rule;
    private final Expectation expectation;
    private final Judge judge;
    private final Function<Map<String, Object>, Map<String, Object>> serviceValues;
    /** The key of a service row, as the expectation gives target keys; {@code null} when the row lacks it. */
    private final Function<Map<String, Object>, String> serviceKey;

    private final String keyName;
    private final List<String> legacyKey;
    private final Duration inFlightWindow;

    private ReadComparison(
            String unit,
            Expectation expectation,
            List<String> specMasked,
            ComparisonRules rules,
            Function<Map<String, Object>, Map<String, Object>> serviceValues,
            Function<Map<String, Object>, String> serviceKey,
            String keyName,
            List<String> defaultLegacyKey) {
        this.unit = unit;
        this.rule = expectation.rule();
        this.expectation = expectation;
        List<String> masked = new ArrayList<>(rules.maskedFields());
        specMasked.stream().filter(f -> !masked.contains(f)).forEach(masked::add);
        FieldComparator comparator = new FieldComparator(
                rules.timestampToleranceMillis(),
                rules.caseInsensitiveFields(),
                rules.whitespaceInsensitiveFields(),
                masked);
        this.judge = new Judge(
                expectation,
                comparator,
                RuleBook.none(),
                SeverityPolicy.from(List.of(), List.of()),
                rules.changeColumn());
        this.serviceValues = serviceValues;
        this.serviceKey = serviceKey;
        this.keyName = keyName;
        this.legacyKey = rules.legacyKeyColumns().isEmpty() ? defaultLegacyKey : rules.legacyKeyColumns();
        this.inFlightWindow = rules.inFlightWindow();
    }

    /**
     * The comparison of reads of the aggregate {@code translator} makes, by {@code rules}: the migration unit is the
     * aggregate's name, and the service's answers are read in the aggregate's types.
     */
    public static ReadComparison of(AggregateTranslator translator, ComparisonRules rules) {
        ServiceValues types = new ServiceValues(translator.valueSchema());
        String keyField = translator.keyField();
        return new ReadComparison(
                translator.name(),
                new SpecExpectation(translator),
                translator.maskedFields(),
                rules,
                types::coerced,
                row -> row.get(keyField) == null ? null : row.get(keyField).toString(),
                keyField,
                translator.keyColumns());
    }

    /**
     * The comparison of a unit migrated without a mapping spec, as the reconciler compares it: the service row holds
     * the legacy row as it is, under the same key, in the columns of the same name.
     *
     * @param fields the columns compared
     */
    public static ReadComparison identity(
            String unit, List<String> keyColumns, List<String> fields, ComparisonRules rules) {
        List<String> key = List.copyOf(keyColumns);
        return new ReadComparison(
                unit,
                new IdentityExpectation(key, fields),
                List.of(),
                rules,
                row -> row,
                row -> key.stream().anyMatch(c -> row.get(c) == null) ? null : IdentityExpectation.keyText(key, row),
                String.join(",", key),
                key);
    }

    /** The aggregate compared. */
    public String aggregate() {
        return unit;
    }

    /** The spec rule the comparison applies, {@code name@version}. */
    public String rule() {
        return rule;
    }

    /**
     * Compares the two answers of one read.
     *
     * @param legacyRows   the legacy answer: rows as the translation transform sees them (column to value, e.g. from
     *                     {@link LegacyAnswer#rows(java.sql.ResultSet)})
     * @param serviceRows  the service's answer: aggregates as field to value; temporal values may be ISO-8601 text
     * @param nowMillis    when the reads ran, for the in-flight window
     */
    public ReadVerdict compare(
            List<Map<String, Object>> legacyRows, List<Map<String, Object>> serviceRows, long nowMillis) {
        Map<String, TargetRow> service = new LinkedHashMap<>();
        List<Map<String, Object>> unkeyed = new ArrayList<>(0);
        for (Map<String, Object> row : serviceRows) {
            String key = serviceKey.apply(row);
            if (key == null) {
                unkeyed.add(row);
            } else {
                service.put(key, targetRow(key, row));
            }
        }
        List<Verdict> verdicts = new ArrayList<>(legacyRows.size() + 1);
        Set<String> paired = new LinkedHashSet<>();
        for (Map<String, Object> legacy : legacyRows) {
            String targetKey = expectation.targetKeyOrNull(legacy);
            TargetRow match = targetKey == null ? null : service.get(targetKey);
            if (match == null && targetKey != null && unkeyed.size() == 1 && legacyRows.size() == 1) {
                // A single object read: the service may leave its own key out of the answer.
                match = targetRow(targetKey, unkeyed.remove(0));
            }
            if (targetKey != null) {
                paired.add(targetKey);
            }
            verdicts.addAll(judge.judge(
                    sourceKey(legacy),
                    new LegacyRow(sourceKey(legacy), legacy),
                    match == null ? List.of() : List.of(match)));
        }
        for (Map.Entry<String, TargetRow> row : service.entrySet()) {
            if (!paired.contains(row.getKey())) {
                verdicts.addAll(judge.judge(null, null, List.of(row.getValue())));
            }
        }
        for (Map<String, Object> row : unkeyed) {
            verdicts.addAll(judge.judge(null, null, List.of(targetRow("(no " + keyName + ")", row))));
        }
        return verdict(verdicts, Instant.ofEpochMilli(nowMillis).minus(inFlightWindow));
    }

    private ReadVerdict verdict(List<Verdict> verdicts, Instant assumedApplied) {
        List<String> keys = new ArrayList<>(verdicts.size());
        List<FieldDifference> fields = new ArrayList<>(0);
        Set<String> kinds = new LinkedHashSet<>();
        boolean mismatch = false;
        boolean inFlight = false;
        for (Verdict verdict : verdicts) {
            keys.add(verdict.targetKey());
            if (verdict.matches()) {
                continue;
            }
            if (verdict.drift().kind() == DriftKind.RULE_VIOLATION
                    && verdict.drift().violatedRules().contains("translation")) {
                return new ReadVerdict(
                        ReadOutcome.UNTRANSLATABLE,
                        keys,
                        List.of(),
                        List.of(DriftKind.RULE_VIOLATION.name()),
                        verdict.drift().message());
            }
            kinds.add(verdict.drift().kind().name());
            fields.addAll(verdict.drift().fields());
            if (verdict.legacyChangeNotYetApplied(assumedApplied, ROUNDING)) {
                inFlight = true;
            } else {
                mismatch = true;
            }
        }
        ReadOutcome outcome = mismatch ? ReadOutcome.MISMATCH : inFlight ? ReadOutcome.IN_FLIGHT : ReadOutcome.MATCH;
        return new ReadVerdict(outcome, keys, fields, List.copyOf(kinds), null);
    }

    private String sourceKey(Map<String, Object> legacy) {
        Map<String, Object> key = new HashMap<>(legacyKey.size() * 2);
        for (String column : legacyKey) {
            key.put(column, legacy.get(column));
        }
        return SourceKey.of(key);
    }

    private TargetRow targetRow(String targetKey, Map<String, Object> row) {
        Object committed = row.get(Lineage.Field.SOURCE_COMMIT_TIME.column());
        Object deleted = row.get(Lineage.Field.DELETED_AT.column());
        return new TargetRow(
                targetKey, null, serviceValues.apply(row), ServiceValues.instant(committed), deleted != null);
    }
}
