package io.rollingmigration.connect.sink;

import io.rollingmigration.connect.common.config.HandOverConfig;
import io.rollingmigration.connect.common.config.JdbcConnectionConfig;
import io.rollingmigration.connect.common.config.RetryConfig;
import io.rollingmigration.connect.common.config.TableNameValidator;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.lineage.Lineage;
import io.rollingmigration.connect.common.status.StatusConfig;
import io.rollingmigration.connect.sink.write.DeleteMode;
import io.rollingmigration.connect.sink.write.Fragment;
import io.rollingmigration.connect.sink.write.WriteMethod;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/** Every setting of the target-store sink, with its default, validation and documentation. */
public final class TargetStoreSinkConfig extends AbstractConfig {

    public static final String TARGET_TABLE = "target.table";
    public static final String VERSION_HEADER = "version.header";
    public static final String VERSION_FIELD = "version.field";
    public static final String DELETE_MODE = "delete.mode";
    public static final String DELETE_RETENTION_MS = "delete.retention.ms";
    public static final String OFFSETS_STORAGE = "offsets.storage";
    public static final String OFFSETS_TABLE = "offsets.table";
    public static final String TABLE_AUTO_CREATE = "table.auto.create";
    public static final String WRITE_METHOD = "write.method";
    public static final String FRAGMENT_COLUMNS = "fragment.columns";
    public static final String FRAGMENT_VERSION_COLUMN = "fragment.version.column";
    public static final String FRAGMENT_DELETES = "fragment.deletes";
    public static final String OWNERSHIP_TABLE = "ownership.table";
    public static final String OWNERSHIP_UNIT = "ownership.unit";
    public static final String OWNERSHIP_PARTITION_FIELD = "ownership.partition.field";
    public static final String OWNERSHIP_REFRESH_MS = "ownership.refresh.ms";
    public static final String LANE_TRANSACTIONS_TABLE = "lane.transactions.table";
    public static final String MAX_RETRIES = RetryConfig.MAX_RETRIES;
    public static final String RETRY_BACKOFF_MS = RetryConfig.RETRY_BACKOFF_MS;

    private static final String CONNECTION_GROUP = "Connection";
    private static final String WRITES_GROUP = "Writes";
    private static final String RETRIES_GROUP = "Retries";
    private static final String OWNERSHIP_GROUP = "Ownership";

    public static final ConfigDef CONFIG_DEF = definition();

    private final JdbcConnectionConfig connection;
    private final TableId table;

