package io.rollingmigration.readshift;

import java.time.Duration;
import java.util.List;

/**
 * The reconciler's comparison rules, as a read comparison takes them: the same tolerances and masking (the spec's
 * {@code masked} fields are always masked too), the legacy change column, and how long a legacy change may take to
 * reach the service before a difference it explains counts as a mismatch.
 *
 * @param timestampToleranceMillis  temporal values closer than this are equal ({@code tolerance.timestamp.ms})
 * @param caseInsensitiveFields     fields compared ignoring case ({@code tolerance.case.insensitive.fields})
 * @param whitespaceInsensitiveFields fields compared ignoring surrounding and repeated white space
 * @param maskedFields              fields whose values never leave the comparison ({@code masked.fields})
 * @param changeColumn              the legacy column stamped by every change ({@code change.column}), or
 *                                  {@code null}: then no difference is explained as in flight
 * @param legacyKeyColumns          the legacy key columns, or empty for the spec's key columns
 * @param inFlightWindow            without the service row's lineage, a legacy change younger than this may still be
 *                                  on its way (the replication lag the lane allows)
 */
public record ComparisonRules(
        long timestampToleranceMillis,
        List<String> caseInsensitiveFields,
        List<String> whitespaceInsensitiveFields,
        List<String> maskedFields,
        String changeColumn,
        List<String> legacyKeyColumns,
        Duration inFlightWindow) {

    public static final Duration DEFAULT_IN_FLIGHT_WINDOW = Duration.ofSeconds(30);

    public ComparisonRules {
        if (timestampToleranceMillis < 0) {
            throw new IllegalArgumentException("the timestamp tolerance is not negative");
        }
        if (inFlightWindow == null || inFlightWindow.isNegative()) {
            throw new IllegalArgumentException("the in-flight window is a duration of 0 or more");
        }
        caseInsensitiveFields = List.copyOf(caseInsensitiveFields);
        whitespaceInsensitiveFields = List.copyOf(whitespaceInsensitiveFields);
        maskedFields = List.copyOf(maskedFields);
        legacyKeyColumns = List.copyOf(legacyKeyColumns);
    }

    /** Exact comparison, nothing masked beyond the spec, no change column. */
    public static ComparisonRules exact() {
        return new ComparisonRules(0, List.of(), List.of(), List.of(), null, List.of(), DEFAULT_IN_FLIGHT_WINDOW);
    }

    public ComparisonRules withChangeColumn(String column) {
        return new ComparisonRules(
                timestampToleranceMillis,
                caseInsensitiveFields,
                whitespaceInsensitiveFields,
                maskedFields,
                column,
                legacyKeyColumns,
                inFlightWindow);
    }

    public ComparisonRules withTimestampTolerance(long millis) {
        return new ComparisonRules(
                millis,
                caseInsensitiveFields,
                whitespaceInsensitiveFields,
                maskedFields,
                changeColumn,
                legacyKeyColumns,
                inFlightWindow);
    }

    public ComparisonRules withMaskedFields(List<String> fields) {
        return new ComparisonRules(
                timestampToleranceMillis,
                caseInsensitiveFields,
                whitespaceInsensitiveFields,
                fields,
                changeColumn,
                legacyKeyColumns,
                inFlightWindow);
    }

    public ComparisonRules withLegacyKeyColumns(List<String> columns) {
        return new ComparisonRules(
                timestampToleranceMillis,
                caseInsensitiveFields,
                whitespaceInsensitiveFields,
                maskedFields,
                changeColumn,
                columns,
                inFlightWindow);
    }

    public ComparisonRules withInFlightWindow(Duration window) {
        return new ComparisonRules(
                timestampToleranceMillis,
                caseInsensitiveFields,
                whitespaceInsensitiveFields,
                maskedFields,
                changeColumn,
                legacyKeyColumns,
                window);
    }
}
