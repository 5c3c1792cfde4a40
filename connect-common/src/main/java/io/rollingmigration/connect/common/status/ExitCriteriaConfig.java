package io.rollingmigration.connect.common.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The exit criteria a bridge (a forward lane, the write-back lane, a reconciler) declares in its own config: what
 * must hold, and for how long, before the bridge may be retired. The tasks publish them with their status; the
 * dashboard's {@code GET /migration/exit-criteria} says which hold. Same keys in every plugin; none declared by
 * default, and a bridge without criteria is never retirable.
 */
public final class ExitCriteriaConfig {

    public static final String TARGET_OWNS_ALL_FOR_MS = "exit.target.owns.all.for.ms";
    public static final String NO_LEGACY_WRITE_FOR_MS = "exit.no.legacy.write.for.ms";
    public static final String NO_DRIFT_ABOVE_LOW_FOR_MS = "exit.no.drift.above.low.for.ms";
    public static final String FULL_RECONCILIATION_AFTER_LAST_MOVE = "exit.full.reconciliation.after.last.move";
    public static final String NO_LEGACY_READS_FOR_MS = "exit.no.legacy.reads.for.ms";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExitCriteriaConfig() {}

    public static ConfigDef define(ConfigDef def, String group) {
        return def.define(
                        TARGET_OWNS_ALL_FOR_MS,
                        ConfigDef.Type.LONG,
                        -1L,
                        ConfigDef.Range.atLeast(-1),
                        ConfigDef.Importance.LOW,
                        "Exit criterion: every partition of the unit (its * row included) has been owned by TARGET "
                                + "for at least this many milliseconds. -1: not a criterion.",
                        group,
                        1,
                        ConfigDef.Width.SHORT,
                        "Exit: target owns all for (ms)")
                .define(
                        NO_LEGACY_WRITE_FOR_MS,
                        ConfigDef.Type.LONG,
                        -1L,
                        ConfigDef.Range.atLeast(-1),
                        ConfigDef.Importance.LOW,
                        "Exit criterion: the forward lane has reported no legacy write after cutover "
                                + "(LEGACY_WRITE_AFTER_CUTOVER) for this many milliseconds. -1: not a criterion.",
                        group,
                        2,
                        ConfigDef.Width.SHORT,
                        "Exit: no legacy write for (ms)")
                .define(
                        NO_DRIFT_ABOVE_LOW_FOR_MS,
                        ConfigDef.Type.LONG,
                        -1L,
                        ConfigDef.Range.atLeast(-1),
                        ConfigDef.Importance.LOW,
                        "Exit criterion: no drift above LOW has been open in any key range of the unit's "
                                + "reconciler for this many milliseconds. -1: not a criterion.",
                        group,
                        3,
                        ConfigDef.Width.SHORT,
                        "Exit: no drift above LOW for (ms)")
                .define(
                        FULL_RECONCILIATION_AFTER_LAST_MOVE,
                        ConfigDef.Type.BOOLEAN,
                        false,
                        ConfigDef.Importance.LOW,
                        "Exit criterion: a full reconciliation of every key range started after the last "
                                + "ownership move of the unit and passed the dashboard's alignment bound.",
                        group,
                        4,
                        ConfigDef.Width.SHORT,
                        "Exit: full reconciliation after last move")
                .define(
                        NO_LEGACY_READS_FOR_MS,
                        ConfigDef.Type.LONG,
                        -1L,
                        ConfigDef.Range.atLeast(-1),
                        ConfigDef.Importance.LOW,
                        "Exit criterion: no consumer in the read-shift lane's routing feed has read the unit "
                                + "from legacy for this many milliseconds (needs the reconciler's "
                                + "read.shift.topic). -1: not a criterion.",
                        group,
                        5,
                        ConfigDef.Width.SHORT,
                        "Exit: no legacy reads for (ms)");
    }

    /** The declared criteria as the status records carry them: only those declared. */
    public static ObjectNode declared(AbstractConfig config) {
        ObjectNode criteria = JSON.createObjectNode();
        for (String key : new String[] {
            TARGET_OWNS_ALL_FOR_MS, NO_LEGACY_WRITE_FOR_MS, NO_DRIFT_ABOVE_LOW_FOR_MS, NO_LEGACY_READS_FOR_MS
        }) {
            long value = config.getLong(key);
            if (value >= 0) {
                criteria.put(name(key), value);
            }
        }
        if (config.getBoolean(FULL_RECONCILIATION_AFTER_LAST_MOVE)) {
            criteria.put(name(FULL_RECONCILIATION_AFTER_LAST_MOVE), true);
        }
        return criteria;
    }

    /** The criterion's name in the status records: the key without {@code exit.}, dots as underscores. */
    static String name(String key) {
        return key.substring("exit.".length()).replace('.', '_');
    }
}
