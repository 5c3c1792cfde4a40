package io.rollingmigration.connect.common.config;

import io.rollingmigration.connect.common.dialect.TableId;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * How a lane takes part in hand-overs of write ownership: where the moves journal and the lanes' progress live in
 * the service's store, the lag beyond which the lane refuses a move it decides, and (the write-back lane) how long
 * it holds the service's changes of a partition just moved while the forward lane catches up. The same keys, with
 * the same meaning, in both sinks.
 */
public final class HandOverConfig {

    public static final String MOVES_TABLE = "ownership.moves.table";
    public static final String PROGRESS_TABLE = "lane.progress.table";
    public static final String MAX_LAG_MS = "handover.max.lag.ms";
    public static final String SETTLE_MS = "handover.settle.ms";
    public static final String HOLD_MAX_MS = "handover.hold.max.ms";

    private HandOverConfig() {}

    /**
     * Defines the keys in {@code group} from {@code order}.
     *
     * @param decides the moves the lane decides ("to TARGET", "back to LEGACY"), for the documentation
     * @param holds   true for the write-back lane, which also holds changes of a moved partition
     */
    public static ConfigDef define(ConfigDef def, String group, int order, String decides, boolean holds) {
        def.define(
                        MOVES_TABLE,
                        ConfigDef.Type.STRING,
                        "migration_ownership_moves",
                        TableNameValidator.orEmpty(),
                        ConfigDef.Importance.MEDIUM,
                        "The journal of hand-overs in the service's store, beside the ownership table: an operator "
                                + "asks for a move by inserting (migration_unit, partition_value, to_owner, "
                                + "requested_by); this lane decides the moves " + decides + ", refusing them while "
                                + "it lags, and records the decision, its position and lag. Created if missing. "
                                + "Empty: no hand-overs, only direct edits of the ownership table.",
                        group,
                        order,
                        ConfigDef.Width.MEDIUM,
                        "Ownership moves table")
                .define(
                        PROGRESS_TABLE,
                        ConfigDef.Type.STRING,
                        "migration_lane_progress",
                        new TableNameValidator(),
                        ConfigDef.Importance.LOW,
                        "The table in the service's store where each lane records, per Kafka partition, the "
                                + "newest change it applied, its lag and when it last had nothing left to apply. "
                                + "Give both lanes the same table. Created if missing.",
                        group,
                        order + 1,
                        ConfigDef.Width.MEDIUM,
                        "Lane progress table")
                .define(
                        MAX_LAG_MS,
                        ConfigDef.Type.LONG,
                        30_000L,
                        ConfigDef.Range.atLeast(0),
                        ConfigDef.Importance.MEDIUM,
                        "A move this lane decides is refused, with the reason in the journal, while the lane lags "
                                + "more than this many milliseconds behind its source (a partition not heard of "
                                + "for three minutes lags by its silence).",
                        group,
                        order + 2,
                        ConfigDef.Width.SHORT,
                        "Hand-over max lag (ms)");
        if (holds) {
            def.define(
                            SETTLE_MS,
                            ConfigDef.Type.LONG,
                            2_000L,
                            ConfigDef.Range.atLeast(0),
                            ConfigDef.Importance.LOW,
                            "After a move to TARGET, the forward lane counts as caught up once it has applied a "
                                    + "legacy change committed after the move, or had nothing left to apply this "
                                    + "many milliseconds after it (what Debezium was still capturing at the move).",
                            group,
                            order + 3,
                            ConfigDef.Width.SHORT,
                            "Hand-over settle (ms)")
                    .define(
                            HOLD_MAX_MS,
                            ConfigDef.Type.LONG,
                            300_000L,
                            ConfigDef.Range.atLeast(0),
                            ConfigDef.Importance.LOW,
                            "How long the service's changes of a partition just moved to TARGET are held back "
                                    + "while the forward lane catches up; after it they are written with a warning "
                                    + "(both lanes' version guards still keep the newer write).",
                            group,
                            order + 4,
                            ConfigDef.Width.SHORT,
                            "Hand-over hold max (ms)");
        }
        return def;
    }

    public static Optional<TableId> movesTable(AbstractConfig config) {
        String table = config.getString(MOVES_TABLE);
        return table.isBlank() ? Optional.empty() : Optional.of(TableId.parse(table));
    }

    public static TableId progressTable(AbstractConfig config) {
        return TableId.parse(config.getString(PROGRESS_TABLE));
    }

    public static long maxLagMillis(AbstractConfig config) {
        return config.getLong(MAX_LAG_MS);
    }

    public static long settleMillis(AbstractConfig config) {
        return config.getLong(SETTLE_MS);
    }

    public static long holdMaxMillis(AbstractConfig config) {
        return config.getLong(HOLD_MAX_MS);
    }
}
