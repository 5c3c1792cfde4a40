package io.rollingmigration.connect.common.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * One task's figures for one migration unit, as published to the status topic. The key names the kind, the task
 * and the unit, so the compacted topic keeps the latest report of each; the value is JSON (docs/dashboard.md has the
 * schema), independent of the worker's converters, since the dashboard reads it with a plain consumer.
 *
 * @param kind      which part of the suite reports
 * @param connector the connector's name
 * @param task      the task's number within the connector
 * @param unit      the migration unit (aggregate) the figures are about
 * @param figures   the kind's figures
 */
public record StatusReport(Kind kind, String connector, int task, String unit, ObjectNode figures) {

    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The parts of the suite that publish status. */
    public enum Kind {
        /** A forward lane's sink: legacy changes into the service's store. */
        SINK,
        /** The write-back lane's sink: the service's changes into legacy. */
        WRITEBACK,
        /** A reconciler: legacy and target compared, drift open. */
        RECONCILER,
        /** A translation transform: change events into aggregates, and the events it could not translate. */
        TRANSLATION
    }

    /** Whether the task was running when it published, or published once more as it stopped. */
    public enum State {
        RUNNING,
        STOPPED
    }

    /**
     * A counter as figures show it: its total since the task started into {@code totals}, and its rate over the
     * interval of {@code seconds} that began at {@code before} into {@code rates}, to two decimals.
     */
    public static void putTotalAndRate(
            ObjectNode totals, ObjectNode rates, String name, long now, long before, double seconds) {
        totals.put(name, now);
        rates.put(name, Math.round((now - before) / seconds * 100.0) / 100.0);
    }

    /** A fresh object for a kind's figures. */
    public static ObjectNode newFigures() {
        return JSON.createObjectNode();
    }

    public byte[] key() {
        ObjectNode key = JSON.createObjectNode();
        // A transform runs in a task that publishes for the same unit: the kind keeps their reports apart.
        key.put("kind", kind.name());
        key.put("connector", connector);
        key.put("task", task);
        key.put("unit", unit);
        return bytes(key);
    }

    /**
     * The value as published: the report with when, how often and in which state, since when the task runs, and
     * the exit criteria its bridge declares.
     */
    public byte[] value(
            State state, long publishedAtMillis, long intervalMillis, long startedAtMillis, ObjectNode exitCriteria) {
        ObjectNode value = JSON.createObjectNode();
        value.put("schema_version", SCHEMA_VERSION);
        value.put("kind", kind.name());
        value.put("connector", connector);
        value.put("task", task);
        value.put("unit", unit);
        value.put("state", state.name());
        value.put("published_at_ms", publishedAtMillis);
        value.put("interval_ms", intervalMillis);
        value.put("started_at_ms", startedAtMillis);
        value.set("exit_criteria", exitCriteria);
        value.set("figures", figures);
        return bytes(value);
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Status report not serializable", e);
        }
    }
}
