package io.rollingmigration.connect.common.compare;

import io.rollingmigration.connect.common.drift.Drift;
import java.time.Duration;
import java.time.Instant;

/**
 * The outcome of comparing one target key: a match ({@code drift} is {@code null}) or a difference, with what
 * tells whether the pipeline may still be delivering the legacy change.
 *
 * @param targetKey      the target key judged
 * @param sourceKey      the legacy key, as canonical JSON
 * @param drift          the difference, or {@code null} when both sides agree
 * @param legacyChangeAt when the legacy row last changed (its change column), or {@code null} when unknown
 * @param targetChangeAt the legacy commit time of the change the target row reflects, or {@code null} without one
 */
public record Verdict(String targetKey, String sourceKey, Drift drift, Instant legacyChangeAt, Instant targetChangeAt) {

    public boolean matches() {
        return drift == null;
    }

    /**
     * True while the target may not have the legacy change this verdict saw: the target row reflects an older legacy
     * commit than the legacy row's last change, or, without a target row's lineage, {@code applied} (how far the
     * pipeline has applied the change stream, {@code null} when unknown) is older. {@code slack} is the rounding of
     * both times (the change column's precision plus the change stream's commit time resolution): compared exactly,
     * a target holding the row's last change could look behind it. Without a legacy change time nothing is known.
     */
    public boolean legacyChangeNotYetApplied(Instant applied, Duration slack) {
        if (legacyChangeAt == null) {
            return false;
        }
        Instant reflected = targetChangeAt != null ? targetChangeAt : applied;
        return reflected == null || reflected.plus(slack).isBefore(legacyChangeAt);
    }
}
