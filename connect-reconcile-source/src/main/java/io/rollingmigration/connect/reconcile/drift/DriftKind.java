package io.rollingmigration.connect.reconcile.drift;

/**
 * What kind of disagreement between the legacy and the target store a drift record reports. The names are part of
 * the drift topic's contract: consumers switch on them, so they are never renamed.
 */
public enum DriftKind {
    /** The legacy row's key has no row in the target: the migration has not (yet) delivered it. */
    MISSING_IN_TARGET,
    /** The target has a row whose key no legacy row has: a delete was not applied, or someone wrote the target. */
    UNEXPECTED_IN_TARGET,
    /** Both sides have the key, but at least one compared column holds a different value. */
    FIELD_MISMATCH
}
