package io.rollingmigration.connect.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollingmigration.connect.common.ownership.OwnershipMoves;
import io.rollingmigration.readshift.RoutingPlanTable;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.connect.health.ConnectClusterState;
import org.apache.kafka.connect.health.ConnectorHealth;
import org.apache.kafka.connect.health.TaskState;

/**
 * The whole migration as {@code GET /migration/status} shows it, per migration unit: the seed's signals put
 * together from the status topic (lag, backfill, drift and its aging, duplicate and out-of-order rates, dead
 * letters, reconciliation, read routing figures) and from the unit's store (ownership, its moves, the read plan).
 * A section without a source says so in {@code no_data}, never with a made-up zero.
 */
final class MigrationState {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final int SCHEMA_VERSION = 1;

    private final DashboardConfig config;
    private final StatusReports board;
    private final Map<String, ControlStore> stores;
    private final ConnectClusterState cluster;

    MigrationState(
            DashboardConfig config,
            StatusReports board,
            Map<String, ControlStore> stores,
            ConnectClusterState cluster) {
        this.config = config;
        this.board = board;
        this.stores = stores;
        this.cluster = cluster;
    }

    /** The store of a unit, or {@code null}. */
    ControlStore storeOf(String unit) {
        DashboardConfig.Store store = config.storeOf(unit);
        return store == null ? null : stores.get(store.name());
    }

    /** Every unit a task reports on or a store names, with its reports. */
    Map<String, UnitView> units(long now) {
        Set<String> connectors = connectors();
        Map<String, List<UnitView.Source>> byUnit = new TreeMap<>();
        config.configuredUnits().forEach(unit -> byUnit.put(unit, new ArrayList<>()));
        for (StatusBoard.Report report : board.reports()) {
            if (connectors != null && !connectors.contains(report.connector())) {
                continue; // a deleted connector's last words
            }
            long age = Math.max(0, now - report.publishedAt());
            boolean stale = report.stopped() || age > config.staleAfterIntervals() * report.interval();
            byUnit.computeIfAbsent(report.unit(), u -> new ArrayList<>()).add(new UnitView.Source(report, age, stale));
        }
        Map<String, UnitView> views = new TreeMap<>();
        byUnit.forEach((unit, sources) -> views.put(unit, new UnitView(unit, sources)));
        return views;
    }

    UnitView unit(String unit, long now) {
        return units(now).getOrDefault(unit, new UnitView(unit, List.of()));
    }

    private Set<String> connectors() {
        try {
            Collection<String> names = cluster.connectors();
            return new HashSet<>(names);
        } catch (RuntimeException e) {
            return null; // the worker is not ready to answer: show every report
        }
    }

    ObjectNode status(long now) {
        ObjectNode status = JSON.createObjectNode();
        status.put("schema_version", SCHEMA_VERSION);
        status.put("generated_at_ms", now);
        status.put("status_topic", config.statusTopic());
        status.put("status_topic_read", board.caughtUp());
        status.put("read_only", config.readOnly());
        ObjectNode units = status.putObject("units");
        Map<String, Map<Integer, String>> workers = workers();
        units(now).forEach((unit, view) -> units.set(unit, unit(view, workers, now)));
        return status;
    }

    private Map<String, Map<Integer, String>> workers() {
        Map<String, Map<Integer, String>> workers = new TreeMap<>();
        try {
            for (String connector : cluster.connectors()) {
                ConnectorHealth health = cluster.connectorHealth(connector);
                Map<Integer, String> tasks = new TreeMap<>();
                for (Map.Entry<Integer, TaskState> task : health.tasksState().entrySet()) {
                    tasks.put(task.getKey(), task.getValue().workerId());
                }
                workers.put(connector, tasks);
            }
        } catch (RuntimeException e) {
            // Placement is a courtesy; the figures stand without it.
        }
        return workers;
    }

