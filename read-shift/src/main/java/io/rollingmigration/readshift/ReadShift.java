package io.rollingmigration.readshift;

import io.rollingmigration.connect.common.dialect.Dialects;
import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.TableId;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The read-shift lane as a facade embeds it: {@link #route} asks the routing plan where a read goes, {@link #read}
 * runs it (both reads, compared through the migration's spec, where the plan shadows or canaries the partition),
 * and the comparisons and routing counts go to the feed.
 *
 * <pre>{@code
 * ReadShift reads = ReadShift.builder()
 *         .plan(dataSource::getConnection, "public.migration_read_routing")
 *         .comparison(ReadComparison.of(SpecCompiler.compile(spec, "policy"), rules))
 *         .feed(KafkaComparisonFeed.to(Map.of("bootstrap.servers", brokers), "migration.reads"))
 *         .build();
 * RouteDecision route = reads.route("policy", region, policyNo, "claims-portal");
 * PolicyView view = reads.read(route, () -> legacyPolicy(policyNo), () -> servicePolicy(policyNo));
 * }</pre>
 */
public final class ReadShift implements AutoCloseable {

    private final RoutingPlan plan;
    private final RoutingCounts counts = new RoutingCounts();
    private final ReadRouter router;
    private final ShadowReads reads;
    private final ComparisonFeed feed;
    private final ScheduledExecutorService publisher;
    private final PlanCheck check;
    private final RoutingPlan.ConnectionSource connections;

    private ReadShift(Builder builder, RoutingPlan plan, PlanCheck check) {
        this.plan = plan;
        this.check = check;
        this.connections = builder.connections;
        this.router = new ReadRouter(plan, counts);
        this.feed = builder.feed;
        this.reads = new ShadowReads(
                builder.comparisons,
                builder.feed,
                builder.secondaryTimeout,
                builder.recheckDelay,
                builder.secondaryThreads,
                builder.comparisonThreads);
        this.publisher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "read-shift-counts");
            thread.setDaemon(true);
            return thread;
        });
        long every = builder.countsInterval.toMillis();
        publisher.scheduleWithFixedDelay(this::publishCounts, every, every, TimeUnit.MILLISECONDS);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Where a read of {@code key} in this partition of {@code unit} goes, for {@code consumer}. */
    public RouteDecision route(String unit, String partitionValue, String key, String consumer) {
        return router.route(unit, partitionValue, key, consumer);
    }

    /** Runs the reads the route asks for and returns the answering store's response. */
    public <R> R read(RouteDecision route, Callable<LegacyAnswer<R>> legacy, Callable<ServiceAnswer<R>> service)
            throws Exception {
        return reads.read(route, legacy, service);
    }

    /** The plan in force, its refused rows among them. */
    public RoutingPlan plan() {
        return plan;
    }

    /**
     * The plan's check of a unit: rows refused, and plans that are allowed but risky (service reads while legacy
     * owns the writes, or while the unit has open drift of severity HIGH or worse).
     */
    public List<PlanCheck.Warning> checkPlan(String unit) throws SQLException {
        try (Connection connection = connections.open()) {
            return check.check(connection, unit);
        }
    }

    public RoutingCounts counts() {
        return counts;
    }

    /** Comparisons skipped because the lane was full. */
    public long skippedComparisons() {
        return reads.skipped();
    }

    /** Waits for the comparisons under way and publishes the counts: before shutdown, or in a test. */
    public boolean drain(Duration patience) throws InterruptedException {
        boolean drained = reads.drain(patience);
        publishCounts();
        return drained;
    }

    private void publishCounts() {
        feed.routing(counts.snapshot(), System.currentTimeMillis());
    }

    @Override
    public void close() {
        publisher.shutdownNow();
        reads.close();
        publishCounts();
        plan.close();
        feed.close();
    }

    /** The lane's settings; every one but the plan has a default. */
    public static final class Builder {
        private RoutingPlan.ConnectionSource connections;
        private String table = RoutingPlanTable.DEFAULT_NAME;
        private Duration refresh = Duration.ofSeconds(5);
        private final Map<String, ReadComparison> comparisons = new LinkedHashMap<>();
        private ComparisonFeed feed = ComparisonFeed.none();
        private Duration secondaryTimeout = Duration.ofMillis(500);
        private Duration recheckDelay = Duration.ofSeconds(5);
        private int secondaryThreads = 16;
        private int comparisonThreads = 1;
        private Duration countsInterval = Duration.ofSeconds(10);
        private String ownershipTable = "migration_ownership";
        private OpenDrift openDrift = OpenDrift.unknown();

        /** The store of the routing plan table (the ownership table's), and the table's name. */
        public Builder plan(RoutingPlan.ConnectionSource connections, String table) {
            this.connections = Objects.requireNonNull(connections, "connections");
            this.table = Objects.requireNonNull(table, "table");
            return this;
        }

        /** How often the plan is read again: a changed row is in force within this (default 5 s). */
        public Builder refresh(Duration refresh) {
            this.refresh = positive(refresh, "refresh");
            return this;
        }

        /** How one unit's reads are compared; a unit shadowed without one records its reads as skipped. */
        public Builder comparison(ReadComparison comparison) {
            comparisons.put(comparison.aggregate(), comparison);
            return this;
        }

        /** The write ownership table in the plan's store, for the plan's check (default migration_ownership). */
        public Builder ownershipTable(String table) {
            this.ownershipTable = Objects.requireNonNull(table, "table");
            return this;
        }

        /** The reconciler's open drift, for the plan's check (e.g. a {@link DriftTopicView}); default unknown. */
        public Builder openDrift(OpenDrift drift) {
            this.openDrift = Objects.requireNonNull(drift, "drift");
            return this;
        }

        public Builder feed(ComparisonFeed feed) {
            this.feed = Objects.requireNonNull(feed, "feed");
            return this;
        }

        /** How long the read that does not answer may take before it is abandoned (default 500 ms). */
        public Builder secondaryTimeout(Duration timeout) {
            this.secondaryTimeout = positive(timeout, "secondary timeout");
            return this;
        }

        /**
         * How long after a difference both stores are read again, off the request path, before it counts as a
         * mismatch (default 5 s, the reconciler's way with changes in flight; zero: never read again).
         */
        public Builder recheckDelay(Duration delay) {
            if (delay == null || delay.isNegative()) {
                throw new IllegalArgumentException("the recheck delay is a duration of 0 or more, not " + delay);
            }
            this.recheckDelay = delay;
            return this;
        }

        /** Threads for the reads that do not answer (default 16): more in flight than that are skipped. */
        public Builder secondaryThreads(int threads) {
            this.secondaryThreads = atLeastOne(threads, "secondary threads");
            return this;
        }

        /** Threads that translate and compare (default 1). */
        public Builder comparisonThreads(int threads) {
            this.comparisonThreads = atLeastOne(threads, "comparison threads");
            return this;
        }

        /** How often the routing counts are published (default 10 s). */
        public Builder countsInterval(Duration interval) {
            this.countsInterval = positive(interval, "counts interval");
            return this;
        }

        /**
         * Starts the lane: the plan table is created if missing.
         *
         * @throws SQLException when the plan's store cannot be reached or is not a supported database
         */
        public ReadShift build() throws SQLException {
            if (connections == null) {
                throw new IllegalStateException("the routing plan's store is required: call plan(...)");
            }
            RoutingPlanTable planTable;
            SqlDialect dialect;
            try (Connection connection = connections.open()) {
                String url = connection.getMetaData().getURL();
                dialect = Dialects.forUrl(url)
                        .orElseThrow(() -> new SQLException(
                                "The routing plan's store " + url + " is not one of " + Dialects.supportedPrefixes()));
                planTable = new RoutingPlanTable(dialect, TableId.parse(table));
                planTable.ensure(connection);
            }
            return new ReadShift(
                    this,
                    new RoutingPlan(planTable, connections, refresh),
                    new PlanCheck(dialect, planTable, TableId.parse(ownershipTable), openDrift));
        }

        private static Duration positive(Duration duration, String what) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("the " + what + " is a positive duration, not " + duration);
            }
            return duration;
        }

        private static int atLeastOne(int value, String what) {
            if (value < 1) {
                throw new IllegalArgumentException("at least one of the " + what + ", not " + value);
            }
            return value;
        }
    }
}
