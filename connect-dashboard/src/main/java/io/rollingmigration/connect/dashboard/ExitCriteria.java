package io.rollingmigration.connect.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Says of each bridge whether it may be retired: the criteria its connector declares ({@code exit.*}), each
 * judged on the unit's figures and control tables, with why one does not hold, and when the bridge became (or
 * becomes) retirable. A clock that a task keeps ("no legacy write since") starts when the task starts: a
 * restarted task makes its criteria wait again rather than assume what it did not see.
 */
final class ExitCriteria {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MigrationState state;
    private final GuardRails guards;

    ExitCriteria(MigrationState state, GuardRails guards) {
        this.state = state;
        this.guards = guards;
    }

    /** One criterion's verdict: holds, and since when; or why not. */
    record Verdict(String name, JsonNode required, boolean holds, Long holdsSince, Long retirableAt, String why) {}

    ObjectNode evaluate(long now) {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("generated_at_ms", now);
        ArrayNode bridges = answer.putArray("bridges");
        for (UnitView view : state.units(now).values()) {
            Map<String, UnitView.Source> byConnector = new TreeMap<>();
            for (String kind : List.of("SINK", "WRITEBACK", "RECONCILER")) {
                for (UnitView.Source source : view.of(kind)) {
                    byConnector.putIfAbsent(source.report().connector(), source);
                }
            }
            byConnector.forEach((connector, source) -> bridges.add(bridge(view, source, now)));
        }
        return answer;
    }

    private ObjectNode bridge(UnitView view, UnitView.Source source, long now) {
        ObjectNode bridge = JSON.createObjectNode();
        bridge.put("connector", source.report().connector());
        bridge.put("kind", source.kind());
        bridge.put("unit", view.unit());
        JsonNode declared = source.report().value().path("exit_criteria");
        List<Verdict> verdicts = new ArrayList<>();
        declared.fields().forEachRemaining(e -> verdicts.add(judge(e.getKey(), e.getValue(), view, now)));
        ArrayNode criteria = bridge.putArray("criteria");
        Long retirableAt = 0L;
        boolean all = !verdicts.isEmpty();
        for (Verdict verdict : verdicts) {
            ObjectNode node = criteria.addObject();
            node.put("name", verdict.name());
            node.set("required", verdict.required());
            node.put("holds", verdict.holds());
            if (verdict.holdsSince() != null) {
                node.put("holds_since_ms", verdict.holdsSince());
            }
            if (verdict.retirableAt() != null) {
                node.put("satisfied_at_ms", verdict.retirableAt());
            }
            if (verdict.why() != null) {
                node.put("why_not", verdict.why());
            }
            all &= verdict.holds();
            retirableAt = retirableAt == null || verdict.retirableAt() == null
                    ? null
                    : Math.max(retirableAt, verdict.retirableAt());
        }
        bridge.put("retirable", all);
        if (verdicts.isEmpty()) {
            bridge.put(
                    "why_not",
                    "the connector declares no exit criteria (its exit.* settings): nothing says when it may go");
        }
        if (all && retirableAt != null) {
            bridge.put("retirable_since_ms", retirableAt);
        } else {
            bridge.putNull("retirable_since_ms");
        }
        return bridge;
    }

    private Verdict judge(String name, JsonNode required, UnitView view, long now) {
        try {
            return switch (name) {
                case "target_owns_all_for_ms" -> targetOwnsAll(name, required, view, now);
                case "no_legacy_write_for_ms" -> noLegacyWrite(name, required, view, now);
                case "no_drift_above_low_for_ms" ->
                    clock(name, required, view, now, "no_drift_above_low_since_ms", "drift above LOW is open");
                case "no_legacy_reads_for_ms" -> noLegacyReads(name, required, view, now);
                case "full_reconciliation_after_last_move" -> fullAfterLastMove(name, required, view, now);
                default -> new Verdict(name, required, false, null, null, "unknown criterion");
            };
        } catch (SQLException | RuntimeException e) {
            return new Verdict(name, required, false, null, null, "could not be judged: " + e.getMessage());
        }
    }

    private static Verdict held(String name, JsonNode required, long since, long now) {
        long wanted = required.asLong();
        long satisfiedAt = since + wanted;
        return satisfiedAt <= now
                ? new Verdict(name, required, true, since, satisfiedAt, null)
                : new Verdict(
                        name,
                        required,
                        false,
                        since,
                        null,
                        "holds since " + Instant.ofEpochMilli(since) + ", for "
                                + Duration.ofMillis(now - since).toMinutes() + " min of the "
                                + Duration.ofMillis(wanted).toMinutes() + " min required (satisfied at "
                                + Instant.ofEpochMilli(satisfiedAt) + " if nothing changes)");
    }

