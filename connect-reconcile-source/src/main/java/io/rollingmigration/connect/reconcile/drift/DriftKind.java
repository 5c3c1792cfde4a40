package io.rollingmigration.connect.reconcile.drift;

/**
 * What kind of disagreement between the legacy and the target store a drift record reports. The names are part of
 * the drift topic's contract: consumers switch on them, so they are never renamed.
 */
public enum DriftKind {
    /** The legacy row has no live row in the target: the migration has not delivered it. */
    MISSING_IN_TARGET,
    /** The target has a live row whose legacy row does not exist: a delete was not applied, or someone wrote it. */
    UNEXPECTED_IN_TARGET,
    /** Both sides have the row, but at least one field of the translated legacy row differs from the target's. */
    FIELD_MISMATCH,
    /** A declared invariant between the two rows does not hold, or the legacy row cannot be translated at all. */
    RULE_VIOLATION,
    /**
     * A target row fed by several legacy tables lacks the part (fragment) one of them should have given it: the
     * legacy row exists, the target row has none of its fields.
     */
    MISSING_FRAGMENT,
    /** A target row holds a fragment whose legacy row does not exist: a legacy delete was not applied. */
    UNEXPECTED_FRAGMENT;

    /** True for drift of a target row (or fragment) without a legacy row: a legacy delete may be on its way. */
    public boolean withoutLegacyRow() {
        return this == UNEXPECTED_IN_TARGET || this == UNEXPECTED_FRAGMENT;
    }
}