    private ObjectNode unit(UnitView view, Map<String, Map<Integer, String>> workers, long now) {
        ObjectNode node = JSON.createObjectNode();
        node.set("replication_lag_ms", lag(view, "SINK", "no forward-lane sink reports on this unit"));
        if (view.has("WRITEBACK")) {
            node.set("write_back_lag_ms", lag(view, "WRITEBACK", ""));
        }
        node.set("backfill", backfill(view, now));
        node.set("drift", drift(view));
        node.set("drift_aging", aging(view, now));
        node.set("event_order", eventOrder(view));
        node.set("translation", translation(view));
        node.set("dead_letter_queue", deadLetters(view));
        node.set("reconciliation", reconciliation(view, now));
        ControlStore store = storeOf(view.unit());
        node.set("ownership", ownership(view.unit(), store));
        node.set("read_routing", readRouting(view, store));
        ObjectNode sources = view.sources();
        for (JsonNode task : sources.path("tasks")) {
            String worker = workers.getOrDefault(task.path("connector").asText(), Map.of())
                    .get(task.path("task").asInt());
            if (worker != null) {
                ((ObjectNode) task).put("worker_id", worker);
            }
        }
        node.set("sources", sources.path("tasks"));
        return node;
    }

    private static ObjectNode noData(String why) {
        ObjectNode node = JSON.createObjectNode();
        node.put("no_data", why);
        return node;
    }

    private static ObjectNode lag(UnitView view, String kind, String none) {
        if (!view.has(kind)) {
            return noData(none);
        }
        UnitView.Lag lag = view.lag(kind);
        ObjectNode node = JSON.createObjectNode();
        node.put("p50", lag.p50());
        node.put("p99", lag.p99());
        node.put("max", lag.max());
        node.put("changes_in_interval", lag.changes());
        node.put("stale", lag.stale());
        node.put("as_of_ms", lag.newestPublishedAt());
        return node;
    }

    private static ObjectNode backfill(UnitView view, long now) {
        UnitView.Verification full = view.lastFullReconciliation();
        if (!full.complete()) {
            return noData("the rows expected are counted by a full reconciliation, and none has finished in every "
                    + "key range of this unit yet");
        }
        ObjectNode node = JSON.createObjectNode();
        node.put("rows_expected", full.legacyRows());
        node.put("rows_landed", full.targetRows());
        node.put(
                "landed_pct",
                full.legacyRows() == 0 ? 100.0 : Math.min(100.0, 100.0 * full.targetRows() / full.legacyRows()));
        node.put("as_of_ms", full.oldestCompletedAt());
        if (view.has("SINK")) {
            double rate = view.rate("SINK", "applied");
            node.put("applied_per_s", rate);
            long left = full.legacyRows() - full.targetRows();
            if (left <= 0) {
                node.put("eta_s", 0);
            } else if (rate > 0) {
                node.put("eta_s", Math.round(left / rate));
            } else {
                node.putNull("eta_s");
            }
        }
        return node;
    }

    private static ObjectNode drift(UnitView view) {
        if (!view.has("RECONCILER")) {
            return noData("no reconciler reports on this unit");
        }
        ObjectNode node = JSON.createObjectNode();
        Map<String, Long> bySeverity = view.openDrift("by_severity");
        node.put("open", bySeverity.values().stream().mapToLong(Long::longValue).sum());
        ObjectNode severities = node.putObject("by_severity");
        bySeverity.forEach(severities::put);
        ObjectNode kinds = node.putObject("by_kind");
        view.openDrift("by_kind").forEach(kinds::put);
        return node;
    }

    private static ObjectNode aging(UnitView view, long now) {
        if (!view.has("RECONCILER")) {
            return noData("no reconciler reports on this unit");
        }
        ObjectNode node = JSON.createObjectNode();
        Long oldest = view.oldestOpenDrift(severity -> true);
        if (oldest == null) {
            node.putNull("oldest_first_detected_ms");
            node.put("oldest_age_ms", 0);
        } else {
            node.put("oldest_first_detected_ms", oldest);
            node.put("oldest_age_ms", Math.max(0, now - oldest));
        }
        ObjectNode histogram = node.putObject("age_histogram");
        for (String bucket : new TreeSet<>(histogramBuckets(view))) {
            histogram.put(
                    bucket,
                    view.of("RECONCILER").stream()
                            .mapToLong(s -> s.figures()
                                    .path("open_drift")
                                    .path("age_histogram")
                                    .path(bucket)
                                    .asLong())
                            .sum());
        }
        return node;
    }

