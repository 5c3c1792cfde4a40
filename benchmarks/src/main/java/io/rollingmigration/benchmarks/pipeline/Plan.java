package io.rollingmigration.benchmarks.pipeline;

import java.time.Duration;
import java.util.List;

/**
 * How hard and how long the pipeline benchmark pushes: the rate ladder, the length of each step, and the shape of
 * the legacy application's transactions. Both contenders get the same plan.
 */
record Plan(
        boolean quick,
        List<Integer> rates,
        List<Integer> fallbackRates,
        Duration step,
        int warmUpRate,
        Duration warmUp,
        int warmUpRounds,
        Duration catchUpLimit,
        Duration calibration,
        int writers,
        int rowsPerTransaction,
        double insertShare,
        int refinements) {

    /** The lag a rate must stay under to count as sustained. */
    static final double P99_LIMIT_MS = 1000;
    /** Below this share of the offered rate the generator, not the pipeline, set the pace. */
    static final double GENERATOR_TOLERANCE = 0.97;

    static Plan of(boolean quick) {
        // 2,500/s first: the rate whose p99 the headline reports.
        List<Integer> ladder = List.of(2_500, 5_000, 7_500, 10_000, 15_000, 20_000, 30_000, 40_000);
        // Below the first rung, for machines where not even that holds: the highest sustained rate is still the answer.
        List<Integer> below = List.of(2_000, 1_000);
        return quick
                ? new Plan(
                        true,
                        ladder,
                        below,
                        Duration.ofSeconds(10),
                        2_500,
                        Duration.ofSeconds(5),
                        6,
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(3),
                        8,
                        10,
                        0.4,
                        2)
                : new Plan(
                        false,
                        ladder,
                        below,
                        Duration.ofSeconds(60),
                        2_500,
                        Duration.ofSeconds(10),
                        6,
                        Duration.ofSeconds(120),
                        Duration.ofSeconds(10),
                        8,
                        10,
                        0.4,
                        2);
    }

    /**
     * Legacy rows to start from: enough that the updates of the longest, fastest step never touch a key twice, so
     * every change of a step is still visible, with its own lag, in the target row it produced.
     */
    long updatableKeys() {
        int top = rates.stream().mapToInt(Integer::intValue).max().orElseThrow();
        return (long) Math.ceil(top * (double) step.toSeconds() * (1 - insertShare) * 1.2);
    }
}
