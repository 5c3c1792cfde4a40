package io.rollingmigration.readshift;

import io.rollingmigration.connect.common.drift.FieldDifference;
import java.util.List;

/**
 * The comparison of one shadowed read.
 *
 * @param outcome    what it showed
 * @param targetKeys the aggregates compared, by target key
 * @param fields     for a mismatch (or a difference in flight), the differing fields with the legacy value
 *                   translated ({@code expected}) and the service's ({@code actual}), masked where the spec says so
 * @param kinds      the kinds of difference, as the reconciler names them (FIELD_MISMATCH, MISSING_IN_TARGET, ...)
 * @param message    why, where a field list does not say it (an untranslatable value, a failed read)
 */
public record ReadVerdict(
        ReadOutcome outcome,
        List<String> targetKeys,
        List<FieldDifference> fields,
        List<String> kinds,
        String message) {

    public static ReadVerdict of(ReadOutcome outcome, String message) {
        return new ReadVerdict(outcome, List.of(), List.of(), List.of(), message);
    }
}
