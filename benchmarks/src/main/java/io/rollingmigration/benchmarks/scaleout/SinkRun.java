package io.rollingmigration.benchmarks.scaleout;

import io.rollingmigration.testsupport.Await;
import io.rollingmigration.testsupport.ConnectClusterFixture;
import io.rollingmigration.testsupport.PluginMetrics;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.TopicOffsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.admin.Admin;

/** One drain of the whole backlog by the example's policy sink with {@code tasks.max} tasks, into its own database. */
final class SinkRun {

    private static final Duration PATIENCE = Duration.ofMinutes(20);

    private final PostgresFixture postgres;
    private final ConnectClusterFixture connect;
    private final InsurerConfigs configs;
    private final PolicyBacklog backlog;
    private final int tasks;
    private final String database;
    private final String name;

    SinkRun(
            PostgresFixture postgres,
            ConnectClusterFixture connect,
            InsurerConfigs configs,
            PolicyBacklog backlog,
            int tasks,
            String label) {
        this.postgres = postgres;
        this.connect = connect;
        this.configs = configs;
        this.backlog = backlog;
        this.tasks = tasks;
        this.database = "scaleout_" + label;
        this.name = "scaleout-policy-sink-" + label;
    }

    Result drain() throws Exception {
        postgres.createDatabase(database);
        for (String statement :
                configs.policyServiceDdl().replaceAll("--[^\n]*", "").split(";")) {
            if (!statement.isBlank()) {
                postgres.execute(database, statement);
            }
        }
        try (Admin admin = connect.cluster().kafka().createAdminClient()) {
            long events = TopicOffsets.end(admin, PolicyBacklog.TOPIC);
            long started = System.nanoTime();
            // A new connector name is a new consumer group: it reads the topic from the beginning.
            connect.rest().putConnector(name, configs.sink(PolicyBacklog.TOPIC, database, tasks));
            connect.rest().awaitRunning(name, tasks, Duration.ofMinutes(2));
            Await.until(PATIENCE, name + " to commit all " + events + " change events", () -> {
                try {
                    return TopicOffsets.committedBySink(admin, name) >= events;
                } catch (Exception e) {
                    return false;
                }
            });
            double wallSeconds = (System.nanoTime() - started) / 1e9;
            long staleSkips = PluginMetrics.sum("changes-skipped-stale-total", PluginMetrics.ofConnector(name));
            long workers = connect.rest().status(name).path("tasks").findValuesAsText("worker_id").stream()
                    .distinct()
                    .count();
            connect.rest().deleteConnector(name);

            List<Object> span = postgres.query(
                            database,
                            "SELECT extract(epoch FROM max(lineage_applied_at) - "
                                    + "min(lineage_applied_at)), count(*) FROM public.policy WHERE lineage_deleted_at IS NULL")
                    .get(0);
            double applySeconds = ((Number) span.get(0)).doubleValue();
            long rows = ((Number) span.get(1)).longValue();
            long lastWrites = ((Number) postgres.query(database, backlog.lastWriteCheck())
                            .get(0)
                            .get(0))
                    .longValue();
            boolean ordered = staleSkips == 0 && rows == backlog.policies() && lastWrites == backlog.policies();
            return new Result(
                    tasks, workers, database, events, applySeconds, wallSeconds, rows, lastWrites, staleSkips, ordered);
        }
    }

    /**
     * @param applySeconds from the first to the last row the sink applied (lineage_applied_at), task start-up excluded
     * @param wallSeconds  from creating the connector to its last offset commit
     */
    record Result(
            int tasks,
            long workers,
            String database,
            long events,
            double applySeconds,
            double wallSeconds,
            long rows,
            long lastWrites,
            long staleSkips,
            boolean ordered) {

        double recordsPerSecond() {
            return applySeconds <= 0 ? 0 : events / applySeconds;
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "sink tasks.max=%d on %d workers: %,d change events applied in %.1f s "
                            + "= %,.0f records/s (%.1f s from creating the connector to its last commit); %,d rows, "
                            + "%,d holding their last legacy write, %d stale skips: per-key order %s",
                    tasks,
                    workers,
                    events,
                    applySeconds,
                    recordsPerSecond(),
                    wallSeconds,
                    rows,
                    lastWrites,
                    staleSkips,
                    ordered ? "kept" : "BROKEN");
        }
    }
}
