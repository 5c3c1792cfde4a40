package io.rollingmigration.benchmarks.converter;

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
 * Runs {@link ConverterBenchmarks} with JMH (one thread) and its GC profiler in rounds, both converters one right
 * after the other in each round (this machine's speed drifts within minutes, decision 0018), and prints, last, the
 * RESULT line: the medians of the rounds' read and write ratios (ours over JsonConverter, records per second) and
 * ours' allocation per record (read and write together) over JsonConverter's.
 */
public final class ConverterBenchmark {

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        int rounds = quick ? 3 : 5;
        List<Double> readRatios = new ArrayList<>();
        List<Double> writeRatios = new ArrayList<>();
        List<Double> allocRatios = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            Options options = new OptionsBuilder()
                    .include(ConverterBenchmarks.class.getName())
                    .forks(1)
                    .threads(1)
                    .warmupIterations(quick ? 2 : 4)
                    .warmupTime(TimeValue.seconds(2))
                    .measurementIterations(quick ? 3 : 5)
                    .measurementTime(TimeValue.seconds(quick ? 2 : 3))
                    .addProfiler(GCProfiler.class)
                    .jvmArgsAppend(
                            "-Xmx1g", "-Dlog4j2.configurationFile=benchmarks/src/main/resources/benchmark-log4j2.xml")
                    .build();
            Collection<RunResult> results = new Runner(options).run();
            double readOurs = score(results, "readOurs");
            double readStock = score(results, "readStock");
            double writeOurs = score(results, "writeOurs");
            double writeStock = score(results, "writeStock");
            double allocOurs = allocation(results, "readOurs") + allocation(results, "writeOurs");
            double allocStock = allocation(results, "readStock") + allocation(results, "writeStock");
            readRatios.add(readOurs / readStock);
            writeRatios.add(writeOurs / writeStock);
            allocRatios.add(allocOurs / allocStock);
            System.out.printf(
                    Locale.ROOT,
                    "[bench] round %d: read ours %.0f/s JsonConverter %.0f/s (%.2fx); write ours %.0f/s "
                            + "JsonConverter %.0f/s (%.2fx); allocated per record read %.0f B vs %.0f B, "
                            + "write %.0f B vs %.0f B%n",
                    round,
                    readOurs,
                    readStock,
                    readOurs / readStock,
                    writeOurs,
                    writeStock,
                    writeOurs / writeStock,
                    allocation(results, "readOurs"),
                    allocation(results, "readStock"),
                    allocation(results, "writeOurs"),
                    allocation(results, "writeStock"));
        }
        System.out.printf(
                Locale.ROOT,
                "RESULT bench=converter read_ratio=%.2f write_ratio=%.2f alloc_ratio=%.2f%n",
                median(readRatios),
                median(writeRatios),
                median(allocRatios));
    }
}
