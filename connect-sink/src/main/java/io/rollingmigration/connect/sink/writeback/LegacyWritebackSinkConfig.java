package io.rollingmigration.connect.sink.writeback;

import io.rollingmigration.connect.common.config.HandOverConfig;
import io.rollingmigration.connect.common.config.JdbcConnectionConfig;
import io.rollingmigration.connect.common.config.RetryConfig;
import io.rollingmigration.connect.common.config.TableNameValidator;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.status.StatusConfig;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/** The write-back sink's settings: where legacy is, where the service's store is, and which spec to write by. */
public final class LegacyWritebackSinkConfig extends AbstractConfig {

    public static final String LEGACY_PREFIX = "legacy.";
    public static final String SERVICE_PREFIX = "service.";
    public static final String MAPPING_SPEC = "mapping.spec";
    public static final String AGGREGATE = "aggregate";
    public static final String BOOKKEEPING_SCHEMA = "bookkeeping.schema";
    public static final String ID_MAPPING_TABLE = "id.mapping.table";
    public static final String OWNERSHIP_TABLE = "ownership.table";
    public static final String OWNERSHIP_UNIT = "ownership.unit";
    public static final String OWNERSHIP_REFRESH_MS = "ownership.refresh.ms";
    public static final String LANE_TRANSACTIONS_TABLE = "lane.transactions.table";
    public static final String LANE_TRANSACTIONS_RETENTION_MS = "lane.transactions.retention.ms";

    private static final String CONNECTION_GROUP = "Connections";
    private static final String MAPPING_GROUP = "Mapping";
    private static final String LANES_GROUP = "Lanes";
    private static final String RETRIES_GROUP = "Retries";

    public static final ConfigDef CONFIG_DEF = definition();

    private final JdbcConnectionConfig legacy;
    private final JdbcConnectionConfig service;