    private static Set<String> histogramBuckets(UnitView view) {
        Set<String> buckets = new java.util.LinkedHashSet<>();
        view.of("RECONCILER")
                .forEach(s -> s.figures()
                        .path("open_drift")
                        .path("age_histogram")
                        .fieldNames()
                        .forEachRemaining(buckets::add));
        return buckets;
    }

    private static ObjectNode eventOrder(UnitView view) {
        if (!view.has("SINK")) {
            return noData("no forward-lane sink reports on this unit");
        }
        ObjectNode node = JSON.createObjectNode();
        node.put("skipped_stale_per_s", view.rate("SINK", "skipped_stale"));
        node.put("duplicates_per_s", view.rate("SINK", "duplicates"));
        node.put("out_of_order_per_s", view.rate("SINK", "out_of_order"));
        node.put("applied_per_s", view.rate("SINK", "applied"));
        node.put("skipped_stale_total", view.sum("SINK", "totals", "skipped_stale"));
        node.put("duplicates_total", view.sum("SINK", "totals", "duplicates"));
        node.put("out_of_order_total", view.sum("SINK", "totals", "out_of_order"));
        node.put("applied_total", view.sum("SINK", "totals", "applied"));
        node.put("blocked_by_ownership_total", view.sum("SINK", "totals", "blocked_by_ownership"));
        return node;
    }

    /**
     * The translation transforms' figures: what they translated, dropped and could not translate, by the spec's
     * field. The failures go to the dead letter queue through Connect (errors.tolerance=all), not through the sink.
     */
    private static ObjectNode translation(UnitView view) {
        if (!view.has("TRANSLATION")) {
            return noData("no translation transform of this unit publishes status (transforms.<alias>.status."
                    + "bootstrap.servers)");
        }
        ObjectNode node = JSON.createObjectNode();
        for (String figure : List.of("translated", "dropped", "failed")) {
            node.put(figure + "_per_s", view.rate("TRANSLATION", figure));
            node.put(figure + "_total", view.sum("TRANSLATION", "totals", figure));
        }
        node.set("failed_by_reason", merged(view, "failed_by_reason", "TRANSLATION"));
        node.set("semantic_loss_by_column", merged(view, "semantic_loss_by_column", "TRANSLATION"));
        return node;
    }

    /** One count per name, summed over the sources of the kinds. */
    private static ObjectNode merged(UnitView view, String group, String... kinds) {
        Map<String, Long> sums = new TreeMap<>();
        for (String kind : kinds) {
            for (UnitView.Source source : view.of(kind)) {
                source.figures()
                        .path(group)
                        .fields()
                        .forEachRemaining(
                                e -> sums.merge(e.getKey(), e.getValue().asLong(), Long::sum));
            }
        }
        ObjectNode node = JSON.createObjectNode();
        sums.forEach(node::put);
        return node;
    }

    private static ObjectNode deadLetters(UnitView view) {
        if (!view.has("SINK") && !view.has("WRITEBACK")) {
            return noData("no sink reports on this unit");
        }
        ObjectNode node = JSON.createObjectNode();
        node.put(
                "total",
                view.sum("SINK", "totals", "dead_lettered") + view.sum("WRITEBACK", "totals", "dead_lettered"));
        node.set("by_reason", merged(view, "dead_lettered_by_reason", "SINK", "WRITEBACK"));
        return node;
    }

    private static ObjectNode reconciliation(UnitView view, long now) {
        if (!view.has("RECONCILER")) {
            return noData("no reconciler reports on this unit");
        }
        ObjectNode node = JSON.createObjectNode();
        UnitView.Verification full = view.lastFullReconciliation();
        node.put("ranges", full.rangesExpected());
        node.put("ranges_with_full_run", full.rangesReporting());
        if (full.complete()) {
            node.put("last_full_completed_at_ms", full.oldestCompletedAt());
            node.put("last_full_age_ms", Math.max(0, now - full.oldestCompletedAt()));
            node.put("last_full_alignment_pct", full.lowestAlignment());
        }
        Long lastRun = null;
        Double lastAlignment = null;
        for (UnitView.Source source : view.of("RECONCILER")) {
            JsonNode run = source.figures().path("last_run");
            if (!run.isMissingNode()) {
                lastRun = lastRun == null
                        ? run.path("completed_at_ms").asLong()
                        : Math.max(lastRun, run.path("completed_at_ms").asLong());
                double alignment = run.path("alignment_pct").asDouble();
                lastAlignment = lastAlignment == null ? alignment : Math.min(lastAlignment, alignment);
            }
        }
        if (lastRun != null) {
            node.put("last_run_completed_at_ms", lastRun);
            node.put("last_run_alignment_pct", lastAlignment);
        }
        node.put(
                "observed_lag_ms",
                view.of("RECONCILER").stream()
                        .mapToLong(s -> s.figures().path("observed_lag_ms").asLong())
                        .max()
                        .orElse(0));
        return node;
    }

