package io.rollingmigration.benchmarks.pipeline;

import io.rollingmigration.benchmarks.pipeline.LegacyWriters.StepLoad;
import io.rollingmigration.benchmarks.pipeline.TargetLag.StepLag;
import java.util.Locale;

/**
 * One rung of the rate ladder: what was offered, what the generator managed, the lag the pipeline showed, and the
 * CPU each part of the machine spent from the step's start until the target held every change.
 */
record StepResult(StepLoad load, boolean caughtUp, StepLag lag, CpuLedger.Spent cpu) {

    enum Verdict {
        SUSTAINED,
        LAGGED,
        GENERATOR_SHORT
    }

    /**
     * Lag decides first: a pipeline that lagged at the rate the generator did reach has lagged whatever was offered.
     * Only a step whose lag was fine but whose offered rate the generator could not produce is inconclusive.
     */
    Verdict verdict() {
        if (!caughtUp || !(lag.p99Ms() < Plan.P99_LIMIT_MS)) {
            return Verdict.LAGGED;
        }
        return load.reachedOffered() ? Verdict.SUSTAINED : Verdict.GENERATOR_SHORT;
    }

    double p99Ms() {
        return caughtUp ? lag.p99Ms() : Double.NaN;
    }

    String describe() {
        String offered = String.format(
                Locale.ROOT,
                "offered %,d/s, legacy committed %,d changes = %,.0f/s",
                load.offeredRate(),
                load.changes(),
                load.achievedRate());
        if (!caughtUp) {
            return offered + "; target did not catch up: LAGGED";
        }
        String lagged = String.format(
                Locale.ROOT,
                "; lag p50 %.0f ms, p99 %.0f ms, max %.0f ms over %,d rows "
                        + "(last second's p50 %.0f ms; worst written %.0f s into the step; %d s over 1 s)",
                lag.p50Ms(),
                lag.p99Ms(),
                lag.maxMs(),
                lag.rows(),
                lag.lastSecondP50Ms(),
                lag.worstAtSecond(),
                lag.secondsOverLimit());
        return switch (verdict()) {
            case SUSTAINED -> offered + lagged + ": sustained";
            case GENERATOR_SHORT ->
                offered
                        + lagged
                        + String.format(
                                Locale.ROOT,
                                ": the GENERATOR could not produce %,d/s " + "(inconclusive, not counted)",
                                load.offeredRate());
            default -> offered + lagged + ": LAGGED (p99 over 1 s)";
        };
    }
}
