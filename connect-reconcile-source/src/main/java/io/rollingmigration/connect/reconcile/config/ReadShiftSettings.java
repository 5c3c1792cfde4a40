package io.rollingmigration.connect.reconcile.config;

import static io.rollingmigration.connect.reconcile.ReconcileConfig.*;

import org.apache.kafka.common.config.ConfigDef;

/**
 * The reconciler's "Read shift" settings: where the read-shift lane's facades publish their comparisons and
 * routing counts, which the reconciler's first task turns into the lane's figures (plugin metrics).
 */
public final class ReadShiftSettings {

    private static final String GROUP = "Read shift";

    private ReadShiftSettings() {}

    public static void define(ConfigDef def) {
        int order = 0;
        def.define(
                        READ_SHIFT_TOPIC,
                        ConfigDef.Type.STRING,
                        "",
                        ConfigDef.Importance.MEDIUM,
                        "The read-shift lane's comparisons topic (the facades' KafkaComparisonFeed). When set, the "
                                + "first task reads it and its routing topic, through the drift state consumer "
                                + "(drift.state.bootstrap.servers), and publishes the migration unit's shadow "
                                + "alignment, mismatches by field, read routing by mode and consumer, and the "
                                + "consumers still reading legacy as plugin metrics. Empty: no read-shift figures.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.LONG,
                        "Read-shift comparisons topic")
                .define(
                        READ_SHIFT_ROUTING_TOPIC,
                        ConfigDef.Type.STRING,
                        "",
                        ConfigDef.Importance.LOW,
                        "The lane's routing counts topic; empty: '<read.shift.topic>.routing', the feed's default.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.LONG,
                        "Read-shift routing topic")
                .define(
                        READ_SHIFT_WINDOW_MS,
                        ConfigDef.Type.LONG,
                        900_000L,
                        ConfigDef.Range.atLeast(10_000),
                        ConfigDef.Importance.LOW,
                        "The window the read-shift figures cover: alignment and routing over the last this many "
                                + "milliseconds (15 minutes).",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Read-shift window (ms)");
    }
}
