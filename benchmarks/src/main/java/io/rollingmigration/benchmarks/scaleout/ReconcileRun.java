package io.rollingmigration.benchmarks.scaleout;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollingmigration.testsupport.ConnectClusterFixture;
import io.rollingmigration.testsupport.TopicReader.TopicRecord;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** One full sweep of the example's policy reconciler with {@code tasks.max} tasks, read from its run summaries. */
final class ReconcileRun {

    private static final Duration PATIENCE = Duration.ofMinutes(20);

    private final ConnectClusterFixture connect;
    private final InsurerConfigs configs;
    private final String targetDatabase;
    private final int tasks;
    private final String name;

    ReconcileRun(
            ConnectClusterFixture connect, InsurerConfigs configs, String targetDatabase, int tasks, String label) {
        this.connect = connect;
        this.configs = configs;
        this.targetDatabase = targetDatabase;
        this.tasks = tasks;
        this.name = "scaleout-policy-reconcile-" + label;
    }

    Result sweep() {
        String summaries = name + ".summary";
        connect.createTopic(name + ".drift", 1, Map.of("cleanup.policy", "compact"));
        connect.createTopic(summaries, 1, Map.of());
        connect.rest().putConnector(name, configs.reconcile(targetDatabase, tasks, name + ".drift", summaries));
        connect.rest().awaitRunning(name, tasks, Duration.ofMinutes(2));
        // One summary per key range, and one range per task.
        List<JsonNode> runs = connect
                .topics()
                .await(
                        summaries,
                        PATIENCE,
                        tasks + " completed runs",
                        records -> completed(records).size() >= tasks)
                .stream()
                .map(TopicRecord::value)
                .filter(r -> "COMPLETED".equals(r.path("status").asText()))
                .collect(Collectors.toList());
        connect.rest().deleteConnector(name);
        long compared =
                runs.stream().mapToLong(r -> r.path("compared").asLong()).sum();
        long drift = runs.stream()
                .mapToLong(r -> r.path("missing_in_target").asLong()
                        + r.path("unexpected_in_target").asLong()
                        + r.path("field_mismatch").asLong()
                        + r.path("rule_violation").asLong())
                .sum();
        long start = runs.stream()
                .mapToLong(r -> r.path("started_at").asLong())
                .min()
                .orElse(0);
        long end = runs.stream()
                .mapToLong(r -> r.path("finished_at").asLong())
                .max()
                .orElse(0);
        return new Result(tasks, runs.size(), compared, drift, (end - start) / 1000.0);
    }

    private static List<TopicRecord> completed(List<TopicRecord> records) {
        return records.stream()
                .filter(r -> !r.isTombstone()
                        && "COMPLETED".equals(r.value().path("status").asText()))
                .collect(Collectors.toList());
    }

    /** @param seconds from the first range's start to the last range's end */
    record Result(int tasks, int ranges, long compared, long drift, double seconds) {

        double rowsPerSecond() {
            return seconds <= 0 ? 0 : compared / seconds;
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "reconciler tasks.max=%d: %d ranges, %,d rows compared in %.1f s = %,.0f " + "rows/s, %d drift",
                    tasks,
                    ranges,
                    compared,
                    seconds,
                    rowsPerSecond(),
                    drift);
        }
    }
}
