package io.rollingmigration.sandbox;

import io.rollingmigration.connect.common.status.StatusConfig;
import io.rollingmigration.readshift.ComparisonRules;
import io.rollingmigration.readshift.KafkaComparisonFeed;
import io.rollingmigration.readshift.ReadComparison;
import io.rollingmigration.readshift.ReadShift;
import io.rollingmigration.testsupport.ConfigExample;
import io.rollingmigration.testsupport.ConnectClusterFixture;
import io.rollingmigration.testsupport.CustomerScenario;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.SkeletonPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The main job: a whole rolling migration on one machine. It starts a private PostgreSQL with {@code legacy} and
 * {@code target} databases, a KRaft broker and a Connect worker in this JVM that loads the packaged plugins, fills
 * the legacy {@code customer} table, registers the connectors through the REST API, keeps the legacy application
 * writing, and prints what the migration is doing until stopped with Ctrl-C.
 */
public final class Sandbox {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final String WRITEBACK_EXAMPLE = "connect-sink/customer-writeback.json";
    private static final String SERVICE_SOURCE_EXAMPLE = "debezium/target-customer-source.json";
    /** The read-shift lane's comparisons (and, with .routing, its routing counts). */
    private static final String READS_TOPIC = "sandbox.reads";

    private final SandboxOptions options;
    private final Consumer<String> out;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch cleanedUp = new CountDownLatch(1);
    private final long startedAt = System.nanoTime();
    private boolean storyTold;

    /** Where the examples keep the write-back's spec, for the worker's directory config provider. */
    private static String specsDirectory() {
        return Paths.get(System.getProperty(ConfigExample.DIRECTORY_PROPERTY), "connect-sink")
                .toAbsolutePath()
                .toString();
    }

    private Sandbox(SandboxOptions options, Consumer<String> out) {
        this.options = options;
        this.out = out;
    }

    /** A sandbox for these command-line options that prints every line, stamped with the time, to {@code out}. */
    public static Sandbox of(String[] args, Consumer<String> out) {
        return new Sandbox(SandboxOptions.parse(args), out);
    }

