package io.rollingmigration.benchmarks.scaleout;

import io.rollingmigration.testsupport.ConnectClusterFixture;
import io.rollingmigration.testsupport.PostgresFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Scale-out of the insurer's policy pipeline on three Connect workers: {@code benchmarks/run scaleout [--quick]}.
 *
 * <p>The stock Debezium PostgreSQL connector first captures a backlog (a snapshot of every legacy policy, then
 * several rounds of updates to a quarter of them) into a 6-partition topic. Then the example's sink (the translation
 * SMT with the example spec, our sink) drains that same backlog into a fresh target database once per
 * {@code tasks.max} of 1, 2, 3 and 6, and the example's reconciler sweeps the result with {@code tasks.max} of 1, 2
 * and 3. Each run reports records or rows per second; the peer of every run is the one-task run of the same
 * connector, on the same data in the same JVM. One unmeasured run of each connector goes first, so that neither the
 * JIT nor PostgreSQL's first pass over freshly written rows (hint bits, pruning) is charged to the one-task run.
 *
 * <p>Ordering per key is checked, not assumed: every target row must hold its policy's last legacy write, and the
 * sink's version guard must have skipped nothing (a change that arrived after a newer change of the same key would
 * have been skipped as stale).
 *
 * <p>Progress goes to stderr; last on stdout: {@code RESULT bench=scaleout sink_rows_s_1=<n> ... sink_speedup=<best/1>
 * reconcile_rows_s_1=<n> ... reconcile_speedup=<best/1> cores=<n> ordered=<true|false>}.
 */
public final class ScaleOutBenchmark {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    static final List<Integer> SINK_TASKS = List.of(1, 2, 3, 6);
    static final List<Integer> RECONCILE_TASKS = List.of(1, 2, 3);

    private ScaleOutBenchmark() {}

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        int policies = quick ? 40_000 : 200_000;
        say(String.format(
                Locale.ROOT,
                "scale-out benchmark%s: %,d policies, updates of a quarter of them in %d "
                        + "rounds, 3 workers, a 6-partition topic, %d cores, heap limit %d MB",
                quick ? " (quick)" : "",
                policies,
                PolicyBacklog.UPDATE_ROUNDS,
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20));
        try {
            run(policies);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
        // Stray non-daemon threads of the embedded broker and workers must not keep the JVM alive.
        System.exit(0);
    }

    private static void run(int policies) throws Exception {
        Path work = Files.createTempDirectory("bench-scaleout");
        try (PostgresFixture postgres = PostgresFixture.startOwned()) {
            say("PostgreSQL on port " + postgres.port() + "; starting Kafka (KRaft) and 3 Connect workers");
            ConnectClusterFixture connect = ConnectClusterFixture.builder()
                    .name("bench-scaleout")
                    .workers(3)
                    .pluginPath(Paths.get(System.getProperty("bench.plugins.dir", "packaging/target/plugins")))
                    .pluginPath(Paths.get(
                            System.getProperty("bench.debezium-plugins.dir", "packaging/target/peer-plugins")))
                    .workerProperty("config.providers", "file,dir")
                    .workerProperty(
                            "config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider")
                    .workerProperty(
                            "config.providers.dir.class",
                            "org.apache.kafka.common.config.provider.DirectoryConfigProvider")
                    .start();
            try {
                InsurerConfigs configs = new InsurerConfigs(postgres, connect, work);
                PolicyBacklog backlog = new PolicyBacklog(postgres, connect, configs, policies);
                long records = backlog.capture();
                say(String.format(
                        Locale.ROOT, "backlog: %,d change events in %s (6 partitions)", records, PolicyBacklog.TOPIC));

                // Unmeasured: the JIT compiles the pipeline's hot paths, so the first measured run is not penalised.
                say("warm-up: " + new SinkRun(postgres, connect, configs, backlog, 3, "warmup").drain());
                List<SinkRun.Result> sinkRuns = new ArrayList<>();
                for (int tasks : SINK_TASKS) {
                    SinkRun.Result result =
                            new SinkRun(postgres, connect, configs, backlog, tasks, "sink_" + tasks).drain();
                    say(result.toString());
                    sinkRuns.add(result);
                }
                List<ReconcileRun.Result> reconcileRuns = new ArrayList<>();
                // The reconciler compares the legacy table with the last sink run's target database, both vacuumed
                // as autovacuum would have done long before a production sweep, and after an unmeasured sweep.
                String target = sinkRuns.get(sinkRuns.size() - 1).database();
                postgres.execute(InsurerConfigs.LEGACY_DATABASE, "VACUUM ANALYZE public.policy");
                postgres.execute(target, "VACUUM ANALYZE public.policy");
                say("warm-up: " + new ReconcileRun(connect, configs, target, 3, "warmup").sweep());
                for (int tasks : RECONCILE_TASKS) {
                    ReconcileRun.Result result =
                            new ReconcileRun(connect, configs, target, tasks, "run_" + tasks).sweep();
                    say(result.toString());
                    reconcileRuns.add(result);
                }
                report(sinkRuns, reconcileRuns);
            } finally {
                connect.close();
            }
        }
    }

    private static void report(List<SinkRun.Result> sinks, List<ReconcileRun.Result> reconciles) {
        double sinkOne = sinks.get(0).recordsPerSecond();
        double sinkBest = sinks.stream()
                .mapToDouble(SinkRun.Result::recordsPerSecond)
                .max()
                .orElse(0);
        double reconcileOne = reconciles.get(0).rowsPerSecond();
        double reconcileBest = reconciles.stream()
                .mapToDouble(ReconcileRun.Result::rowsPerSecond)
                .max()
                .orElse(0);
        boolean ordered = sinks.stream().allMatch(SinkRun.Result::ordered);
        boolean clean = reconciles.stream().allMatch(r -> r.drift() == 0);
        say("every sink run kept per-key order: " + ordered + "; every reconciler run found no drift: " + clean);
        System.out.printf(
                Locale.ROOT,
                "RESULT bench=scaleout %s sink_speedup=%.2f %s reconcile_speedup=%.2f " + "cores=%d ordered=%s%n",
                sinks.stream()
                        .map(r -> String.format(Locale.ROOT, "sink_rows_s_%d=%.0f", r.tasks(), r.recordsPerSecond()))
                        .collect(Collectors.joining(" ")),
                sinkBest / sinkOne,
                reconciles.stream()
                        .map(r -> String.format(Locale.ROOT, "reconcile_rows_s_%d=%.0f", r.tasks(), r.rowsPerSecond()))
                        .collect(Collectors.joining(" ")),
                reconcileBest / reconcileOne,
                Runtime.getRuntime().availableProcessors(),
                ordered && clean);
    }

    static void say(String line) {
        System.err.println("[scaleout " + LocalTime.now().format(CLOCK) + "] " + line);
        System.err.flush();
    }
}
