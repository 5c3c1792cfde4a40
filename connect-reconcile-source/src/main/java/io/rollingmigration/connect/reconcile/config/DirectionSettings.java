package io.rollingmigration.connect.reconcile.config;

import static io.rollingmigration.connect.reconcile.ReconcileConfig.*;

import io.rollingmigration.connect.common.config.TableNameValidator;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The reconciler's "Direction" settings: which store is the truth, and where the lanes keep what pairs rows the
 * service created (the id mapping) and what says which partitions the service owns.
 */
public final class DirectionSettings {

    private static final String GROUP = "Direction";

    private DirectionSettings() {}

    public static void define(ConfigDef def) {
        int order = 0;
        def.define(
                        DIRECTION,
                        ConfigDef.Type.STRING,
                        "forward",
                        ConfigDef.CaseInsensitiveValidString.in("forward", "reverse"),
                        ConfigDef.Importance.HIGH,
                        "'forward': legacy is the truth, the target its copy (drift MISSING_IN_TARGET, "
                                + "UNEXPECTED_IN_TARGET). 'reverse': for the partitions the ownership table gives "
                                + "to TARGET, the service's store is the truth and legacy the copy the write-back "
                                + "lane keeps (drift MISSING_IN_LEGACY, UNEXPECTED_IN_LEGACY), through the same "
                                + "spec; every target row takes part, also those the service created. Reverse "
                                + "needs a spec whose aggregate names its ownership field, mode=full, and neither "
                                + "hash.pushdown nor target.fragment.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Direction")
                .define(
                        ID_MAPPING_TABLE,
                        ConfigDef.Type.STRING,
                        "",
                        TableNameValidator.orEmpty(),
                        ConfigDef.Importance.MEDIUM,
                        "The id-mapping table in the legacy database (columns legacy_id and target_id: the one "
                                + "MapId's lookup mode reads and the write-back lane fills). Pairs the rows the "
                                + "service created, and gives the aggregate's key when the spec's key is a column "
                                + "a transform adds (MapId's target.field). Empty: rows are paired through their "
                                + "lineage only.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Id-mapping table")
                .define(
                        OWNERSHIP_TABLE,
                        ConfigDef.Type.STRING,
                        "migration_ownership",
                        new TableNameValidator(),
                        ConfigDef.Importance.MEDIUM,
                        "With direction=reverse, the ownership control table in the target database: only "
                                + "partitions it gives to TARGET are compared.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Ownership table")
                .define(
                        OWNERSHIP_UNIT,
                        ConfigDef.Type.STRING,
                        "",
                        ConfigDef.Importance.LOW,
                        "The migration unit in the control table. Empty: the spec's aggregate name.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Migration unit")
                .define(
                        LANE_TRANSACTIONS_TABLE,
                        ConfigDef.Type.STRING,
                        "migration_lane_transactions",
                        new TableNameValidator(),
                        ConfigDef.Importance.LOW,
                        "With direction=reverse, the lanes' transaction table in the target database (the "
                                + "write-back sink's lane.transactions.table): a difference is held as in flight "
                                + "while the write-back lane has recorded a transaction lately.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Lane transactions table");
    }
}
