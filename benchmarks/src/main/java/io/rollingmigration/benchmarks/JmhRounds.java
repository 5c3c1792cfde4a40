package io.rollingmigration.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * What the JMH benchmarks read from a round's results: a method's score and its allocation per operation (GC
 * profiler), and the median over rounds (this machine's speed drifts within minutes, decision 0018).
 */
public final class JmhRounds {

    private JmhRounds() {}

    public static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** Operations per second (or the benchmark's mode's unit) of the method. */
    public static double score(Collection<RunResult> results, String method) {
        return result(results, method).getPrimaryResult().getScore();
    }

    /** Bytes allocated per operation, or NaN without the GC profiler. */
    public static double allocation(Collection<RunResult> results, String method) {
        Result<?> alloc = result(results, method).getSecondaryResults().get("·gc.alloc.rate.norm");
        if (alloc == null) {
            alloc = result(results, method).getSecondaryResults().get("gc.alloc.rate.norm");
        }
        return alloc == null ? Double.NaN : alloc.getScore();
    }

    private static RunResult result(Collection<RunResult> results, String method) {
        return results.stream()
                .filter(r -> r.getParams().getBenchmark().endsWith("." + method))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no result for " + method));
    }
}
