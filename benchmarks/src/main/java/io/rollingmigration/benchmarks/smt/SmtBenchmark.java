package io.rollingmigration.benchmarks.smt;

import static io.rollingmigration.benchmarks.JmhRounds.allocation;
import static io.rollingmigration.benchmarks.JmhRounds.median;
import static io.rollingmigration.benchmarks.JmhRounds.score;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link TranslationBenchmarks} with JMH (one thread: one core) and its GC profiler, and prints, last, the
 * RESULT line: our records per second, the stock chain's, the ratio, and our allocated bytes per record.
 */
public final class SmtBenchmark {

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        // This machine's speed drifts by half within minutes (decision 0018): both contenders are measured in
        // rounds, one right after the other in each, and the ratio is the median of the rounds' ratios.
        int rounds = quick ? 5 : 7;
        List<Double> ratios = new ArrayList<>();
        List<Double> oursScores = new ArrayList<>();
        List<Double> peerScores = new ArrayList<>();
        double oursAlloc = Double.NaN;
        double peerAlloc = Double.NaN;
        for (int round = 1; round <= rounds; round++) {
            Options options = new OptionsBuilder()
                    .include(TranslationBenchmarks.class.getName())
                    .forks(1)
                    .threads(1)
                    .warmupIterations(quick ? 2 : 5)
                    .warmupTime(TimeValue.seconds(quick ? 2 : 3))
                    .measurementIterations(quick ? 3 : 5)
                    .measurementTime(TimeValue.seconds(quick ? 2 : 5))
                    .addProfiler(GCProfiler.class)
                    .jvmArgsAppend(
                            "-Xmx1g", "-Dlog4j2.configurationFile=benchmarks/src/main/resources/benchmark-log4j2.xml")
                    .build();
            Collection<RunResult> results = new Runner(options).run();
            double ours = score(results, "translateAggregate");
            double peer = score(results, "stockTransformChain");
            oursAlloc = allocation(results, "translateAggregate");
            peerAlloc = allocation(results, "stockTransformChain");
            oursScores.add(ours);
            peerScores.add(peer);
            ratios.add(ours / peer);
            System.out.printf(
                    Locale.ROOT,
                    "[bench] round %d: TranslateAggregate %.0f records/s, stock chain %.0f "
                            + "records/s, ratio %.2f%n",
                    round,
                    ours,
                    peer,
                    ours / peer);
        }
        double ours = median(oursScores);
        double peer = median(peerScores);
        double ratio = median(ratios);
        System.out.printf(
                Locale.ROOT,
                "[bench] TranslateAggregate %.0f records/s, %.0f B/record; stock chain %.0f "
                        + "records/s, %.0f B/record (medians of %d rounds); round ratios %s%n",
                ours,
                oursAlloc,
                peer,
                peerAlloc,
                rounds,
                ratios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList());
        System.out.printf(
                Locale.ROOT,
                "RESULT bench=smt ours_ops_s=%.0f peer_ops_s=%.0f ratio=%.2f "
                        + "alloc_bytes_op=%.0f peer_alloc_bytes_op=%.0f%n",
                ours,
                peer,
                ratio,
                oursAlloc,
                peerAlloc);
    }
}
