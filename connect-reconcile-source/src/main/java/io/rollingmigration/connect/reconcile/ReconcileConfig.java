package io.rollingmigration.connect.reconcile;

import io.rollingmigration.connect.common.config.JdbcConnectionConfig;
import io.rollingmigration.connect.common.config.RetryConfig;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.drift.Severity;
import io.rollingmigration.connect.common.drift.SeverityPolicy;
import io.rollingmigration.connect.common.status.StatusConfig;
import io.rollingmigration.connect.reconcile.config.ComparisonSettings;
import io.rollingmigration.connect.reconcile.config.DirectionSettings;
import io.rollingmigration.connect.reconcile.config.LoadSettings;
import io.rollingmigration.connect.reconcile.config.OutputSettings;
import io.rollingmigration.connect.reconcile.config.ReadShiftSettings;
import io.rollingmigration.connect.reconcile.config.ScheduleSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Every setting of the reconciler, with its default, validation and documentation. */
public final class ReconcileConfig extends AbstractConfig {

    public static final String LEGACY_PREFIX = "legacy.";
    public static final String TARGET_PREFIX = "target.";
    public static final String LEGACY_TABLE = "legacy.table";
    public static final String TARGET_TABLE = "target.table";
    public static final String KEY_COLUMNS = "key.columns";
    public static final String MAPPING_SPEC = "mapping.spec";
    public static final String MAPPING_AGGREGATE = "mapping.aggregate";
    public static final String COMPARE_COLUMNS = "compare.columns";
    public static final String LINEAGE_SOURCE_TABLE = "lineage.source.table";
    public static final String TARGET_FRAGMENT = "target.fragment";
    public static final String TOLERANCE_TIMESTAMP_MS = "tolerance.timestamp.ms";
    public static final String TOLERANCE_CASE_FIELDS = "tolerance.case.insensitive.fields";
    public static final String TOLERANCE_WHITESPACE_FIELDS = "tolerance.whitespace.fields";
    public static final String RULES = "rules";
    public static final String RULE_PREFIX = "rule.";
    public static final String AGGREGATE = "aggregate";
    public static final String DRIFT_TOPIC = "drift.topic";
    public static final String SUMMARY_TOPIC = "summary.topic";
    public static final String SEVERITY_KINDS = "severity.kinds";
    public static final String SEVERITY_FIELDS = "severity.fields";
    public static final String MASK_FIELDS = "mask.fields";
    public static final String STATE_BOOTSTRAP_SERVERS = "drift.state.bootstrap.servers";
    public static final String STATE_CONSUMER_PREFIX = "drift.state.consumer.";
    public static final String MODE = "mode";
    public static final String CHANGE_COLUMN = "legacy.change.column";
    public static final String INCREMENTAL_OVERLAP_MS = "incremental.overlap.ms";
    public static final String FULL_SWEEP_INTERVAL_MS = "full.sweep.interval.ms";
    public static final String INTERVAL_MS = "interval.ms";
    public static final String PROGRESS_INTERVAL_MS = "progress.interval.ms";
    public static final String RECHECK_DELAY_MS = "recheck.delay.ms";
    public static final String RECHECK_MAX_WAIT_MS = "recheck.max.wait.ms";
    public static final String SUSPECTS_MAX = "suspects.max";
    public static final String CHUNK_SIZE = "chunk.size";
    public static final String ROWS_PER_SECOND = "rows.per.second";
    public static final String STATEMENT_TIMEOUT_MS = "statement.timeout.ms";
    public static final String SCAN_TIMEOUT_MS = "scan.statement.timeout.ms";
    public static final String MAX_RETRIES = RetryConfig.MAX_RETRIES;
    public static final String RETRY_BACKOFF_MS = RetryConfig.RETRY_BACKOFF_MS;
    public static final String HASH_PUSHDOWN = "hash.pushdown";
    public static final String HASH_PUSHDOWN_BUCKETS = "hash.pushdown.buckets";
    public static final String DIRECTION = "direction";
    public static final String ID_MAPPING_TABLE = "id.mapping.table";
    public static final String OWNERSHIP_TABLE = "ownership.table";
    public static final String OWNERSHIP_UNIT = "ownership.unit";
    public static final String LANE_TRANSACTIONS_TABLE = "lane.transactions.table";
    public static final String READ_SHIFT_TOPIC = "read.shift.topic";
    public static final String READ_SHIFT_ROUTING_TOPIC = "read.shift.routing.topic";
    public static final String READ_SHIFT_WINDOW_MS = "read.shift.window.ms";

