package io.rollingmigration.benchmarks.pipeline;

import io.rollingmigration.benchmarks.pipeline.LegacyWriters.StepLoad;
import io.rollingmigration.testsupport.ConnectClusterFixture;
import io.rollingmigration.testsupport.PostgresFixture;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;

/**
 * The whole pipeline under a legacy application writing at fixed rates: {@code benchmarks/run pipeline [--quick]
 * [--status]} (with {@code --status} ours publishes status records for the migration dashboard, and the CPU
 * line shows what they cost).
 *
 * <p>Three contenders, each from legacy PostgreSQL through the stock Debezium PostgreSQL source and Kafka to its own
 * target table: ours with our JSON converter (CachedSchemaJsonConverter on the source and the sink ->
 * TranslateAggregate -> our sink), ours with Kafka's JsonConverter, and the peer as users run it today (Kafka's
 * JsonConverter -> ExtractNewRecordState, ReplaceField, InsertField -> the Debezium JDBC sink, upsert). Beside ours,
 * the physical floor of a sink lane: a task consuming ours' topic with ByteArrayConverter and discarding the records
 * ({@link DiscardingSinkConnector}). A private PostgreSQL holds the legacy and target databases; a KRaft broker and
 * a Connect worker run in this JVM (the run script gives it -Xmx1g) and load every plugin from plugin.path. Each
 * contender has its own legacy database (same table, same starting rows), connectors, slot, topic and target
 * table; they take turns at each rate, never under load at the same time (see {@link RateLadder}).
 *
 * <p>Load: 8 JDBC connections, transactions of 10 changes (40% inserts of new keys, 60% updates that walk once round
 * pre-existing keys, so no key changes twice in a step), on an open-loop schedule. Lag is per change, from the legacy
 * row's {@code written_us} (database clock at write) to the target row's {@code applied_us} (stamped by a trigger on
 * insert or update, same clock), as p50/p99 over every change of a step, read once the target holds them all.
 *
 * <p>Each contender warms up at 2,500/s (unmeasured, until a round keeps p99 under 1 s, at most 6 rounds), then
 * climbs 2.5k, 5k, 7.5k, 10k, 15k, 20k, 30k, 40k changes/s (60 s a step, 10 s with --quick) until p99 reaches 1 s or
 * the target does not catch up within 120 s (30 s with --quick). A contender that cannot sustain 2.5k steps down
 * through 2k and 1k until it sustains one. Then, twice and in turns, each contender runs the rate halfway (to 250/s)
 * between its highest sustained and its lowest failed rate, so that neighbouring rungs do not make a tie. A step
 * counts as sustained only if the generator also committed at least 97% of the offered rate; if it did not, the
 * step is reported as the generator's shortfall, not the pipeline's. A flat-out run of the generator alone closes.
 *
 * <p>Two settings differ from the fixtures' and examples' defaults, for every contender: legacy writers commit with
 * {@code synchronous_commit=on} (as a production database would; the fixture's async commit delays what the
 * walsender may ship), and Debezium's {@code poll.interval.ms} is 100 (its 500 ms default waits that long to fill a
 * batch). In a trial at 1,000-2,500 changes/s they took p99 lag from over 1 s to about 0.2 s. The source's producer
 * batches up to 512 KB, as the examples configure it (with Connect's one request in flight, the default 16 KB let
 * a few envelopes through per round trip to the broker).
 *
 * <p>Each step also reports where its lag formed, split at the broker's append time ({@link KafkaSplit}), and the CPU
 * each part of the machine spent per 1,000 changes from the step's start until the target held them all
 * ({@link CpuLedger}). The headline is the sink side's CPU per 1,000 changes (the sink task's thread, which runs the
 * converter, the transforms and the sink, plus the target database's backends) over the rates all three contenders
 * ran to the end: on two shared cores that is what a machine can measure reliably, where the rate a contender
 * sustains moves with the machine's mood.
 *
 * <p>Progress goes to stderr; last on stdout: {@code RESULT bench=pipeline sink_cpu_ratio=<ours/peer>
 * ours_sink_cpu_ms_per_1k=<n> peer_sink_cpu_ms_per_1k=<n> floor_sink_cpu_ms_per_1k=<n> ours_max_rate=<n>
 * peer_max_rate=<n> ratio=<ours/peer> p99_ms_at_2500=<n>} (ours is ours with our converter; rates are ladder steps,
 * 0 when not even 1k was sustained). This runs with the worker's classpath only (Kafka and the test harness):
 * plugins and their classes come from plugin.path, and every connector is configured through the REST API, as on a
 * production worker.
 */