    public LegacyWritebackSinkConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals);
        this.legacy = JdbcConnectionConfig.from(this, LEGACY_PREFIX);
        this.service = JdbcConnectionConfig.from(this, SERVICE_PREFIX);
    }

    private static ConfigDef definition() {
        ConfigDef def = new ConfigDef();
        JdbcConnectionConfig.define(
                def,
                LEGACY_PREFIX,
                CONNECTION_GROUP,
                "the legacy database the service's changes are " + "written back into");
        JdbcConnectionConfig.define(
                def,
                SERVICE_PREFIX,
                CONNECTION_GROUP,
                "the service's store (its ownership table and " + "the lanes' transaction log)");
        def.define(
                        MAPPING_SPEC,
                        ConfigDef.Type.STRING,
                        ConfigDef.NO_DEFAULT_VALUE,
                        new WritebackSpecs.Validator(),
                        ConfigDef.Importance.HIGH,
                        "The mapping spec of each legacy table the aggregate writes, with its writeback rules (YAML "
                                + "or JSON, inline or through a ConfigProvider). An aggregate kept in several legacy "
                                + "tables (fragments) gives one spec per table, separated by a line '---', parent "
                                + "tables first: rows are written in this order and deleted in the reverse one.",
                        MAPPING_GROUP,
                        1,
                        ConfigDef.Width.LONG,
                        "Mapping specs")
                .define(
                        AGGREGATE,
                        ConfigDef.Type.STRING,
                        ConfigDef.NO_DEFAULT_VALUE,
                        new ConfigDef.NonEmptyString(),
                        ConfigDef.Importance.HIGH,
                        "The aggregate whose rows the topics carry (Debezium change events of the service's table): "
                                + "every spec must define it with writeback rules.",
                        MAPPING_GROUP,
                        2,
                        ConfigDef.Width.MEDIUM,
                        "Aggregate")
                .define(
                        BOOKKEEPING_SCHEMA,
                        ConfigDef.Type.STRING,
                        "migration",
                        new ConfigDef.NonEmptyString(),
                        ConfigDef.Importance.MEDIUM,
                        "The legacy schema for the lane's own tables (the id mapping and the consumed offsets), "
                                + "created if missing. No business table of legacy gains a column or a table.",
                        LANES_GROUP,
                        1,
                        ConfigDef.Width.MEDIUM,
                        "Bookkeeping schema")
                .define(
                        ID_MAPPING_TABLE,
                        ConfigDef.Type.STRING,
                        "",
                        TableNameValidator.orEmpty(),
                        ConfigDef.Importance.MEDIUM,
                        "The id-mapping table in legacy ('schema.table', columns legacy_id and target_id, what "
                                + "MapId's lookup mode reads). Empty: <bookkeeping.schema>.<aggregate>_id_map.",
                        LANES_GROUP,
                        2,
                        ConfigDef.Width.MEDIUM,
                        "Id-mapping table")
                .define(
                        OWNERSHIP_TABLE,
                        ConfigDef.Type.STRING,
                        "migration_ownership",
                        new TableNameValidator(),
                        ConfigDef.Importance.HIGH,
                        "The ownership control table in the service's store, the one the forward sink reads: only "
                                + "changes of partitions it gives to TARGET are written back.",
                        LANES_GROUP,
                        3,
                        ConfigDef.Width.MEDIUM,
                        "Ownership table")
                .define(
                        OWNERSHIP_UNIT,
                        ConfigDef.Type.STRING,
                        "",
                        ConfigDef.Importance.MEDIUM,
                        "The migration unit in the control table. Empty: the aggregate's name.",
                        LANES_GROUP,
                        4,
                        ConfigDef.Width.MEDIUM,
                        "Migration unit")
                .define(
                        OWNERSHIP_REFRESH_MS,
                        ConfigDef.Type.LONG,
                        5000L,
                        ConfigDef.Range.atLeast(0),
                        ConfigDef.Importance.LOW,
                        "How long an ownership answer is cached before the control table is read again.",
                        LANES_GROUP,
                        5,
                        ConfigDef.Width.SHORT,
                        "Ownership refresh (ms)")
                .define(
                        LANE_TRANSACTIONS_TABLE,
                        ConfigDef.Type.STRING,
                        "migration_lane_transactions",
                        new TableNameValidator(),
                        ConfigDef.Importance.MEDIUM,
                        "The table in the service's store where both lanes record the transactions they commit, so "
                                + "that neither takes the other's writes for new changes (echoes). Give the forward "
                                + "sink the same table.",
                        LANES_GROUP,
                        6,
                        ConfigDef.Width.MEDIUM,
                        "Lane transactions table")
                .define(
                        LANE_TRANSACTIONS_RETENTION_MS,
                        ConfigDef.Type.LONG,
                        24L * 60 * 60 * 1000,
                        ConfigDef.Range.atLeast(60_000),
                        ConfigDef.Importance.LOW,
                        "How long recorded transactions are kept, in milliseconds: longer than the lanes ever lag "
                                + "(an echo arriving later would be taken for a genuine write), short enough that "
                                + "transaction ids do not wrap around within it.",
                        LANES_GROUP,
                        7,
                        ConfigDef.Width.SHORT,
                        "Lane transactions retention (ms)");
        HandOverConfig.define(def, LANES_GROUP, 8, "back to LEGACY", true);
        RetryConfig.define(def, RETRIES_GROUP, 1, -1, 3000L, "a batch");
        StatusConfig.define(def, "Status", 1, "no status records");
        return def;
    }

    public JdbcConnectionConfig legacy() {
        return legacy;
    }

    public JdbcConnectionConfig service() {
        return service;
    }

    public String specs() {
        return getString(MAPPING_SPEC);
    }

    public String aggregate() {
        return getString(AGGREGATE);
    }

    public TableId idMappingTable() {
        String table = getString(ID_MAPPING_TABLE);
        return table.isBlank()
                ? new TableId(getString(BOOKKEEPING_SCHEMA), aggregate() + "_id_map")
                : TableId.parse(table);
    }

    public TableId offsetsTable() {
        return new TableId(getString(BOOKKEEPING_SCHEMA), "writeback_offsets");
    }

    public String bookkeepingSchema() {
        return getString(BOOKKEEPING_SCHEMA);
    }

    public TableId ownershipTable() {
        return TableId.parse(getString(OWNERSHIP_TABLE));
    }

    public String ownershipUnit() {
        String unit = getString(OWNERSHIP_UNIT);
        return unit.isBlank() ? aggregate() : unit;
    }

    public Duration ownershipRefresh() {
        return Duration.ofMillis(getLong(OWNERSHIP_REFRESH_MS));
    }

    public TableId laneTransactionsTable() {
        return TableId.parse(getString(LANE_TRANSACTIONS_TABLE));
    }

    public long laneTransactionsRetentionMillis() {
        return getLong(LANE_TRANSACTIONS_RETENTION_MS);
    }
}