    private ObjectNode ownership(String unit, ControlStore store) {
        if (store == null) {
            return noData("no store holds this unit's control tables (migration.dashboard.store.*.units)");
        }
        ObjectNode node = JSON.createObjectNode();
        node.put("store", store.name());
        try {
            ObjectNode partitions = node.putObject("partitions");
            for (ControlStore.OwnerRow row : store.ownership(unit)) {
                ObjectNode partition = partitions.putObject(row.partition());
                partition.put("owner", row.owner());
                if (row.sinceMillis() != null) {
                    partition.put("since_ms", row.sinceMillis());
                }
            }
            if (!partitions.has("*")) {
                ObjectNode rest = partitions.putObject("*");
                rest.put("owner", "LEGACY");
                rest.put("implicit", true);
            }
            List<OwnershipMoves.Entry> moves = store.moves(unit, 20);
            for (OwnershipMoves.Entry move : moves) {
                if (!partitions.has(move.partition()) || !"DONE".equals(move.status())) {
                    continue;
                }
                ObjectNode partition = (ObjectNode) partitions.get(move.partition());
                if (!partition.has("moved_by")) {
                    partition.put("moved_by", move.requestedBy());
                    partition.put("move_id", move.id());
                    if (move.decidedAtMillis() != null) {
                        partition.put("moved_at_ms", move.decidedAtMillis());
                    }
                }
            }
            var journal = node.putArray("moves");
            for (OwnershipMoves.Entry move : moves) {
                ObjectNode entry = journal.addObject();
                entry.put("move_id", move.id());
                entry.put("partition", move.partition());
                entry.put("to_owner", move.toOwner());
                entry.put("requested_by", move.requestedBy());
                entry.put("status", move.status() == null ? "REQUESTED" : move.status());
                if (move.reason() != null) {
                    entry.put("reason", move.reason());
                }
                if (move.decidedBy() != null) {
                    entry.put("decided_by", move.decidedBy());
                }
                if (move.decidedAtMillis() != null) {
                    entry.put("decided_at_ms", move.decidedAtMillis());
                }
                if (move.laneLagMillis() != null) {
                    entry.put("lane_lag_ms", move.laneLagMillis());
                }
            }
        } catch (SQLException | RuntimeException e) {
            node.put("error", "the store " + store.name() + " could not be read: " + e.getMessage());
        }
        return node;
    }

    private ObjectNode readRouting(UnitView view, ControlStore store) {
        ObjectNode node = JSON.createObjectNode();
        if (store == null) {
            node.set("plan", noData("no store holds this unit's control tables"));
        } else {
            try {
                ObjectNode plan = node.putObject("plan");
                for (RoutingPlanTable.Row row : store.routing(view.unit())) {
                    ObjectNode partition = plan.putObject(row.partition());
                    partition.put("mode", row.mode());
                    if (row.canaryPercent() != null) {
                        partition.put("canary_pct", row.canaryPercent().doubleValue());
                    }
                }
            } catch (SQLException | RuntimeException e) {
                node.put("error", "the store " + store.name() + " could not be read: " + e.getMessage());
            }
        }
        JsonNode figures = null;
        for (UnitView.Source source : view.of("RECONCILER")) {
            JsonNode readShift = source.figures().path("read_shift");
            if (readShift.isObject()) {
                figures = readShift;
            }
        }
        node.set(
                "figures",
                figures == null
                        ? noData("no reconciler of this unit follows a read-shift feed (read.shift.topic)")
                        : figures);
        return node;
    }
}
