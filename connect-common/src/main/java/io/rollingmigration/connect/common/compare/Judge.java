package io.rollingmigration.connect.common.compare;

import io.rollingmigration.connect.common.drift.Drift;
import io.rollingmigration.connect.common.drift.DriftKind;
import io.rollingmigration.connect.common.drift.FieldDifference;
import io.rollingmigration.connect.common.drift.Severity;
import io.rollingmigration.connect.common.drift.SeverityPolicy;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.connect.errors.DataException;

/**
 * Compares what one legacy key should be in the target with what the target holds under that key: the translated
 * legacy row against the live target row with the expected target key, field by field and rule by rule. Live
 * target rows under the same legacy key but another target key, or without a legacy row, are unexpected.
 */
public final class Judge {

    private final Expectation expectation;
    private final FieldComparator comparator;
    private final RuleBook rules;
    private final SeverityPolicy severities;
    private final String changeColumn;
    private final boolean fragment;
    /** With the service as the truth: the partitions compared, or {@code null} for the forward direction. */
    private final OwnedPartitions reverseScope;

    public Judge(
            Expectation expectation,
            FieldComparator comparator,
            RuleBook rules,
            SeverityPolicy severities,
            String changeColumn) {
        this(expectation, comparator, rules, severities, changeColumn, false, null);
    }

    private Judge(
            Expectation expectation,
            FieldComparator comparator,
            RuleBook rules,
            SeverityPolicy severities,
            String changeColumn,
            boolean fragment,
            OwnedPartitions reverseScope) {
        this.expectation = expectation;
        this.comparator = comparator;
        this.rules = rules;
        this.severities = severities;
        this.changeColumn = changeColumn;
        this.fragment = fragment;
        this.reverseScope = reverseScope;
    }

    /**
     * The judge of the reverse direction: the service's store is the truth, legacy the copy the write-back lane
     * keeps, for the partitions {@code scope} covers. The comparison is the same (legacy translated through the
     * spec against the service's row); a service row that legacy lacks is {@code MISSING_IN_LEGACY}, a legacy row
     * the service does not have {@code UNEXPECTED_IN_LEGACY}, and pairs of other partitions are not judged. Legacy
     * rows carry no time of the write-back's changes, so there is no change column to wait for.
     */
    public static Judge reverse(
            Expectation expectation,
            FieldComparator comparator,
            RuleBook rules,
            SeverityPolicy severities,
            OwnedPartitions scope) {
        return new Judge(expectation, comparator, rules, severities, null, false, scope);
    }

    /**
     * The judge of one fragment of target rows fed by several legacy tables: the expectation's fields are the
     * fragment; a target row without any of them lacks the fragment ({@code MISSING_FRAGMENT} where the legacy row
     * gives it values), and one that holds it without a legacy row has an {@code UNEXPECTED_FRAGMENT}. The rest of
     * the row is other tables' business.
     */
    public static Judge ofFragment(
            Expectation expectation,
            FieldComparator comparator,
            RuleBook rules,
            SeverityPolicy severities,
            String changeColumn) {
        return new Judge(expectation, comparator, rules, severities, changeColumn, true, null);
    }

    /** True if the row holds what this judge compares: for a fragment, at least one of its fields. */
    private boolean holds(TargetRow row) {
        if (row.deleted()) {
            return false;
        }
        return !fragment
                || expectation.fields().stream().anyMatch(f -> row.values().get(f) != null);
    }

    /**
     * @param sourceKey the legacy key
     * @param legacy    the legacy row, or {@code null} when it does not exist
     * @param targets   every target row whose lineage source key is {@code sourceKey}, delete markers included
     */
    public List<Verdict> judge(String sourceKey, LegacyRow legacy, List<TargetRow> targets) {
        List<Verdict> verdicts = judgeAsCopy(sourceKey, legacy, targets);
        return reverseScope == null ? verdicts : reversed(verdicts, legacy, targets);
    }

    private List<Verdict> reversed(List<Verdict> verdicts, LegacyRow legacy, List<TargetRow> targets) {
        List<Verdict> judged = new ArrayList<>(verdicts.size());
        for (Verdict verdict : verdicts) {
            if (!reverseScope.covers(partitionOf(verdict.targetKey(), legacy, targets))) {
                continue;
            }
            Drift drift = verdict.drift();
            if (drift != null && drift.kind().reversed() != drift.kind()) {
                DriftKind kind = drift.kind().reversed();
                drift = new Drift(
                        kind,
                        drift.targetKey(),
                        drift.legacyKey(),
                        severities.of(kind, drift.fields()),
                        drift.fields(),
                        drift.violatedRules(),
                        drift.message());
            }
            judged.add(new Verdict(
                    verdict.targetKey(),
                    verdict.sourceKey(),
                    drift,
                    verdict.legacyChangeAt(),
                    verdict.targetChangeAt()));
        }
        return judged;
    }

