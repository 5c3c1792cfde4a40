package io.rollingmigration.connect.common.drift;

import java.util.List;
import java.util.Objects;

/**
 * One confirmed difference, before it becomes a record.
 *
 * @param kind           what disagrees
 * @param targetKey      the target key of the aggregate (with the aggregate, the drift record's key)
 * @param legacyKey      the legacy key as canonical JSON, the text the lineage_source_key column holds
 * @param severity       how urgent
 * @param fields         the differing fields, in comparison order
 * @param violatedRules  the names of the rules that do not hold
 * @param message        what went wrong where no field says it (a translation error), or {@code null}
 */
public record Drift(
        DriftKind kind,
        String targetKey,
        String legacyKey,
        Severity severity,
        List<FieldDifference> fields,
        List<String> violatedRules,
        String message) {

    public Drift {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(targetKey, "targetKey");
        Objects.requireNonNull(severity, "severity");
        fields = List.copyOf(fields);
        violatedRules = List.copyOf(violatedRules);
    }

    /** True if both report the same disagreement (times and counts aside). */
    public boolean sameFindingAs(Drift other) {
        return other != null
                && kind == other.kind
                && fields.equals(other.fields)
                && violatedRules.equals(other.violatedRules)
                && Objects.equals(message, other.message);
    }
}