    public static void main(String[] args) throws Exception {
        SandboxOptions options = SandboxOptions.parse(args);
        if (options.help()) {
            System.out.println(SandboxOptions.usage());
            return;
        }
        Sandbox sandbox = new Sandbox(options, line -> {
            System.out.println(line);
            System.out.flush();
        });
        // Ctrl-C and kill stop the sandbox in order (traffic, Connect and Kafka, then PostgreSQL) before the JVM
        // begins to exit: once it does, Kafka's own exit hooks delete the broker's directories under its feet.
        for (String signal : new String[] {"INT", "TERM"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> sandbox.stop());
        }
        // Should the JVM exit some other way, its shutdown hook still waits for the clean-up.
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            sandbox.stop();
                            awaitQuietly(sandbox.cleanedUp, 90);
                        },
                        "sandbox-stop"));
        sandbox.run();
        // Stray non-daemon threads of the embedded parts must not keep the JVM alive once everything has stopped.
        System.exit(0);
    }

    /** Asks a running sandbox to stop; {@link #run()} returns once everything has stopped. */
    public void stop() {
        stopRequested.countDown();
    }

    /** Whether the last run played the whole story. */
    public boolean storyTold() {
        return storyTold;
    }

    /** Runs the migration until stopped, until the run time is up, or (if asked) until the story is told. */
    public void run() throws Exception {
        boolean mariadb = options.legacy().equals("mariadb");
        say("starting PostgreSQL (" + (mariadb ? "the target database" : "legacy and target databases") + ")");
        PostgresFixture postgres = PostgresFixture.startOwned();
        LegacyDatabase legacy = null;
        ConnectClusterFixture connect = null;
        LegacyTraffic traffic = null;
        Thread trafficThread = null;
        ReadShift lane = null;
        ReadTraffic reads = null;
        Thread readsThread = null;
        try {
            CustomerScenario scenario = new CustomerScenario(postgres);
            if (mariadb) {
                say("starting MariaDB (the legacy database, binlog in ROW format)");
                scenario.createTargetSchema();
                legacy = MariaDbLegacy.start();
            } else {
                legacy = new PostgresLegacy(postgres, scenario);
            }
            legacy.createCustomers(options.customers());
            say("legacy database holds " + legacy.customers() + " customers (" + legacy.describe() + ")");

            say("starting Kafka (KRaft) and a Connect worker with plugin.path " + options.pluginsDir() + ", "
                    + options.peerPluginsDir());
            Path secrets = Files.createTempDirectory("sandbox-secrets");
            connect = withDashboard(
                            SkeletonPipeline.withSecretsProvider(ConnectClusterFixture.builder()
                                    .name("sandbox")
                                    .pluginPath(options.pluginsDir())
                                    .pluginPath(options.peerPluginsDir())),
                            postgres)
                    .start();
            Path urlFile = Paths.get(".sandbox", "connect-url");
            Files.createDirectories(urlFile.getParent());
            Files.writeString(urlFile, connect.rest().base() + "\n");
            say("Connect REST API at " + connect.rest().base() + " (also in " + urlFile + "; try: curl "
                    + connect.rest().base() + "connectors?expand=status)");
            say("migration dashboard at " + connect.rest().base().resolve("/migration/") + " (JSON: "
                    + connect.rest().base().resolve("/migration/status") + ", exit criteria: "
                    + connect.rest().base().resolve("/migration/exit-criteria") + ")");

            SkeletonPipeline pipeline = SkeletonPipeline.pointedAt(postgres, secrets);
            ConfigExample source = legacy.debeziumSource(pipeline, connect.bootstrapServers());
            ConfigExample sink = pipeline.sink(connect.bootstrapServers())
                    .with(Map.of("topics", legacy.changeTopic(), StatusConfig.INTERVAL_MS, "2000"));
            // The reconciler also turns the read-shift lane's feed into figures (plugin metrics).
            connect.createTopic(READS_TOPIC, 1, Map.of());
            connect.createTopic(READS_TOPIC + ".routing", 1, Map.of());
            ConfigExample reconcile = pipeline.reconcile(options.reconcileIntervalMillis(), connect.bootstrapServers())
                    .with(legacy.reconcilerSettings())
                    .with(Map.of(
                            "read.shift.topic",
                            READS_TOPIC,
                            "read.shift.window.ms",
                            "60000",
                            StatusConfig.INTERVAL_MS,
                            "2000"));
            List<ConfigExample> connectors = new ArrayList<>(List.of(source));
            Optional<Map<String, String>> writeback = legacy.writebackSettings(pipeline);
            if (writeback.isPresent()) {
                // The second direction: the service's changes (Debezium on the target's customer table) go back
                // into legacy for the regions the service owns; both lanes record their transactions.
                postgres.execute(PostgresFixture.TARGET, "ALTER TABLE public.customer REPLICA IDENTITY FULL");
                Map<String, String> lanes = Map.of("lane.transactions.table", "public.migration_lane_transactions");
                sink = sink.with(lanes);
                ConfigExample back = pipeline.relocate(ConfigExample.load(WRITEBACK_EXAMPLE))
                        .relocated(Map.of("/etc/migration/specs", specsDirectory()))
                        .with(writeback.get())
                        .with(Map.of(
                                "errors.deadletterqueue.topic.replication.factor",
                                "1",
                                StatusConfig.BOOTSTRAP_SERVERS,
                                connect.bootstrapServers(),
                                StatusConfig.INTERVAL_MS,
                                "2000"));
                connect.createTopic(back.config().get("errors.deadletterqueue.topic.name"), 1, Map.of());
                connectors.add(back);
                connectors.add(pipeline.relocate(ConfigExample.load(SERVICE_SOURCE_EXAMPLE))
                        .with(Map.of("database.port", Integer.toString(postgres.port()))));
            }
            connectors.add(1, sink);
            connectors.add(2, reconcile);
            // Operators create the dead letter queue with the pipeline rather than on the first bad record.
            connect.createTopic(sink.config().get("errors.deadletterqueue.topic.name"), 1, Map.of());
            for (ConfigExample connector : connectors) {
                connect.rest().putConnector(connector.name(), connector.config());
                say("registered connector " + connector.name() + " (" + connector.connectorClass() + ")");
            }
            for (ConfigExample connector : connectors) {
                connect.rest().awaitRunning(connector.name(), 1, Duration.ofSeconds(120));
            }

            traffic = new LegacyTraffic(legacy, options.customers() + 1L, options.changesPerSecond());
            trafficThread = new Thread(traffic, "legacy-traffic");
            trafficThread.setDaemon(true);
            trafficThread.start();
            say("legacy application writing " + options.changesPerSecond() + " changes/s; Ctrl-C stops everything");

            // The facade in front of the customer capability, and its clients; reads start on legacy.
            lane = ReadShift.builder()
                    .plan(() -> postgres.connect(PostgresFixture.TARGET), "public.migration_read_routing")
                    .refresh(Duration.ofSeconds(2))
                    .comparison(ReadComparison.identity(
                            "customer",
                            List.of("id"),
                            CustomerScenario.COLUMNS.subList(1, CustomerScenario.COLUMNS.size()),
                            ComparisonRules.exact().withChangeColumn("updated_at")))
                    .feed(KafkaComparisonFeed.to(Map.of("bootstrap.servers", connect.bootstrapServers()), READS_TOPIC))
                    .countsInterval(Duration.ofSeconds(2))
                    .build();
            ThreadConnections legacyConnections = new ThreadConnections(legacy::connect);
            ThreadConnections serviceConnections =
                    new ThreadConnections(() -> postgres.connect(PostgresFixture.TARGET));
            reads = new ReadTraffic(
                    new CustomerFacade(lane, legacyConnections::get, legacy.table(), serviceConnections::get),
                    legacy,
                    40);
            readsThread = new Thread(reads, "facade-clients");
            readsThread.setDaemon(true);
            readsThread.start();
            say("a facade serves customer reads through the read-shift lane (plan in migration_read_routing, "
                    + "comparisons on topic " + READS_TOPIC + "); every region reads from legacy until the plan says "
                    + "otherwise");

            DashboardStatus dashboard = new DashboardStatus(connect.rest().base(), "customer");
            ReadShift planned = lane;
            Story story = new Story(
                    postgres, legacy, traffic, writeback.isPresent(), unit -> warnings(planned, unit), this::say);
            while (true) {
                MigrationStatus status = report(traffic, dashboard);
                if (status != null) {
                    story.advance(status);
                }
                storyTold = story.told();
                if (storyTold && options.untilStoryTold()) {
                    say("the story is told; stopping as asked");
                    break;
                }
                if (stopRequested.await(options.reportEverySeconds(), TimeUnit.SECONDS)) {
                    break;
                }
                if (options.runSeconds() > 0 && elapsedSeconds() >= options.runSeconds()) {
                    say("ran for " + options.runSeconds() + " s as asked");
                    break;
                }
            }
        } finally {
            say("stopping");
            if (reads != null) {
                reads.stop();
            }
            if (readsThread != null) {
                readsThread.join(5000);
            }
            if (lane != null) {
                lane.close();
            }
            if (traffic != null) {
                traffic.stop();
            }
            if (trafficThread != null) {
                trafficThread.join(5000);
            }
            if (connect != null) {
                connect.close();
            }
            if (legacy != null) {
                legacy.close();
            }
            postgres.close();
            say("stopped");
            cleanedUp.countDown();
        }
    }

    /**
     * The worker serves the migration dashboard, as an operator's would: the extension from plugin.path, the
     * control tables in the target database.
     */
    private static ConnectClusterFixture.Builder withDashboard(
            ConnectClusterFixture.Builder builder, PostgresFixture postgres) {
        String store = "migration.dashboard.store.target.";
        builder.workerProperty("rest.extension.classes", "io.rollingmigration.connect.dashboard.MigrationDashboard")
                .workerProperty("migration.dashboard.stores", "target")
                .workerProperty(store + "units", "customer")
                .workerProperty(store + "connection.url", postgres.jdbcUrl(PostgresFixture.TARGET))
                .workerProperty(store + "connection.user", postgres.user())
                .workerProperty(store + "ownership.table", "public.migration_ownership")
                .workerProperty(store + "read.routing.table", "public.migration_read_routing")
                .workerProperty("migration.dashboard.history.sample.ms", "5000");
        if (postgres.password() != null) {
            builder.workerProperty(store + "connection.password", postgres.password());
        }
        return builder;
    }

    private static List<String> warnings(ReadShift lane, String unit) {
        try {
            return lane.checkPlan(unit).stream()
                    .map(w -> w.partition() + ": " + w.reason())
                    .toList();
        } catch (java.sql.SQLException e) {
            return List.of("the plan could not be checked: " + e.getMessage());
        }
    }

    private static void awaitQuietly(CountDownLatch latch, int seconds) {
        try {
            latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long elapsedSeconds() {
        return (System.nanoTime() - startedAt) / 1_000_000_000L;
    }

    /** One status line from the dashboard's figures; {@code null} (and a line saying why) if it did not answer. */
    private MigrationStatus report(LegacyTraffic traffic, DashboardStatus dashboard) throws InterruptedException {
        MigrationStatus status;
        try {
            status = dashboard.read();
        } catch (IOException e) {
            say("the migration dashboard did not answer (" + e.getMessage() + "); trying again");
            return null;
        }
        say(String.format(
                "legacy changes +%d ~%d -%d | %s",
                traffic.inserts(), traffic.updates(), traffic.deletes(), status.line()));
        return status;
    }

    private void say(String message) {
        out.accept("[sandbox " + LocalTime.now().format(CLOCK) + "] " + message);
    }

    /** Command-line options. */
    record SandboxOptions(
            boolean help,
            int customers,
            int changesPerSecond,
            long reconcileIntervalMillis,
            int reportEverySeconds,
            int runSeconds,
            boolean untilStoryTold,
            String legacy,
            Path pluginsDir,
            Path peerPluginsDir) {

        static SandboxOptions parse(String[] args) {
            boolean help = false;
            int customers = 1000;
            int rate = 20;
            long interval = 10_000;
            int every = 5;
            int runFor = 0;
            boolean untilTold = false;
            String legacy = "postgres";
            Path plugins = Paths.get(System.getProperty("migration.plugins.dir", "packaging/target/plugins"));
            Path peers = Paths.get(System.getProperty("migration.peer-plugins.dir", "packaging/target/peer-plugins"));
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "-h":
                    case "--help":
                        help = true;
                        break;
                    case "--customers":
                        customers = Integer.parseInt(args[++i]);
                        break;
                    case "--rate":
                        rate = Integer.parseInt(args[++i]);
                        break;
                    case "--reconcile-interval-ms":
                        interval = Long.parseLong(args[++i]);
                        break;
                    case "--report-every":
                        every = Integer.parseInt(args[++i]);
                        break;
                    case "--run-for":
                        runFor = Integer.parseInt(args[++i]);
                        break;
                    case "--until-story-told":
                        untilTold = true;
                        break;
                    case "--legacy":
                        legacy = args[++i].toLowerCase(Locale.ROOT);
                        if (!legacy.equals("postgres") && !legacy.equals("mariadb")) {
                            throw new IllegalArgumentException(
                                    "--legacy takes postgres or mariadb, not " + legacy + "\n" + usage());
                        }
                        break;
                    default:
                        throw new IllegalArgumentException("Unknown option " + arg + "\n" + usage());
                }
            }
            return new SandboxOptions(
                    help, customers, rate, interval, every, runFor, untilTold, legacy, plugins, peers);
        }

        static String usage() {
            return String.join(
                    "\n",
                    "usage: ./sandbox [options]",
                    "  --customers N              legacy customers before the migration starts (default 1000)",
                    "  --rate N                   legacy changes per second while it runs (default 20)",
                    "  --reconcile-interval-ms N  time between reconciliation sweeps (default 10000)",
                    "  --report-every N           seconds between status lines (default 5)",
                    "  --run-for N                stop after N seconds (default: run until Ctrl-C)",
                    "  --until-story-told         stop once the whole story has been played",
                    "  --legacy postgres|mariadb  the legacy database: PostgreSQL (default) or MariaDB, streamed by",
                    "                             Debezium's MariaDB connector; the target is PostgreSQL either way");
        }
    }
}
