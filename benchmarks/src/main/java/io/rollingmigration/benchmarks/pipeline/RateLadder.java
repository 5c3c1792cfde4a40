package io.rollingmigration.benchmarks.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Climbs the rate ladder with every contender in turn at each rate (ours 5k, peer 5k, ours 7.5k, ...), never two at
 * once. Taking turns rung by rung, rather than one whole ladder after the other, gives each rate the same JVM (the
 * first contender would otherwise pay for the JIT compiling the broker, worker and Debezium) and the same stretch of
 * whatever else the machine is doing. A contender stops climbing at its first step that is not sustained; one that
 * could not sustain even the first rung steps down below it until it sustains a rate.
 */
final class RateLadder {

    /** Refined rates are multiples of this many changes/s. */
    private static final int RESOLUTION = 250;

    private final Plan plan;

    RateLadder(Plan plan) {
        this.plan = plan;
    }

    void climb(List<Lane> lanes) throws Exception {
        warmUp(lanes);
        int step = take(plan.rates(), new LinkedHashSet<>(lanes), 1, false);
        Set<Lane> belowFirstRung = new LinkedHashSet<>();
        for (Lane lane : lanes) {
            if (lane.maxSustainedRate() == 0) {
                belowFirstRung.add(lane);
            }
        }
        step = take(plan.fallbackRates(), belowFirstRung, step, true);
        refine(lanes, step);
    }

    /**
     * Narrows each contender's limit between its highest sustained rate and its lowest failed one by halving the
     * gap, {@code plan.refinements()} times, in turns: rungs far apart would otherwise make different pipelines tie.
     */
    private void refine(List<Lane> lanes, int firstStep) throws Exception {
        int step = firstStep;
        for (int round = 0; round < plan.refinements(); round++) {
            for (Lane lane : lanes) {
                int sustained = lane.maxSustainedRate();
                OptionalInt failed = lane.lowestFailedRate();
                if (sustained == 0 || failed.isEmpty()) {
                    continue;
                }
                int middle = (int) Math.round((sustained + failed.getAsInt()) / 2.0 / RESOLUTION) * RESOLUTION;
                if (middle > sustained && middle < failed.getAsInt()) {
                    lane.climb(step, middle);
                }
            }
            step++;
        }
    }

    /**
     * Runs the rates in turns for the lanes given, dropping a lane at its first step that is not sustained (going
     * up) or at its first that is (going down). Returns the next step number.
     */
    private int take(List<Integer> rates, Set<Lane> lanes, int firstStep, boolean down) throws Exception {
        int step = firstStep;
        for (int rate : rates) {
            if (lanes.isEmpty()) {
                break;
            }
            for (Lane lane : new ArrayList<>(lanes)) {
                if (lane.climb(step, rate) == down) {
                    lanes.remove(lane);
                }
            }
            step++;
        }
        return step;
    }

    /** Unmeasured rounds at a low rate, in turns, until each contender keeps its p99 under the limit in one. */
    private void warmUp(List<Lane> lanes) throws Exception {
        Set<Lane> cold = new LinkedHashSet<>(lanes);
        for (int round = 1; round <= plan.warmUpRounds() && !cold.isEmpty(); round++) {
            for (Lane lane : new ArrayList<>(cold)) {
                if (lane.warmUp(round)) {
                    cold.remove(lane);
                }
            }
        }
    }
}
