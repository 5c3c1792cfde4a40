package io.rollingmigration.connect.common.drift;

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
    UNEXPECTED_FRAGMENT,
    /**
     * Reverse direction: the service has a live row in a partition it owns that legacy lacks: the write-back lane
     * has not delivered it (a rollback now would lose it).
     */
    MISSING_IN_LEGACY,
    /**
     * Reverse direction: legacy has a row in a partition the service owns that the service does not: a service
     * delete was not written back, or a legacy screen still writes there.
     */
    UNEXPECTED_IN_LEGACY;

    /**
     * True for drift of a target row (or fragment) without a legacy row: a legacy delete, or in the reverse
     * direction a service insert, may be on its way.
     */
    public boolean withoutLegacyRow() {
        return this == UNEXPECTED_IN_TARGET || this == UNEXPECTED_FRAGMENT || this == MISSING_IN_LEGACY;
    }

    /** The same disagreement told with the service's store as the truth and legacy as its copy. */
    public DriftKind reversed() {
        return switch (this) {
            case MISSING_IN_TARGET -> UNEXPECTED_IN_LEGACY;
            case UNEXPECTED_IN_TARGET -> MISSING_IN_LEGACY;
            default -> this;
        };
    }
}
