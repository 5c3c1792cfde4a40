package io.rollingmigration.benchmarks.pipeline;

import io.rollingmigration.benchmarks.pipeline.LegacyWriters.StepLoad;
import io.rollingmigration.benchmarks.pipeline.StepResult.Verdict;
import io.rollingmigration.testsupport.Await;
import io.rollingmigration.testsupport.ConnectClusterFixture;
import io.rollingmigration.testsupport.ConnectRest;
import io.rollingmigration.testsupport.PostgresFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One contender's pipeline, set up end to end: its legacy database and table, its target table, its topic, its
 * source and sink connectors (registered through the REST API) and its legacy writers. Runs one step of load at a
 * time and waits for the target to catch up; removes its connectors and slot when closed.
 */
final class Lane implements AutoCloseable {

    private static final Duration CONNECTOR_PATIENCE = Duration.ofSeconds(120);

    private final Contender contender;
    private final Plan plan;
    private final PostgresFixture postgres;
    private final ConnectClusterFixture connect;
    private final TargetLag lag;
    private final KafkaSplit split;
    private final CpuLedger cpu;
    private final LegacyAccounts legacy;
    private final List<StepResult> steps = new ArrayList<>();
    private LegacyWriters writers;
    private long published;

    Lane(Contender contender, Plan plan, PostgresFixture postgres, ConnectClusterFixture connect, TargetLag lag) {
        this.contender = contender;
        this.plan = plan;
        this.postgres = postgres;
        this.connect = connect;
        this.lag = lag;
        this.split = new KafkaSplit(connect, postgres);
        this.cpu = new CpuLedger(postgres);
        this.legacy = new LegacyAccounts(postgres, contender.legacyDatabase(), plan.updatableKeys());
    }

    Contender contender() {
        return contender;
    }

    /**
     * Fresh legacy and target tables and the topic. Every lane prepares before any opens: a slot must read all WAL
     * written after it was created, including another lane's bulk load.
     */
    void prepare() {
        legacy.recreate();
        contender.createTarget(postgres);
        connect.createTopic(contender.topic(), 1, KafkaSplit.TOPIC_CONFIG);
    }

    /** Registers the connectors, waits until the source streams, and connects the legacy writers. */
    void open() throws Exception {
        ConnectRest rest = connect.rest();
        rest.putConnector(
                contender.sourceConnector(),
                contender.sourceConfig(legacy.debeziumSource(contender.name(), contender.slot())));
        rest.awaitRunning(contender.sourceConnector(), 1, CONNECTOR_PATIENCE);
        // RUNNING comes before the slot exists; changes committed before it would never be captured.
        Await.until(
                CONNECTOR_PATIENCE,
                "replication slot " + contender.slot() + " in use",
                () -> postgres.query(
                                        legacy.database(),
                                        "SELECT 1 FROM pg_replication_slots WHERE " + slotIs() + " AND active")
                                .size()
                        == 1);
        rest.putConnector(contender.sinkConnector(), contender.sinkConfig());
        rest.awaitRunning(contender.sinkConnector(), 1, CONNECTOR_PATIENCE);
        writers = new LegacyWriters(postgres, plan, legacy);
        PipelineBenchmark.say(contender.name() + " (" + contender.title() + "): connectors RUNNING");
    }

    /** An unmeasured round; true if it kept p99 under the limit. Warm-up rounds are steps -1, -2, ... */
    boolean warmUp(int round) throws Exception {
        StepResult warm = run(-round, plan.warmUpRate(), plan.warmUp());
        PipelineBenchmark.say("  " + contender.name() + " warm-up " + round + " (not counted): " + warm.describe());
        return warm.verdict() == Verdict.SUSTAINED;
    }

    /** A measured step; true if the contender sustained it and climbs on. */
    boolean climb(int step, int rate) throws Exception {
        StepResult result = run(step, rate, plan.step());
        steps.add(result);
        PipelineBenchmark.say("  " + contender.name() + " step " + step + ": " + result.describe());
        return result.verdict() == Verdict.SUSTAINED;
    }