public final class PipelineBenchmark {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final int REFERENCE_RATE = 2_500;
    private static final List<String> CONNECTORS = List.of(
            "io.debezium.connector.postgresql.PostgresConnector",
            "io.rollingmigration.connect.sink.TargetStoreSinkConnector",
            "io.debezium.connector.jdbc.JdbcSinkConnector",
            DiscardingSinkConnector.class.getName());

    private PipelineBenchmark() {}

    public static void main(String[] args) throws Exception {
        Plan plan = Plan.of(List.of(args).contains("--quick"));
        boolean status = List.of(args).contains("--status");
        say(String.format(
                Locale.ROOT,
                "pipeline benchmark%s: steps of %d s at %s changes/s, %d legacy writers, "
                        + "%d changes per transaction (%.0f%% inserts, the rest updates of distinct keys), heap "
                        + "limit %d MB",
                (plan.quick() ? " (quick)" : "") + (status ? " (ours publishes status records)" : ""),
                plan.step().toSeconds(),
                plan.rates(),
                plan.writers(),
                plan.rowsPerTransaction(),
                plan.insertShare() * 100,
                Runtime.getRuntime().maxMemory() >> 20));
        try {
            run(plan, status);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
        // Stray non-daemon threads of the embedded broker and worker must not keep the JVM alive.
        System.exit(0);
    }

    private static void run(Plan plan, boolean status) throws Exception {
        try (PostgresFixture postgres = PostgresFixture.startOwned()) {
            say("PostgreSQL on port " + postgres.port() + "; starting Kafka (KRaft) and Connect");
            ConnectClusterFixture connect = ConnectClusterFixture.builder()
                    .name("bench-pipeline")
                    .pluginPath(directory("bench.plugins.dir", "packaging/target/plugins"))
                    .pluginPath(directory("bench.debezium-plugins.dir", "packaging/target/peer-plugins"))
                    .pluginPath(directory("bench.jdbc-plugin.dir", "benchmarks/target/peer-plugins"))
                    .pluginPath(FloorPlugin.install(Paths.get("benchmarks/target/floor-plugin")))
                    .start();
            try (Admin admin = connect.cluster().kafka().createAdminClient()) {
                List<String> loaded = connect.rest().connectorPlugins();
                if (!loaded.containsAll(CONNECTORS)) {
                    throw new IllegalStateException(
                            "Connect did not load " + CONNECTORS + " from plugin.path; it " + "has " + loaded);
                }
                TargetLag lag = new TargetLag(postgres, admin);
                String statusBootstrap = status ? connect.bootstrapServers() : null;
                Lane ours = new Lane(
                        Contender.ours(postgres, Contender.CACHED_SCHEMA_JSON, statusBootstrap),
                        plan,
                        postgres,
                        connect,
                        lag);
                Lane oursJson = new Lane(
                        Contender.ours(postgres, Contender.STOCK_JSON, statusBootstrap), plan, postgres, connect, lag);
                Lane peer = new Lane(Contender.peer(postgres), plan, postgres, connect, lag);
                List<Lane> lanes = List.of(ours, oursJson, peer);
                try (ours;
                        oursJson;
                        peer) {
                    for (Lane lane : lanes) {
                        lane.prepare();
                    }
                    for (Lane lane : lanes) {
                        lane.open();
                    }
                    startFloor(connect, ours.contender());
                    new RateLadder(plan).climb(lanes);
                    connect.rest().deleteConnector(CpuLedger.FLOOR_CONNECTOR);
                }
                StepLoad ceiling = generatorAlone(postgres, plan, ours.contender());
                report(ours, oursJson, peer, ceiling);
            } finally {
                connect.close();
            }
        }
    }

    /** What the load generator reaches flat out with no pipeline running: tells its limits from the pipeline's. */
    private static StepLoad generatorAlone(PostgresFixture postgres, Plan plan, Contender contender) throws Exception {
        LegacyAccounts legacy = new LegacyAccounts(postgres, contender.legacyDatabase(), plan.updatableKeys());
        try (LegacyWriters writers = new LegacyWriters(postgres, plan, legacy)) {
            return writers.drive(0, 1_000_000, plan.calibration());
        }
    }

    /** The floor's task reads ours' topic beside ours' own sink, so it counts over exactly ours' steps. */
    private static void startFloor(ConnectClusterFixture connect, Contender ours) {
        Map<String, String> floor = new LinkedHashMap<>();
        floor.put("connector.class", DiscardingSinkConnector.class.getName());
        floor.put("tasks.max", "1");
        floor.put("topics", ours.topic());
        floor.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        floor.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        connect.rest().putConnector(CpuLedger.FLOOR_CONNECTOR, floor);
        connect.rest().awaitRunning(CpuLedger.FLOOR_CONNECTOR, 1, Duration.ofSeconds(120));
        say("floor (ByteArrayConverter -> a sink task that discards): reads " + ours.topic() + " beside ours");
    }

    private static void report(Lane ours, Lane oursJson, Lane peer, StepLoad ceiling) {
        say(String.format(
                Locale.ROOT,
                "load generator alone, flat out, no pipeline running: %,.0f changes/s",
                ceiling.achievedRate()));
        List<Lane> lanes = List.of(ours, oursJson, peer);
        for (Lane lane : lanes) {
            say(String.format(
                    Locale.ROOT,
                    "%s (%s): max sustained %,d changes/s with p99 lag under 1 s; stopped %s",
                    lane.contender().name(),
                    lane.contender().title(),
                    lane.maxSustainedRate(),
                    lane.ending()));
        }
        TreeSet<Integer> common = new TreeSet<>(ours.caughtUpRates());
        for (Lane lane : lanes) {
            common.retainAll(lane.caughtUpRates());
        }
        Map<Lane, CpuLedger.Spent> cpu = new LinkedHashMap<>();
        for (Lane lane : lanes) {
            cpu.put(lane, cpuAt(lane, common));
        }
        CpuLedger.Spent oursCpu = cpu.get(ours);
        CpuLedger.Spent oursJsonCpu = cpu.get(oursJson);
        CpuLedger.Spent peerCpu = cpu.get(peer);
        boolean measured = !common.isEmpty() && cpu.values().stream().allMatch(CpuLedger.Spent::measured);
        if (measured) {
            for (Lane lane : lanes) {
                CpuLedger.Spent spent = cpu.get(lane);
                say(String.format(
                        Locale.ROOT,
                        "%s over the rates all ran to the end %s, CPU ms per 1,000 changes until the target held "
                                + "them all: sink side %.0f (sink task %.0f, target database %.0f); whole machine %.0f%s",
                        lane.contender().name(),
                        common,
                        sinkSide(spent),
                        spent.perThousand("sink task"),
                        spent.perThousand("pg target"),
                        spent.perThousand("machine busy"),
                        lane == ours
                                ? String.format(
                                        Locale.ROOT,
                                        "; the floor beside it %.0f; its status records %.2f (%.2f%% of the whole "
                                                + "machine)",
                                        spent.perThousand("floor sink task"),
                                        spent.perThousand("status records"),
                                        100 * spent.perThousand("status records") / spent.perThousand("machine busy"))
                                : ""));
            }
            say(String.format(
                    Locale.ROOT,
                    "sink side per change: ours / peer %.2f, ours with JsonConverter / peer %.2f, ours / floor %.1f "
                            + "(sink task alone: ours / floor %.1f)",
                    sinkSide(oursCpu) / sinkSide(peerCpu),
                    sinkSide(oursJsonCpu) / sinkSide(peerCpu),
                    sinkSide(oursCpu) / oursCpu.perThousand("floor sink task"),
                    oursCpu.perThousand("sink task") / oursCpu.perThousand("floor sink task")));
        } else {
            say("no rate all three ran to the end, or no /proc here: CPU per change not compared");
        }
        say(heapReport());
        int oursMax = ours.maxSustainedRate();
        int peerMax = peer.maxSustainedRate();
        double p99AtReference = ours.at(REFERENCE_RATE).map(StepResult::p99Ms).orElse(Double.NaN);
        System.out.printf(
                Locale.ROOT,
                "RESULT bench=pipeline sink_cpu_ratio=%s ours_sink_cpu_ms_per_1k=%.0f peer_sink_cpu_ms_per_1k=%.0f "
                        + "floor_sink_cpu_ms_per_1k=%.0f ours_max_rate=%d peer_max_rate=%d ratio=%s "
                        + "p99_ms_at_2500=%.0f%n",
                measured ? String.format(Locale.ROOT, "%.2f", sinkSide(oursCpu) / sinkSide(peerCpu)) : "nan",
                measured ? sinkSide(oursCpu) : Double.NaN,
                measured ? sinkSide(peerCpu) : Double.NaN,
                measured ? oursCpu.perThousand("floor sink task") : Double.NaN,
                oursMax,
                peerMax,
                ratio(oursMax, peerMax),
                p99AtReference);
    }

    /**
     * A lane's CPU over the given rates together, because the first heavy step of the contender that goes first
     * also pays for compiling code they share.
     */
    private static CpuLedger.Spent cpuAt(Lane lane, TreeSet<Integer> rates) {
        return rates.stream()
                .map(rate -> lane.at(rate).orElseThrow().cpu())
                .reduce(CpuLedger.Spent::plus)
                .orElse(new CpuLedger.Spent(Map.of("machine busy", 0L), 0));
    }

    /** The sink side of a lane: its sink task (converter, transforms, sink) and the target database. */
    private static double sinkSide(CpuLedger.Spent spent) {
        return spent.perThousand("sink task") + spent.perThousand("pg target");
    }

    private static String ratio(int ours, int peer) {
        if (peer == 0) {
            return ours == 0 ? "nan" : "inf";
        }
        return String.format(Locale.ROOT, "%.2f", (double) ours / peer);
    }

    private static Path directory(String property, String fallback) {
        return Paths.get(System.getProperty(property, fallback));
    }

    /** Whether the 1 GB heap was a constraint: the old generation's high-water mark and the time spent in GC. */
    private static String heapReport() {
        long oldPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getName().contains("Old")) {
                oldPeak = Math.max(oldPeak, pool.getPeakUsage().getUsed());
            }
        }
        long gcMillis = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcMillis += Math.max(0, collector.getCollectionTime());
        }
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        return String.format(
                Locale.ROOT,
                "heap of this JVM (broker, worker, generator): limit %d MB, old generation "
                        + "peak %d MB, GC %.1f s over %.0f s",
                Runtime.getRuntime().maxMemory() >> 20,
                oldPeak >> 20,
                gcMillis / 1000.0,
                uptime / 1000.0);
    }

    static void say(String line) {
        System.err.println("[pipeline " + LocalTime.now().format(CLOCK) + "] " + line);
        System.err.flush();
    }
}
