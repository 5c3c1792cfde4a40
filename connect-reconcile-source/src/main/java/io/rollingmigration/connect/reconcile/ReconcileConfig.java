package io.rollingmigration.connect.reconcile;

import io.rollingmigration.connect.common.config.JdbcConnectionConfig;
import io.rollingmigration.connect.common.config.TableNameValidator;
import io.rollingmigration.connect.common.dialect.TableId;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

import java.util.List;
import java.util.Map;

/** Every setting of the reconciler, with its default, validation and documentation. */
public final class ReconcileConfig extends AbstractConfig {

    public static final String LEGACY_PREFIX = "legacy.";
    public static final String TARGET_PREFIX = "target.";
    public static final String LEGACY_TABLE = "legacy.table";
    public static final String TARGET_TABLE = "target.table";
    public static final String KEY_COLUMNS = "key.columns";
    public static final String COMPARE_COLUMNS = "compare.columns";
    public static final String AGGREGATE = "aggregate";
    public static final String DRIFT_TOPIC = "drift.topic";
    public static final String SUMMARY_TOPIC = "summary.topic";
    public static final String INTERVAL_MS = "interval.ms";
    public static final String CHUNK_SIZE = "chunk.size";
    public static final String MAX_RETRIES = "max.retries";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";

    private static final String COMPARISON_GROUP = "Comparison";
    private static final String OUTPUT_GROUP = "Output";
    private static final String SCHEDULE_GROUP = "Schedule";

    public static final ConfigDef CONFIG_DEF = definition();

    public ReconcileConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals);
    }

    private static ConfigDef definition() {
        ConfigDef def = new ConfigDef();
        JdbcConnectionConfig.define(def, LEGACY_PREFIX, "Legacy database", "the legacy database (read only)");
        JdbcConnectionConfig.define(def, TARGET_PREFIX, "Target database", "the target database (read only)");
        int order = 0;
        def.define(LEGACY_TABLE, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new TableNameValidator(),
                        ConfigDef.Importance.HIGH, "The legacy table, 'table' or 'schema.table'.",
                        COMPARISON_GROUP, ++order, ConfigDef.Width.MEDIUM, "Legacy table")
                .define(TARGET_TABLE, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new TableNameValidator(),
                        ConfigDef.Importance.HIGH, "The target table, 'table' or 'schema.table'.",
                        COMPARISON_GROUP, ++order, ConfigDef.Width.MEDIUM, "Target table")
                .define(KEY_COLUMNS, ConfigDef.Type.LIST, List.of(), ConfigDef.Importance.MEDIUM,
                        "The key columns that pair legacy and target rows (same names on both sides). Empty: the "
                                + "legacy table's primary key.",
                        COMPARISON_GROUP, ++order, ConfigDef.Width.LONG, "Key columns")
                .define(COMPARE_COLUMNS, ConfigDef.Type.LIST, List.of(), ConfigDef.Importance.MEDIUM,
                        "The columns compared value by value. Empty: every column present in both tables, except "
                                + "the key and the lineage columns.",
                        COMPARISON_GROUP, ++order, ConfigDef.Width.LONG, "Compared columns")
                .define(AGGREGATE, ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
                        "The name drift records are keyed by. Empty: the target table's name.",
                        OUTPUT_GROUP, 1, ConfigDef.Width.MEDIUM, "Aggregate")
                .define(DRIFT_TOPIC, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                        ConfigDef.Importance.HIGH,
                        "Topic for drift records, one per difference, keyed by aggregate and legacy key. Make it "
                                + "compacted so it holds the latest finding per key.",
                        OUTPUT_GROUP, 2, ConfigDef.Width.MEDIUM, "Drift topic")
                .define(SUMMARY_TOPIC, ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
                        "Topic for the summary of each sweep. Empty: the drift topic's name followed by "
                                + "'.summary'.",
                        OUTPUT_GROUP, 3, ConfigDef.Width.MEDIUM, "Summary topic")
                .define(INTERVAL_MS, ConfigDef.Type.LONG, 60_000L, ConfigDef.Range.atLeast(100),
                        ConfigDef.Importance.MEDIUM,
                        "Time between the starts of two sweeps, in milliseconds. A restarted task keeps the "
                                + "schedule of the last completed sweep.",
                        SCHEDULE_GROUP, 1, ConfigDef.Width.SHORT, "Interval (ms)")
                .define(CHUNK_SIZE, ConfigDef.Type.INT, 1000, ConfigDef.Range.between(1, 1_000_000),
                        ConfigDef.Importance.LOW,
                        "Rows read per query from each side; memory use is bounded by it whatever the table size.",
                        SCHEDULE_GROUP, 2, ConfigDef.Width.SHORT, "Chunk size")
                .define(MAX_RETRIES, ConfigDef.Type.INT, 5, ConfigDef.Range.atLeast(0), ConfigDef.Importance.LOW,
                        "Consecutive sweeps that may fail on an unreachable database before the task fails.",
                        SCHEDULE_GROUP, 3, ConfigDef.Width.SHORT, "Max retries")
                .define(RETRY_BACKOFF_MS, ConfigDef.Type.LONG, 5000L, ConfigDef.Range.atLeast(0),
                        ConfigDef.Importance.LOW,
                        "Wait before retrying a sweep that failed on an unreachable database, in milliseconds.",
                        SCHEDULE_GROUP, 4, ConfigDef.Width.SHORT, "Retry back-off (ms)");
        return def;
    }

    public JdbcConnectionConfig legacyConnection() {
        return JdbcConnectionConfig.from(this, LEGACY_PREFIX);
    }

    public JdbcConnectionConfig targetConnection() {
        return JdbcConnectionConfig.from(this, TARGET_PREFIX);
    }

    public TableId legacyTable() {
        return TableId.parse(getString(LEGACY_TABLE));
    }

    public TableId targetTable() {
        return TableId.parse(getString(TARGET_TABLE));
    }

    public List<String> keyColumns() {
        return getList(KEY_COLUMNS);
    }

    public List<String> compareColumns() {
        return getList(COMPARE_COLUMNS);
    }

    public String aggregate() {
        String aggregate = getString(AGGREGATE);
        return aggregate.isBlank() ? targetTable().table() : aggregate;
    }

    public String driftTopic() {
        return getString(DRIFT_TOPIC);
    }

    public String summaryTopic() {
        String topic = getString(SUMMARY_TOPIC);
        return topic.isBlank() ? driftTopic() + ".summary" : topic;
    }

    public long intervalMillis() {
        return getLong(INTERVAL_MS);
    }

    public int chunkSize() {
        return getInt(CHUNK_SIZE);
    }

    public int maxRetries() {
        return getInt(MAX_RETRIES);
    }

    public long retryBackoffMillis() {
        return getLong(RETRY_BACKOFF_MS);
    }
}