    /**
     * The partition a pair belongs to: the service row's, as the truth says, else the translated legacy row's;
     * {@code null} when neither tells.
     */
    private Object partitionOf(String targetKey, LegacyRow legacy, List<TargetRow> targets) {
        String field = reverseScope.field();
        for (TargetRow row : targets) {
            if (row.targetKey().equals(targetKey)
                    && !row.deleted()
                    && row.values().get(field) != null) {
                return row.values().get(field);
            }
        }
        if (legacy == null) {
            return null;
        }
        try {
            return expectation.expected(legacy.values(), targetKey).get(field);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private List<Verdict> judgeAsCopy(String sourceKey, LegacyRow legacy, List<TargetRow> targets) {
        List<Verdict> verdicts = new ArrayList<>(1);
        Instant legacyChange = legacy == null ? null : changeTime(legacy.values());
        if (legacy == null) {
            for (TargetRow row : targets) {
                if (holds(row)) {
                    verdicts.add(new Verdict(
                            row.targetKey(),
                            sourceKey,
                            drift(unexpected(), row.targetKey(), sourceKey, List.of(), List.of(), null),
                            null,
                            row.committedAt()));
                }
            }
            return verdicts;
        }
        String targetKey;
        Map<String, Object> expected;
        try {
            targetKey = expectation.targetKey(legacy.values());
        } catch (DataException | IllegalArgumentException e) {
            verdicts.add(new Verdict(
                    "legacy:" + sourceKey,
                    sourceKey,
                    drift(
                            DriftKind.RULE_VIOLATION,
                            "legacy:" + sourceKey,
                            sourceKey,
                            List.of(),
                            List.of("translation"),
                            e.getMessage()),
                    legacyChange,
                    null));
            return verdicts;
        }
        TargetRow match = null;
        for (TargetRow row : targets) {
            if (row.targetKey().equals(targetKey)) {
                match = row;
            } else if (holds(row)) {
                verdicts.add(new Verdict(
                        row.targetKey(),
                        sourceKey,
                        drift(unexpected(), row.targetKey(), sourceKey, List.of(), List.of(), null),
                        legacyChange,
                        row.committedAt()));
            }
        }
        Instant targetChange = match == null ? null : match.committedAt();
        try {
            expected = expectation.expected(legacy.values(), targetKey);
        } catch (DataException | IllegalArgumentException | ArithmeticException e) {
            verdicts.add(new Verdict(
                    targetKey,
                    sourceKey,
                    drift(
                            DriftKind.RULE_VIOLATION,
                            targetKey,
                            sourceKey,
                            List.of(),
                            List.of("translation"),
                            e.getMessage()),
                    legacyChange,
                    targetChange));
            return verdicts;
        }
        if (match == null || !holds(match)) {
            if (fragment && expected.values().stream().allMatch(Objects::isNull)) {
                // A fragment without values: the target row without it is what the legacy row says.
                verdicts.add(new Verdict(targetKey, sourceKey, null, legacyChange, targetChange));
            } else {
                verdicts.add(new Verdict(
                        targetKey,
                        sourceKey,
                        drift(
                                fragment ? DriftKind.MISSING_FRAGMENT : DriftKind.MISSING_IN_TARGET,
                                targetKey,
                                sourceKey,
                                List.of(),
                                List.of(),
                                null),
                        legacyChange,
                        targetChange));
            }
            return verdicts;
        }
        List<FieldDifference> differences = comparator.differences(expectation.fields(), expected, match.values());
        List<RuleBook.Violation> violations = rules.violations(legacy.values(), match.values());
        if (differences.isEmpty() && violations.isEmpty()) {
            verdicts.add(new Verdict(targetKey, sourceKey, null, legacyChange, targetChange));
            return verdicts;
        }
        DriftKind kind = differences.isEmpty() ? DriftKind.RULE_VIOLATION : DriftKind.FIELD_MISMATCH;
        Severity severity = severities.of(kind, differences);
        List<String> names = new ArrayList<>();
        StringBuilder errors = new StringBuilder();
        for (RuleBook.Violation violation : violations) {
            names.add(violation.rule());
            severity = severity.atLeast(
                    violation.severity() == null ? severities.of(DriftKind.RULE_VIOLATION) : violation.severity());
            if (violation.error() != null) {
                errors.append(errors.length() == 0 ? "" : "; ")
                        .append(violation.rule())
                        .append(": ")
                        .append(violation.error());
            }
        }
        verdicts.add(new Verdict(
                targetKey,
                sourceKey,
                new Drift(
                        kind,
                        targetKey,
                        sourceKey,
                        severity,
                        differences,
                        names,
                        errors.length() == 0 ? null : errors.toString()),
                legacyChange,
                targetChange));
        return verdicts;
    }

    private DriftKind unexpected() {
        return fragment ? DriftKind.UNEXPECTED_FRAGMENT : DriftKind.UNEXPECTED_IN_TARGET;
    }

    private Drift drift(
            DriftKind kind,
            String targetKey,
            String sourceKey,
            List<FieldDifference> fields,
            List<String> rules,
            String message) {
        return new Drift(kind, targetKey, sourceKey, severities.of(kind, fields), fields, rules, message);
    }

    private Instant changeTime(Map<String, Object> legacy) {
        if (changeColumn == null) {
            return null;
        }
        Object value = legacy.get(changeColumn);
        if (value instanceof Instant instantValue) {
            return instantValue;
        }
        if (value instanceof LocalDateTime localDateTime) {
            return localDateTime.toInstant(ZoneOffset.UTC);
        }
        if (value instanceof OffsetDateTime offsetDateTime) {
            return offsetDateTime.toInstant();
        }
        return null;
    }
}