    public TargetStoreSinkConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals);
        this.connection = JdbcConnectionConfig.from(this, "");
        this.table = TableId.parse(getString(TARGET_TABLE));
    }

    private static ConfigDef definition() {
        ConfigDef def = new ConfigDef();
        JdbcConnectionConfig.define(def, "", CONNECTION_GROUP, "the target database");
        int order = 0;
        def.define(
                        TARGET_TABLE,
                        ConfigDef.Type.STRING,
                        ConfigDef.NO_DEFAULT_VALUE,
                        new TableNameValidator(),
                        ConfigDef.Importance.HIGH,
                        "The target table, 'table' or 'schema.table'. The target service owns it: the sink never "
                                + "creates or alters it, and checks at start that it has every lineage column.",
                        WRITES_GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Target table")
                .define(
                        VERSION_HEADER,
                        ConfigDef.Type.STRING,
                        Lineage.Field.SOURCE_POSITION.header(),
                        new ConfigDef.NonEmptyString(),
                        ConfigDef.Importance.MEDIUM,
                        "The record header holding the change's version (int64, or a string of digits). A change "
                                + "is applied only if its version is newer than the row's stored version.",
                        WRITES_GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Version header")
                .define(
                        VERSION_FIELD,
                        ConfigDef.Type.STRING,
                        "",
                        ConfigDef.Importance.LOW,
                        "A value field that orders versions instead of the header (a number, or a Timestamp whose "
                                + "epoch milliseconds are used), e.g. a legacy row-version column. Deletes carry no "
                                + "fields, so their version still comes from the header. Empty: use the header.",
                        WRITES_GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Version field")
                .define(
                        DELETE_MODE,
                        ConfigDef.Type.STRING,
                        DeleteMode.SOFT.name().toLowerCase(),
                        ConfigDef.CaseInsensitiveValidString.in("soft", "hard"),
                        ConfigDef.Importance.MEDIUM,
                        "'soft': a delete keeps the row as a versioned marker (lineage_deleted_at set), so a late, "
                                + "older change cannot bring it back; readers skip rows with lineage_deleted_at set. "
                                + "'hard': a delete removes the row; a late change older than the delete then "
                                + "recreates it.",
                        WRITES_GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Delete mode")
                .define(
                        DELETE_RETENTION_MS,
                        ConfigDef.Type.LONG,
                        7L * 24 * 60 * 60 * 1000,
                        ConfigDef.Range.atLeast(0),
                        ConfigDef.Importance.LOW,
                        "How long soft-delete markers are kept before they are purged, in milliseconds; 0 keeps "
                                + "them for ever. Keep it longer than any replay or backfill you may run: a change "
                                + "older than a purged marker could recreate the row.",
                        WRITES_GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Delete marker retention (ms)")
                .define(
                        OFFSETS_STORAGE,
                        ConfigDef.Type.STRING,
                        "kafka",
                        ConfigDef.CaseInsensitiveValidString.in("kafka", "target"),
                        ConfigDef.Importance.MEDIUM,
                        "Where consumed offsets are kept. 'kafka': Connect's consumer group, as for any sink. "
                                + "'target': also in offsets.table in the target database, in the same transaction "
                                + "as the rows; the task resumes from there, so a crash between the database "
                                + "commit and Kafka's offset commit neither loses nor re-applies a change.",
                        WRITES_GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Offsets storage")
                .define(
                        OFFSETS_TABLE,
                        ConfigDef.Type.STRING,
                        "migration_sink_offsets",
                        new TableNameValidator(),
                        ConfigDef.Importance.LOW,
                        "The table that holds consumed offsets when offsets.storage=target (created if missing; "
                                + "one row per connector, topic and partition).",
                        WRITES_GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Offsets table")
                .define(
                        WRITE_METHOD,
                        ConfigDef.Type.STRING,
                        "auto",
                        ConfigDef.CaseInsensitiveValidString.in("auto", "statements", "copy"),
                        ConfigDef.Importance.LOW,
                        "How rows reach the table: 'statements' (version-guarded upserts; multi-row on PostgreSQL), "
                                + "'copy' (PostgreSQL only: COPY into a temporary staging table, then one guarded "
                                + "INSERT ... SELECT ... ON CONFLICT per batch), or 'auto': copy for batches of 200 "
                                + "rows or more where the database has it (it measured faster there), statements "
                                + "otherwise.",
                        WRITES_GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Write method")
                .define(
                        TABLE_AUTO_CREATE,
                        ConfigDef.Type.BOOLEAN,
                        false,
                        ConfigDef.Importance.LOW,
                        "Create the target table from the first record's schema if it does not exist: key "
                                + "fields as primary key, value fields as nullable columns, every lineage column, "
                                + "an index on lineage_source_key. For sandboxes and tests; in production the target "
                                + "service owns its schema.",
                        WRITES_GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Create table")
                .define(
                        FRAGMENT_COLUMNS,
                        ConfigDef.Type.LIST,
                        List.of(),
                        ConfigDef.Importance.MEDIUM,
                        "When several sources feed one target row, the columns this connector owns (its fragment). "
                                + "It writes only these, guarded by fragment.version.column, and a delete empties "
                                + "them and leaves the rest of the row. Empty: the connector writes whole rows.",
                        WRITES_GROUP,
                        ++order,
                        ConfigDef.Width.LONG,
                        "Fragment columns")
                .define(
                        FRAGMENT_VERSION_COLUMN,
                        ConfigDef.Type.STRING,
                        "",
                        ConfigDef.Importance.MEDIUM,
                        "The column holding the version of this connector's fragment (a bigint). Required with "
                                + "fragment.columns.",
                        WRITES_GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Fragment version column")
                .define(
                        FRAGMENT_DELETES,
                        ConfigDef.Type.STRING,
                        "fragment",
                        ConfigDef.ValidString.in("fragment", "row"),
                        ConfigDef.Importance.MEDIUM,
                        "What a delete from this fragment's source does: 'fragment' empties the fragment and leaves "
                                + "the rest of the row; 'row' deletes the row (as delete.mode says: a marker or a "
                                + "hard delete), for the source that owns the row, such as a policy header whose "
                                + "premium is another fragment. Guarded by the fragment's version either way.",
                        WRITES_GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Fragment deletes")
                .define(
                        OWNERSHIP_TABLE,
                        ConfigDef.Type.STRING,
                        "",
                        ConfigDef.Importance.MEDIUM,
                        "The control table saying, per migration unit and partition value, who owns writes: "
                                + "LEGACY (CDC changes are applied) or TARGET (they are not; each is reported to the "
                                + "dead letter queue as LEGACY_WRITE_AFTER_CUTOVER). Created if missing. Empty: no "
                                + "ownership gate, every change is applied.",
                        OWNERSHIP_GROUP,
                        1,
                        ConfigDef.Width.MEDIUM,
                        "Ownership table")
                .define(
                        OWNERSHIP_UNIT,
                        ConfigDef.Type.STRING,
                        "",
                        ConfigDef.Importance.MEDIUM,
                        "The migration unit this sink writes, as named in the control table. Empty: the target "
                                + "table's name.",
                        OWNERSHIP_GROUP,
                        2,
                        ConfigDef.Width.MEDIUM,
                        "Migration unit")
                .define(
                        OWNERSHIP_PARTITION_FIELD,
                        ConfigDef.Type.STRING,
                        "",
                        ConfigDef.Importance.MEDIUM,
                        "The field whose value is the ownership partition (tenant, region...). Deletes carry no "
                                + "value: theirs is read from the key, or else from the target row.",
                        OWNERSHIP_GROUP,
                        3,
                        ConfigDef.Width.MEDIUM,
                        "Partition field")
                .define(
                        OWNERSHIP_REFRESH_MS,
                        ConfigDef.Type.LONG,
                        5000L,
                        ConfigDef.Range.atLeast(0),
                        ConfigDef.Importance.LOW,
                        "How long an ownership answer is cached before the control table is read again.",
                        OWNERSHIP_GROUP,
                        4,
                        ConfigDef.Width.SHORT,
                        "Ownership refresh (ms)")
                .define(
                        LANE_TRANSACTIONS_TABLE,
                        ConfigDef.Type.STRING,
                        "",
                        TableNameValidator.orEmpty(),
                        ConfigDef.Importance.MEDIUM,
                        "With a write-back lane: the table in the target store where both lanes record the "
                                + "transactions they commit (the write-back sink's lane.transactions.table). The sink "
                                + "then records each of its own transactions there and drops the legacy changes the "
                                + "write-back made (its echoes) instead of applying them or reporting them as legacy "
                                + "writes after cutover. Created if missing. Empty: no write-back lane.",
                        OWNERSHIP_GROUP,
                        5,
                        ConfigDef.Width.MEDIUM,
                        "Lane transactions table");
        HandOverConfig.define(def, OWNERSHIP_GROUP, 6, "to TARGET (with ownership.table)", false);
        RetryConfig.define(def, RETRIES_GROUP, 1, -1, 3000L, "a batch");
        StatusConfig.define(def, "Status", 1, "no status records");
        return def;
    }

    public JdbcConnectionConfig connection() {
        return connection;
    }

    public TableId table() {
        return table;
    }

    public String versionHeader() {
        return getString(VERSION_HEADER);
    }

    /** The value field holding the version, or empty to read the header. */
    public Optional<String> versionField() {
        String field = getString(VERSION_FIELD);
        return field.isBlank() ? Optional.empty() : Optional.of(field);
    }

    public DeleteMode deleteMode() {
        return DeleteMode.valueOf(getString(DELETE_MODE).toUpperCase(Locale.ROOT));
    }

    public long deleteRetentionMillis() {
        return getLong(DELETE_RETENTION_MS);
    }

    public boolean offsetsInTarget() {
        return "target".equalsIgnoreCase(getString(OFFSETS_STORAGE));
    }

    public TableId offsetsTable() {
        return TableId.parse(getString(OFFSETS_TABLE));
    }

    public WriteMethod writeMethod() {
        String method = getString(WRITE_METHOD).toUpperCase(Locale.ROOT);
        return WriteMethod.valueOf(method);
    }

    public boolean autoCreateTable() {
        return getBoolean(TABLE_AUTO_CREATE);
    }

    /** The fragment this connector writes, or empty when it writes whole rows. */
    public Optional<Fragment> fragment() {
        List<String> columns = getList(FRAGMENT_COLUMNS);
        if (columns.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                new Fragment(columns, getString(FRAGMENT_VERSION_COLUMN), "row".equals(getString(FRAGMENT_DELETES))));
    }

    /** The ownership control table, or empty when no gate is configured. */
    public Optional<TableId> ownershipTable() {
        String table = getString(OWNERSHIP_TABLE);
        return table.isBlank() ? Optional.empty() : Optional.of(TableId.parse(table));
    }

    public String ownershipUnit() {
        String unit = getString(OWNERSHIP_UNIT);
        return unit.isBlank() ? table().table() : unit;
    }

    public String ownershipPartitionField() {
        return getString(OWNERSHIP_PARTITION_FIELD);
    }

    /** The lanes' transaction log, when a write-back lane runs beside this sink. */
    public Optional<TableId> laneTransactionsTable() {
        String table = getString(LANE_TRANSACTIONS_TABLE);
        return table.isBlank() ? Optional.empty() : Optional.of(TableId.parse(table));
    }

    public Duration ownershipRefresh() {
        return Duration.ofMillis(getLong(OWNERSHIP_REFRESH_MS));
    }
}
