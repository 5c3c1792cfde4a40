package io.rollingmigration.readshift;

import io.rollingmigration.connect.common.ownership.Owner;
import java.util.Objects;

/**
 * Decides where one read goes, from the routing plan: deterministic for a key, cheap (the plan is in memory), and
 * counted per unit, partition, consumer and mode.
 */
public final class ReadRouter {

    private final RoutingPlan plan;
    private final RoutingCounts counts;

    public ReadRouter(RoutingPlan plan, RoutingCounts counts) {
        this.plan = plan;
        this.counts = counts;
    }

    /**
     * @param unit           the migration unit (the mapping spec's aggregate name)
     * @param partitionValue the value of the unit's partition field for this read (a region, a tenant), or
     *                       {@code null} for the unit's {@code *} plan
     * @param key            the key read: the canary's share is taken by it
     * @param consumer       the calling consumer's name
     */
    public RouteDecision route(String unit, String partitionValue, String key, String consumer) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(consumer, "consumer");
        ReadPlan planned = plan.planOf(unit, partitionValue);
        Owner answeredBy;
        boolean compared;
        switch (planned.mode()) {
            case SHADOW -> {
                answeredBy = Owner.LEGACY;
                compared = true;
            }
            case CANARY -> {
                answeredBy = KeyBuckets.inCanary(KeyBuckets.bucketOf(unit, key), planned.canaryPercent())
                        ? Owner.TARGET
                        : Owner.LEGACY;
                compared = true;
            }
            case TARGET -> {
                answeredBy = Owner.TARGET;
                compared = false;
            }
            default -> {
                answeredBy = Owner.LEGACY;
                compared = false;
            }
        }
        RouteDecision decision = new RouteDecision(
                unit,
                partitionValue == null ? RoutingPlanTable.ANY_PARTITION : partitionValue,
                key,
                consumer,
                planned,
                answeredBy,
                compared);
        counts.count(decision);
        return decision;
    }
}