    /**
     * Drives one step and waits for the target to catch up. CPU is counted from the step's start until the target
     * holds every change (or the wait gives up), so a pipeline that lags has its deferred work counted too.
     */
    private StepResult run(int step, int rate, Duration length) throws Exception {
        Map<String, Long> cpuBefore = cpu.snapshot();
        StepLoad load = writers.drive(step, rate, length);
        long firstOffset = published;
        published += load.changes();
        if (step > 0) {
            PipelineBenchmark.say("  " + contender.name() + " step " + step + " " + lag.backlog(contender, published));
        }
        boolean caughtUp = lag.awaitCaughtUp(contender, published, step, load.changes(), plan.catchUpLimit());
        CpuLedger.Spent spent = CpuLedger.between(cpuBefore, cpu.snapshot(), load.changes());
        if (step > 0) {
            PipelineBenchmark.say("  " + contender.name() + " step " + step + " " + spent.describe());
        }
        if (!caughtUp) {
            return new StepResult(load, false, null, spent);
        }
        KafkaSplit.Split parts = split.measure(contender, step, firstOffset, load.changes());
        PipelineBenchmark.say("  " + contender.name() + " step " + step + " " + parts.describe());
        StepResult result = new StepResult(load, true, lag.measure(contender, step), spent);
        if (result.p99Ms() >= Plan.P99_LIMIT_MS) {
            PipelineBenchmark.say("  " + contender.name() + " step " + step + " " + parts.bySecond());
        }
        return result;
    }

    /** Leaves no connector running and no slot holding WAL back. */
    @Override
    public void close() {
        if (writers != null) {
            writers.close();
        }
        ConnectRest rest = connect.rest();
        for (String connector : List.of(contender.sinkConnector(), contender.sourceConnector())) {
            try {
                rest.deleteConnector(connector);
            } catch (RuntimeException e) {
                PipelineBenchmark.say("  could not delete connector " + connector + ": " + e.getMessage());
            }
        }
        Await.until(
                CONNECTOR_PATIENCE,
                "replication slot " + contender.slot() + " released",
                () -> postgres.query(
                                legacy.database(),
                                "SELECT 1 FROM pg_replication_slots WHERE " + slotIs() + " AND active")
                        .isEmpty());
        postgres.query(
                legacy.database(),
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots " + "WHERE " + slotIs());
    }

    private String slotIs() {
        return "slot_name = '" + contender.slot() + "'";
    }

    /** The highest offered rate it sustained, or 0. */
    int maxSustainedRate() {
        return steps.stream()
                .filter(s -> s.verdict() == Verdict.SUSTAINED)
                .mapToInt(s -> s.load().offeredRate())
                .max()
                .orElse(0);
    }

    /** The offered rates whose changes all reached the target, sustained or not. */
    Set<Integer> caughtUpRates() {
        return steps.stream()
                .filter(StepResult::caughtUp)
                .map(s -> s.load().offeredRate())
                .collect(Collectors.toSet());
    }

    /** The lowest offered rate above the highest sustained one that was not sustained, if any. */
    OptionalInt lowestFailedRate() {
        int max = maxSustainedRate();
        return steps.stream()
                .filter(s -> s.verdict() != Verdict.SUSTAINED && s.load().offeredRate() > max)
                .mapToInt(s -> s.load().offeredRate())
                .min();
    }

    Optional<StepResult> at(int rate) {
        return steps.stream().filter(s -> s.load().offeredRate() == rate).findFirst();
    }

    /** What stopped the climb: the lowest rate above the sustained one that was not sustained. */
    String ending() {
        int max = maxSustainedRate();
        return steps.stream()
                .filter(s -> s.verdict() != Verdict.SUSTAINED && s.load().offeredRate() > max)
                .min(Comparator.comparingInt(s -> s.load().offeredRate()))
                .map(s -> String.format(Locale.ROOT, "at %,d/s: %s", s.load().offeredRate(), why(s)))
                .orElse("sustained the top of the ladder; its limit is higher");
    }

    private static String why(StepResult step) {
        if (step.verdict() == Verdict.GENERATOR_SHORT) {
            return String.format(
                    Locale.ROOT,
                    "the generator only produced %,.0f/s, so the pipeline's limit there is " + "unknown",
                    step.load().achievedRate());
        }
        return step.caughtUp()
                ? String.format(Locale.ROOT, "lagged (p99 %.0f ms)", step.p99Ms())
                : "lagged (target did not catch up)";
    }
}
