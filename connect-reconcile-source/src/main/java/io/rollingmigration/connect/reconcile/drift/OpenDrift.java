package io.rollingmigration.connect.reconcile.drift;

import io.rollingmigration.connect.common.drift.DriftKind;
import io.rollingmigration.connect.common.drift.Severity;

/**
 * A drift that has been reported and not yet resolved, as a task remembers it: enough to re-check it, to keep its
 * first detection time, and to tombstone it once the key comes back into line.
 *
 * @param targetKey     the drift record's key within the aggregate
 * @param legacyKey     the legacy key to re-check, as canonical JSON, or {@code null} when unknown
 * @param kind          the reported kind
 * @param severity      the reported severity
 * @param range         the key range whose task reported it
 * @param firstDetected when it was first reported, epoch ms
 * @param rechecks      how many times it was found again after being first held as suspect
 */
public record OpenDrift(
        String targetKey,
        String legacyKey,
        DriftKind kind,
        Severity severity,
        String range,
        long firstDetected,
        long rechecks) {}
