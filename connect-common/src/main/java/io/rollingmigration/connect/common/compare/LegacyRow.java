package io.rollingmigration.connect.common.compare;

import java.util.Map;

/**
 * A legacy row as the reconciler reads it: its key as canonical JSON (the lineage source key) and its normalised
 * columns.
 *
 * @param sourceKey the canonical JSON of the key columns
 * @param values    every column read, normalised as the translation SMT sees them
 */
public record LegacyRow(String sourceKey, Map<String, Object> values) {}
