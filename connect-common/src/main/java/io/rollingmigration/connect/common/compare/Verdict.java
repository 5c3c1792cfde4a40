package io.rollingmigration.connect.common.compare;

import io.rollingmigration.connect.common.drift.Drift;
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
}
