package io.rollingmigration.connect.reconcile.drift;

import java.util.List;
import java.util.Objects;

/**
 * One difference found by a sweep, before it becomes a record: which key, what kind, and for a field mismatch which
 * columns differ.
 *
 * @param kind      what disagrees
 * @param legacyKey the key as canonical JSON ({@code SourceKey}), the same text the lineage columns hold
 * @param fields    the differing columns, in comparison order; empty unless {@code kind} is {@code FIELD_MISMATCH}
 */
public record Drift(DriftKind kind, String legacyKey, List<FieldDifference> fields) {

    public Drift {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(legacyKey, "legacyKey");
        fields = List.copyOf(fields);
        if ((kind == DriftKind.FIELD_MISMATCH) == fields.isEmpty()) {
            throw new IllegalArgumentException("A " + kind + " drift " + (fields.isEmpty() ? "needs" : "has no")
                    + " differing fields");
        }
    }

    public static Drift missingInTarget(String legacyKey) {
        return new Drift(DriftKind.MISSING_IN_TARGET, legacyKey, List.of());
    }

    public static Drift unexpectedInTarget(String legacyKey) {
        return new Drift(DriftKind.UNEXPECTED_IN_TARGET, legacyKey, List.of());
    }

    public static Drift fieldMismatch(String legacyKey, List<FieldDifference> fields) {
        return new Drift(DriftKind.FIELD_MISMATCH, legacyKey, fields);
    }
}