    private Verdict targetOwnsAll(String name, JsonNode required, UnitView view, long now) throws SQLException {
        ControlStore store = state.storeOf(view.unit());
        if (store == null) {
            return new Verdict(name, required, false, null, null, "no store holds the unit's ownership table");
        }
        List<ControlStore.OwnerRow> rows = store.ownership(view.unit());
        if (rows.stream().noneMatch(r -> r.partition().equals("*") && "TARGET".equals(r.owner()))) {
            return new Verdict(
                    name,
                    required,
                    false,
                    null,
                    null,
                    "partitions without a row of their own are still LEGACY's: no '*' row owned by TARGET");
        }
        List<String> legacy = rows.stream()
                .filter(r -> !"TARGET".equals(r.owner()))
                .map(ControlStore.OwnerRow::partition)
                .toList();
        if (!legacy.isEmpty()) {
            return new Verdict(
                    name, required, false, null, null, "legacy still owns the writes of " + String.join(", ", legacy));
        }
        long since = rows.stream()
                .mapToLong(r -> r.sinceMillis() == null ? now : r.sinceMillis())
                .max()
                .orElse(now);
        return held(name, required, since, now);
    }

    private static Verdict noLegacyWrite(String name, JsonNode required, UnitView view, long now) {
        List<UnitView.Source> sinks = view.of("SINK");
        if (sinks.isEmpty()) {
            return new Verdict(
                    name, required, false, null, null, "no forward-lane sink reports: legacy writes are not watched");
        }
        long since = 0;
        for (UnitView.Source sink : sinks) {
            since = Math.max(since, sink.report().value().path("started_at_ms").asLong());
            since = Math.max(since, sink.figures().path("last_blocked_at_ms").asLong());
        }
        return held(name, required, since, now);
    }

    private static Verdict noLegacyReads(String name, JsonNode required, UnitView view, long now) {
        boolean watched = view.of("RECONCILER").stream()
                .anyMatch(s -> s.figures().path("read_shift").isObject());
        if (!watched) {
            return new Verdict(
                    name,
                    required,
                    false,
                    null,
                    null,
                    "no reconciler of the unit follows the read-shift feed (read.shift.topic): reads are not watched");
        }
        return clock(name, required, view, now, "no_legacy_reads_since_ms", "consumers still read legacy");
    }

    /** A criterion every reconciler range keeps a clock for: the latest of their "since". */
    private static Verdict clock(
            String name, JsonNode required, UnitView view, long now, String field, String failing) {
        List<UnitView.Source> reconcilers = view.of("RECONCILER").stream()
                .filter(s -> !s.figures().path(field).isMissingNode())
                .toList();
        if (reconcilers.isEmpty()) {
            return new Verdict(name, required, false, null, null, "no reconciler of the unit reports it");
        }
        long since = 0;
        for (UnitView.Source source : reconcilers) {
            JsonNode value = source.figures().path(field);
            if (value.isNull()) {
                String detail = field.startsWith("no_drift")
                        ? " (" + view.openDrift("by_severity") + ")"
                        : " (" + source.figures().path("read_shift").path("consumers_on_legacy") + ")";
                return new Verdict(name, required, false, null, null, failing + " now" + detail);
            }
            since = Math.max(since, value.asLong());
        }
        return held(name, required, since, now);
    }

    private Verdict fullAfterLastMove(String name, JsonNode required, UnitView view, long now) throws SQLException {
        ControlStore store = state.storeOf(view.unit());
        long lastMove = 0;
        if (store != null) {
            for (ControlStore.OwnerRow row : store.ownership(view.unit())) {
                lastMove = Math.max(lastMove, row.sinceMillis() == null ? 0 : row.sinceMillis());
            }
        }
        List<UnitView.Source> reconcilers = view.of("RECONCILER");
        UnitView.Verification verification = view.lastFullReconciliation();
        if (!verification.complete()) {
            return new Verdict(
                    name,
                    required,
                    false,
                    null,
                    null,
                    "no full reconciliation has finished in every key range (" + verification.rangesReporting() + " of "
                            + verification.rangesExpected() + ")");
        }
        long earliestStart = Long.MAX_VALUE;
        for (UnitView.Source source : reconcilers) {
            earliestStart = Math.min(
                    earliestStart,
                    source.figures().path("last_full_run").path("started_at_ms").asLong());
        }
        if (earliestStart <= lastMove) {
            return new Verdict(
                    name,
                    required,
                    false,
                    null,
                    null,
                    "the last full reconciliation started at " + Instant.ofEpochMilli(earliestStart)
                            + ", before the last ownership move at " + Instant.ofEpochMilli(lastMove));
        }
        if (verification.lowestAlignment() < guards.bounds().minAlignmentPercent()) {
            return new Verdict(
                    name,
                    required,
                    false,
                    null,
                    null,
                    "the full reconciliation after the last move was " + verification.lowestAlignment()
                            + "% aligned, below " + guards.bounds().minAlignmentPercent() + "%");
        }
        return new Verdict(
                name, required, true, verification.oldestCompletedAt(), verification.oldestCompletedAt(), null);
    }
}