    /** How a run chooses its rows. */
    public enum Mode {
        /** Every run compares every row. */
        FULL,
        /** Runs compare the rows changed since the previous run; a full sweep runs every full.sweep.interval.ms. */
        INCREMENTAL
    }

    /**
     * The reconciler bounds its statements itself (statement.timeout.ms, scan.statement.timeout.ms); the socket
     * bound is above the statement default, so that a cancelled query is reported as such, not as a lost socket.
     */
    private static final JdbcConnectionConfig.Timeouts TIMEOUTS = new JdbcConnectionConfig.Timeouts(10_000, 90_000, -1);

    public static final ConfigDef CONFIG_DEF = definition();

    public ReconcileConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals);
    }

    private static ConfigDef definition() {
        ConfigDef def = new ConfigDef();
        JdbcConnectionConfig.define(
                def, LEGACY_PREFIX, "Legacy database", "the legacy database (read only)", true, TIMEOUTS);
        JdbcConnectionConfig.define(
                def, TARGET_PREFIX, "Target database", "the target database (read only)", true, TIMEOUTS);
        ComparisonSettings.define(def);
        DirectionSettings.define(def);
        OutputSettings.define(def);
        ScheduleSettings.define(def);
        LoadSettings.define(def);
        ReadShiftSettings.define(def);
        StatusConfig.define(
                def,
                "Status",
                1,
                "drift.state.bootstrap.servers, with the security settings of " + STATE_CONSUMER_PREFIX + "*");
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

    public String mappingSpec() {
        return getString(MAPPING_SPEC);
    }

    public String mappingAggregate() {
        return getString(MAPPING_AGGREGATE);
    }

    public List<String> compareColumns() {
        return getList(COMPARE_COLUMNS);
    }

    public boolean targetFragment() {
        return getBoolean(TARGET_FRAGMENT);
    }

    public String lineageSourceTable() {
        String table = getString(LINEAGE_SOURCE_TABLE);
        return table.isBlank() ? null : table;
    }

    /** The aggregate name drift is keyed by, given the spec's aggregate (or {@code null} without a spec). */
    public String aggregate(String specAggregate) {
        String aggregate = getString(AGGREGATE);
        if (!aggregate.isBlank()) {
            return aggregate;
        }
        if (specAggregate != null && targetFragment() && lineageSourceTable() != null) {
            // Each fragment's reconciler keeps its own drift: keyed by aggregate alone, one would close the other's.
            String table = lineageSourceTable();
            return specAggregate + "." + table.substring(table.lastIndexOf('.') + 1);
        }
        if (specAggregate != null && reverse()) {
            // The reverse reconciler's drift is another truth's: keyed alike, each direction would close the other's.
            return specAggregate + ".reverse";
        }
        return specAggregate != null ? specAggregate : targetTable().table();
    }

    public String driftTopic() {
        return getString(DRIFT_TOPIC);
    }

    public String summaryTopic() {
        String topic = getString(SUMMARY_TOPIC);
        return topic.isBlank() ? driftTopic() + ".summary" : topic;
    }

    public SeverityPolicy severityPolicy() {
        return SeverityPolicy.from(getList(SEVERITY_KINDS), getList(SEVERITY_FIELDS));
    }

    public List<String> maskedFields() {
        return getList(MASK_FIELDS);
    }

    /** Rule name to expression, in the configured order; a missing expression is a {@link ConfigException}. */
    public Map<String, String> rules() {
        Map<String, String> rules = new LinkedHashMap<>();
        for (String name : getList(RULES)) {
            Object expression = originals().get(RULE_PREFIX + name);
            if (expression == null || expression.toString().isBlank()) {
                throw new ConfigException(
                        RULES,
                        getList(RULES),
                        "rule '" + name + "' has no expression: set '" + RULE_PREFIX + name + "'");
            }
            rules.put(name, expression.toString());
        }
        return rules;
    }

    /** The severity of a rule's violations: 'rule.<name>.severity', else the RULE_VIOLATION kind's severity. */
    public Severity ruleSeverity(String name, Severity fallback) {
        Object value = originals().get(RULE_PREFIX + name + ".severity");
        return value == null ? fallback : Severity.parse(RULE_PREFIX + name + ".severity", value.toString());
    }

    public String stateBootstrapServers() {
        return getString(STATE_BOOTSTRAP_SERVERS);
    }

    /** The read-shift lane's comparisons topic, or empty when the reconciler shows no read-shift figures. */
    public String readShiftTopic() {
        return getString(READ_SHIFT_TOPIC).trim();
    }

    public Map<String, Object> stateConsumerSettings() {
        return originalsWithPrefix(STATE_CONSUMER_PREFIX);
    }

    public Mode mode() {
        return Mode.valueOf(getString(MODE).toUpperCase(Locale.ROOT));
    }

    public String changeColumn() {
        String column = getString(CHANGE_COLUMN);
        return column.isBlank() ? null : column;
    }

    public long incrementalOverlapMillis() {
        return getLong(INCREMENTAL_OVERLAP_MS);
    }

    public long fullSweepIntervalMillis() {
        return getLong(FULL_SWEEP_INTERVAL_MS);
    }

    public long intervalMillis() {
        return getLong(INTERVAL_MS);
    }

    public long progressIntervalMillis() {
        return getLong(PROGRESS_INTERVAL_MS);
    }

    public long recheckDelayMillis() {
        return getLong(RECHECK_DELAY_MS);
    }

    public long recheckMaxWaitMillis() {
        return getLong(RECHECK_MAX_WAIT_MS);
    }

    public int suspectsMax() {
        return getInt(SUSPECTS_MAX);
    }

    public int chunkSize() {
        return getInt(CHUNK_SIZE);
    }

    /** True when the service's store is the truth and legacy the copy (for the partitions the service owns). */
    public boolean reverse() {
        return getString(DIRECTION).equalsIgnoreCase("reverse");
    }

    /** The id-mapping table in legacy, or {@code null}. */
    public TableId idMappingTable() {
        String table = getString(ID_MAPPING_TABLE);
        return table.isBlank() ? null : TableId.parse(table);
    }

    public TableId ownershipTable() {
        return TableId.parse(getString(OWNERSHIP_TABLE));
    }

    public String ownershipUnit(String specAggregate) {
        String unit = getString(OWNERSHIP_UNIT);
        return unit.isBlank() ? specAggregate : unit;
    }

    public TableId laneTransactionsTable() {
        return TableId.parse(getString(LANE_TRANSACTIONS_TABLE));
    }

    public boolean hashPushdown() {
        return getBoolean(HASH_PUSHDOWN);
    }

    public int hashPushdownBuckets() {
        return getInt(HASH_PUSHDOWN_BUCKETS);
    }

    public int rowsPerSecond() {
        return getInt(ROWS_PER_SECOND);
    }

    public int scanTimeoutSeconds() {
        return (int) Math.max(1, (getLong(SCAN_TIMEOUT_MS) + 999) / 1000);
    }

    public int statementTimeoutSeconds() {
        return (int) Math.max(1, (getLong(STATEMENT_TIMEOUT_MS) + 999) / 1000);
    }
}
