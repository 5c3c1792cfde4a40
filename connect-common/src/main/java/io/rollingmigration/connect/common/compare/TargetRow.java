package io.rollingmigration.connect.common.compare;

import java.time.Instant;
import java.util.Map;

/**
 * A target row with its lineage.
 *
 * @param targetKey   the row's key as text (the drift record's key)
 * @param sourceKey   its lineage_source_key, or {@code null}
 * @param values      the compared columns, normalised
 * @param committedAt the legacy commit time of the change the row reflects (lineage_source_committed_at)
 * @param deleted     true for a delete marker (lineage_deleted_at set): the row no longer exists for readers
 */
public record TargetRow(
        String targetKey, String sourceKey, Map<String, Object> values, Instant committedAt, boolean deleted) {}
