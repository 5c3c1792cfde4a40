package io.rollingmigration.readshift;

import io.rollingmigration.connect.common.ownership.Owner;

/**
 * Where one read goes.
 *
 * @param unit       the migration unit (aggregate)
 * @param partition  the partition value the plan was looked up by ({@code *} when none was given)
 * @param key        the key read
 * @param consumer   the calling consumer's name: who still reads legacy is told by it
 * @param plan       the plan in force for the partition
 * @param answeredBy the store whose answer the caller gets
 * @param compared   true if the other store is read too and the answers compared (SHADOW, CANARY)
 */
public record RouteDecision(
        String unit, String partition, String key, String consumer, ReadPlan plan, Owner answeredBy, boolean compared) {

    public ReadMode mode() {
        return plan.mode();
    }

    /** The store read beside the one that answers, or {@code null} when only one is read. */
    public Owner secondary() {
        if (!compared) {
            return null;
        }
        return answeredBy == Owner.LEGACY ? Owner.TARGET : Owner.LEGACY;
    }
}
