package io.rollingmigration.readshift;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing plan as a facade sees it: each partition's plan read from the control table once, kept in memory, and
 * read again in the background every refresh interval, so that a change of one row reaches every facade within the
 * interval and no request waits on the table after a partition's first. A row that makes no sense (an unknown
 * mode, a percentage outside 0 to 100) is refused with the reason, and the partition's last good plan stays in
 * force; so does it while the table cannot be read. A partition never planned reads from legacy.
 */
public final class RoutingPlan implements AutoCloseable {

    /** Opens a connection to the store of the control table; the plan closes what it opens. */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;
    }

    /** A row refused, or the table unreadable, for one unit and partition: what the plan's check reports. */
    public record Problem(String unit, String partition, String reason, long atMillis) {}

    private record Partition(String unit, String value) {}

    private static final Logger LOG = LoggerFactory.getLogger(RoutingPlan.class);

    private final RoutingPlanTable table;
    private final ConnectionSource connections;
    private final LoadingCache<Partition, ReadPlan> plans;
    private final Map<Partition, Problem> problems = new ConcurrentHashMap<>();
    private final ScheduledExecutorService refresher;

    public RoutingPlan(RoutingPlanTable table, ConnectionSource connections, Duration refresh) {
        this.table = table;
        this.connections = connections;
        this.refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "read-shift-plan-refresh");
            thread.setDaemon(true);
            return thread;
        });
        this.plans = Caffeine.newBuilder()
                .maximumSize(100_000)
                .expireAfterAccess(Duration.ofHours(1))
                .executor(refresher)
                .build(partition -> read(partition, ReadPlan.LEGACY));
        long millis = Math.max(1, refresh.toMillis());
        refresher.scheduleWithFixedDelay(this::refreshNow, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** The plan in force for a partition of a unit ({@code null} partition: the unit's {@code *} row). */
    public ReadPlan planOf(String unit, String partitionValue) {
        return plans.get(new Partition(
                Objects.requireNonNull(unit, "unit"),
                partitionValue == null ? RoutingPlanTable.ANY_PARTITION : partitionValue));
    }

    /** The rows refused and the reads that failed, latest per partition, until the partition reads cleanly again. */
    public List<Problem> problems() {
        return List.copyOf(problems.values());
    }

    /** Reads every cached partition's plan now, on the calling thread: for an operator tool and for tests. */
    public void refreshNow() {
        Map<String, List<Partition>> byUnit = new HashMap<>();
        for (Partition partition : List.copyOf(plans.asMap().keySet())) {
            byUnit.computeIfAbsent(partition.unit(), u -> new ArrayList<>()).add(partition);
        }
        // One query per unit, however many of its partitions are cached.
        for (Map.Entry<String, List<Partition>> unit : byUnit.entrySet()) {
            List<RoutingPlanTable.Row> rows;
            try (Connection connection = connections.open()) {
                rows = table.rowsOf(connection, unit.getKey());
            } catch (SQLException | RuntimeException e) {
                rows = null;
                for (Partition partition : unit.getValue()) {
                    ReadPlan lastGood = plans.getIfPresent(partition);
                    problem(partition, unreadable(e, lastGood));
                }
                continue;
            }
            for (Partition partition : unit.getValue()) {
                List<RoutingPlanTable.Row> own = RoutingPlanTable.forPartition(rows, partition.value());
                ReadPlan lastGood = plans.getIfPresent(partition);
                plans.put(partition, planOf(partition, own, lastGood == null ? ReadPlan.LEGACY : lastGood));
            }
        }
    }

    private String unreadable(Exception e, ReadPlan lastGood) {
        return "the routing plan table " + table.table() + " cannot be read (" + e.getMessage() + "); keeping "
                + lastGood;
    }

    private ReadPlan read(Partition partition, ReadPlan lastGood) {
        List<RoutingPlanTable.Row> rows;
        try (Connection connection = connections.open()) {
            rows = table.rows(connection, partition.unit(), partition.value());
        } catch (SQLException | RuntimeException e) {
            problem(partition, unreadable(e, lastGood));
            return lastGood;
        }
        return planOf(partition, rows, lastGood);
    }

    /** The plan of the partition's rows (its own first, then the unit's {@code *} row); the last good if refused. */
    private ReadPlan planOf(Partition partition, List<RoutingPlanTable.Row> rows, ReadPlan lastGood) {
        for (RoutingPlanTable.Row row : rows) {
            try {
                ReadPlan plan = ReadPlan.of(row.mode(), row.canaryPercent());
                if (problems.remove(partition) != null) {
                    LOG.info(
                            "Read routing of {} partition {}: {} is in force",
                            partition.unit(),
                            partition.value(),
                            plan);
                }
                return plan;
            } catch (InvalidPlan refused) {
                problem(
                        partition,
                        "the row of partition '" + row.partition() + "' is refused: " + refused.getMessage()
                                + "; keeping " + lastGood);
                return lastGood;
            }
        }
        problems.remove(partition);
        return ReadPlan.LEGACY;
    }

    private void problem(Partition partition, String reason) {
        Problem before = problems.put(
                partition, new Problem(partition.unit(), partition.value(), reason, System.currentTimeMillis()));
        if (before == null || !before.reason().equals(reason)) {
            LOG.warn("Read routing of {} partition {}: {}", partition.unit(), partition.value(), reason);
        }
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
