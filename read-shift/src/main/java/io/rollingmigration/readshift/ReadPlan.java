package io.rollingmigration.readshift;

import java.math.BigDecimal;

/**
 * How one partition's reads are routed: the mode and, for a canary, the percentage of keys the service answers.
 *
 * @param mode          where reads are answered
 * @param canaryPercent the share of keys the service answers in {@link ReadMode#CANARY}, 0 to 100 (hundredths
 *                      count); 0 in every other mode
 */
public record ReadPlan(ReadMode mode, double canaryPercent) {

    /** What a partition without a plan row gets: reads stay where they were before the migration. */
    public static final ReadPlan LEGACY = new ReadPlan(ReadMode.LEGACY, 0);

    public ReadPlan {
        if (mode == null) {
            throw new InvalidPlan("read_mode", "a read mode is required");
        }
        if (mode == ReadMode.CANARY) {
            if (!(canaryPercent >= 0 && canaryPercent <= 100)) {
                throw new InvalidPlan(
                        "canary_percent", "a canary's percentage is between 0 and 100, not " + canaryPercent);
            }
        } else {
            canaryPercent = 0;
        }
    }

    /**
     * A plan as a control table row gives it.
     *
     * @throws InvalidPlan for an unknown mode, a canary without a percentage or one outside 0 to 100
     */
    public static ReadPlan of(String mode, BigDecimal canaryPercent) {
        ReadMode parsed = ReadMode.parse(mode);
        if (parsed == ReadMode.CANARY && canaryPercent == null) {
            throw new InvalidPlan("canary_percent", "a canary needs the percentage of keys the service answers");
        }
        if (parsed != ReadMode.CANARY && canaryPercent != null && canaryPercent.signum() != 0) {
            throw new InvalidPlan(
                    "canary_percent",
                    "a percentage is a canary's; read mode " + parsed + " answers every key from "
                            + (parsed == ReadMode.TARGET ? "the service" : "legacy"));
        }
        return new ReadPlan(parsed, canaryPercent == null ? 0 : canaryPercent.doubleValue());
    }

    /** True if the service is read for this plan at all (answering or compared). */
    public boolean readsService() {
        return mode != ReadMode.LEGACY;
    }

    @Override
    public String toString() {
        return mode == ReadMode.CANARY ? "CANARY " + canaryPercent + "%" : mode.name();
    }
}
