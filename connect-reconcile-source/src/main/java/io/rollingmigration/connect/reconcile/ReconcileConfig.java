package io.rollingmigration.connect.reconcile;

import io.rollingmigration.connect.common.config.JdbcConnectionConfig;
import io.rollingmigration.connect.common.config.RetryConfig;
import io.rollingmigration.connect.common.config.TableNameValidator;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.reconcile.drift.Severity;
import io.rollingmigration.connect.reconcile.drift.SeverityPolicy;
import java.util.Arrays;
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
    public static final String MAX_RETRIES = RetryConfig.MAX_RETRIES;
    public static final String RETRY_BACKOFF_MS = RetryConfig.RETRY_BACKOFF_MS;
    public static final String HASH_PUSHDOWN = "hash.pushdown";
    public static final String HASH_PUSHDOWN_BUCKETS = "hash.pushdown.buckets";

    /** How a run chooses its rows. */
    public enum Mode {
        /** Every run compares every row. */
        FULL,
        /** Runs compare the rows changed since the previous run; a full sweep runs every full.sweep.interval.ms. */
        INCREMENTAL
    }

    private static final String COMPARISON_GROUP = "Comparison";
    private static final String OUTPUT_GROUP = "Output";
    private static final String SCHEDULE_GROUP = "Schedule";
    private static final String LOAD_GROUP = "Load";

    public static final ConfigDef CONFIG_DEF = definition();

    public ReconcileConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals);
    }

    private static ConfigDef definition() {
        ConfigDef def = new ConfigDef();
        JdbcConnectionConfig.define(def, LEGACY_PREFIX, "Legacy database", "the legacy database (read only)");
        JdbcConnectionConfig.define(def, TARGET_PREFIX, "Target database", "the target database (read only)");
        int order = 0;
        def.define(
                        LEGACY_TABLE,
                        ConfigDef.Type.STRING,
                        ConfigDef.NO_DEFAULT_VALUE,
                        new TableNameValidator(),
                        ConfigDef.Importance.HIGH,
                        "The legacy table, 'table' or 'schema.table'.",
                        COMPARISON_GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Legacy table")
                .define(
                        TARGET_TABLE,
                        ConfigDef.Type.STRING,
                        ConfigDef.NO_DEFAULT_VALUE,
                        new TableNameValidator(),
                        ConfigDef.Importance.HIGH,
                        "The target table, 'table' or 'schema.table'. It must have the "
                                + "lineage columns the sink writes: target rows are paired with legacy rows by "
                                + "lineage_source_key.",
                        COMPARISON_GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Target table")
                .define(
                        KEY_COLUMNS,
                        ConfigDef.Type.LIST,
                        List.of(),
                        ConfigDef.Importance.MEDIUM,
                        "The legacy key columns, as the lineage source key holds them. Empty: the legacy table's "
                                + "primary key.",
                        COMPARISON_GROUP,
                        ++order,
                        ConfigDef.Width.LONG,
                        "Legacy key columns")
                .define(
                        MAPPING_SPEC,
                        ConfigDef.Type.STRING,
                        "",
                        ConfigDef.Importance.HIGH,
                        "The mapping spec (YAML or JSON, or a ${file:...} reference) the pipeline translates "
                                + "with. Set: each legacy row is translated with it and the aggregate compared "
                                + "with the target row field by field. Empty: legacy and target columns of the "
                                + "same name are compared as they are.",
                        COMPARISON_GROUP,
                        ++order,
                        ConfigDef.Width.LONG,
                        "Mapping spec")
                .define(
                        MAPPING_AGGREGATE,
                        ConfigDef.Type.STRING,
                        "",
                        ConfigDef.Importance.HIGH,
                        "The aggregate of the mapping spec that the target table holds. Empty: the spec's only "
                                + "aggregate.",
                        COMPARISON_GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Aggregate of the spec")
                .define(
                        COMPARE_COLUMNS,
                        ConfigDef.Type.LIST,
                        List.of(),
                        ConfigDef.Importance.MEDIUM,
                        "Without a mapping spec, the columns compared value by value. Empty: every column "
                                + "present in both tables, except the key and the lineage columns.",
                        COMPARISON_GROUP,
                        ++order,
                        ConfigDef.Width.LONG,
                        "Compared columns")
                .define(
                        LINEAGE_SOURCE_TABLE,
                        ConfigDef.Type.STRING,
                        "",
                        ConfigDef.Importance.LOW,
                        "Only target rows whose lineage_source_table equals this (e.g. 'public.customer') take "
                                + "part, for target tables fed from several legacy tables. Empty: every row.",
                        COMPARISON_GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Lineage source table")
                .define(
                        TARGET_FRAGMENT,
                        ConfigDef.Type.BOOLEAN,
                        false,
                        ConfigDef.Importance.MEDIUM,
                        "True when the target rows are fed by several legacy tables (the sink's fragment.columns) "
                                + "and this reconciler checks the part legacy.table feeds: the spec's fields. Rows "
                                + "are paired by the aggregate's key, not by the last writer's lineage; a target "
                                + "row lacking the part is MISSING_FRAGMENT drift, one holding it without a legacy "
                                + "row UNEXPECTED_FRAGMENT. Needs mapping.spec and lineage.source.table (the table "
                                + "name this fragment's sink stamps, which tells its writes from the others'); "
                                + "not with hash.pushdown.",
                        COMPARISON_GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Target fragment")
                .define(
                        TOLERANCE_TIMESTAMP_MS,
                        ConfigDef.Type.LONG,
                        0L,
                        ConfigDef.Range.atLeast(0),
                        ConfigDef.Importance.LOW,
                        "Timestamps that differ by at most this many milliseconds are equal (stores of "
                                + "different precision). Decimals are always compared regardless of scale.",
                        COMPARISON_GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Timestamp tolerance (ms)")
                .define(
                        TOLERANCE_CASE_FIELDS,
                        ConfigDef.Type.LIST,
                        List.of(),
                        ConfigDef.Importance.LOW,
                        "Fields whose text is compared ignoring case.",
                        COMPARISON_GROUP,
                        ++order,
                        ConfigDef.Width.LONG,
                        "Case-insensitive fields")
                .define(
                        TOLERANCE_WHITESPACE_FIELDS,
                        ConfigDef.Type.LIST,
                        List.of(),
                        ConfigDef.Importance.LOW,
                        "Fields whose text is compared ignoring leading, trailing and repeated white space.",
                        COMPARISON_GROUP,
                        ++order,
                        ConfigDef.Width.LONG,
                        "White-space-insensitive fields")
                .define(
                        RULES,
                        ConfigDef.Type.LIST,
                        List.of(),
                        ConfigDef.Importance.MEDIUM,
                        "Names of invariants checked on every pair of rows. Each name needs 'rule.<name>': an "
                                + "expression over 'legacy' and 'target' (the mapping spec's expression "
                                + "language) that must be true, e.g. same(decimal(legacy.balance_cents), target.balance * decimal(100)); "
                                + "optionally 'rule.<name>.severity'. A false or failing rule is RULE_VIOLATION "
                                + "drift.",
                        COMPARISON_GROUP,
                        ++order,
                        ConfigDef.Width.LONG,
                        "Rules");
        order = 0;
        def.define(
                        AGGREGATE,
                        ConfigDef.Type.STRING,
                        "",
                        ConfigDef.Importance.MEDIUM,
                        "The name drift records are keyed by. Empty: the spec's aggregate, else the target table's "
                                + "name.",
                        OUTPUT_GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Aggregate")
                .define(
                        DRIFT_TOPIC,
                        ConfigDef.Type.STRING,
                        ConfigDef.NO_DEFAULT_VALUE,
                        new ConfigDef.NonEmptyString(),
                        ConfigDef.Importance.HIGH,
                        "Topic of open drift, keyed by aggregate and target key; a key that comes back into "
                                + "line gets a tombstone. Make it compacted: it is then the live set of open drift.",
                        OUTPUT_GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Drift topic")
                .define(
                        SUMMARY_TOPIC,
                        ConfigDef.Type.STRING,
                        "",
                        ConfigDef.Importance.MEDIUM,
                        "Topic of run summaries: progress while a run proceeds, figures when it ends. Empty: the "
                                + "drift topic's name followed by '.summary'.",
                        OUTPUT_GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Summary topic")
                .define(
                        SEVERITY_KINDS,
                        ConfigDef.Type.LIST,
                        SeverityPolicy.DEFAULT_KINDS,
                        SeverityPolicy.VALIDATOR,
                        ConfigDef.Importance.LOW,
                        "Severity per drift kind, as KIND:SEVERITY pairs; severities are "
                                + Arrays.toString(Severity.values()) + ".",
                        OUTPUT_GROUP,
                        ++order,
                        ConfigDef.Width.LONG,
                        "Severity per kind")
                .define(
                        SEVERITY_FIELDS,
                        ConfigDef.Type.LIST,
                        List.of(),
                        SeverityPolicy.VALIDATOR,
                        ConfigDef.Importance.LOW,
                        "Severity of a mismatch per field, as field:SEVERITY pairs; a FIELD_MISMATCH takes the "
                                + "highest severity of its differing fields and of its kind.",
                        OUTPUT_GROUP,
                        ++order,
                        ConfigDef.Width.LONG,
                        "Severity per field")
                .define(
                        MASK_FIELDS,
                        ConfigDef.Type.LIST,
                        List.of(),
                        ConfigDef.Importance.MEDIUM,
                        "Fields holding personal data: drift records say that they differ but show '***' "
                                + "instead of their values.",
                        OUTPUT_GROUP,
                        ++order,
                        ConfigDef.Width.LONG,
                        "Masked fields")
                .define(
                        STATE_BOOTSTRAP_SERVERS,
                        ConfigDef.Type.STRING,
                        ConfigDef.NO_DEFAULT_VALUE,
                        new ConfigDef.NonEmptyString(),
                        ConfigDef.Importance.HIGH,
                        "Kafka bootstrap servers the tasks read the drift topic back from when they start, to "
                                + "know which drift is open and tombstone it once resolved. Settings prefixed "
                                + "with 'drift.state.consumer.' (security, for example) go to that consumer.",
                        OUTPUT_GROUP,
                        ++order,
                        ConfigDef.Width.LONG,
                        "Drift state bootstrap servers");
        order = 0;
        def.define(
                        MODE,
                        ConfigDef.Type.STRING,
                        "full",
                        ConfigDef.CaseInsensitiveValidString.in("full", "incremental"),
                        ConfigDef.Importance.MEDIUM,
                        "'full': every run compares every row. 'incremental': runs compare the rows changed since "
                                + "the previous run (legacy.change.column, and the target's lineage_applied_at), "
                                + "plus open drift; a full run happens every full.sweep.interval.ms.",
                        SCHEDULE_GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Mode")
                .define(
                        CHANGE_COLUMN,
                        ConfigDef.Type.STRING,
                        "",
                        ConfigDef.Importance.MEDIUM,
                        "A legacy column that every write sets to the time of the change (e.g. updated_at). Used "
                                + "by incremental runs, and to hold a mismatch as in flight while the target's "
                                + "applied position is older than the legacy change.",
                        SCHEDULE_GROUP,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Legacy change column")
                .define(
                        INCREMENTAL_OVERLAP_MS,
                        ConfigDef.Type.LONG,
                        60_000L,
                        ConfigDef.Range.atLeast(0),
                        ConfigDef.Importance.LOW,
                        "Incremental runs also re-check changes this much older than the previous run's start, "
                                + "for transactions that committed late.",
                        SCHEDULE_GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Incremental overlap (ms)")
                .define(
                        FULL_SWEEP_INTERVAL_MS,
                        ConfigDef.Type.LONG,
                        86_400_000L,
                        ConfigDef.Range.atLeast(0),
                        ConfigDef.Importance.LOW,
                        "In incremental mode, the time between full runs (they also find legacy deletes and "
                                + "direct edits of the target that no change column shows).",
                        SCHEDULE_GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Full sweep interval (ms)")
                .define(
                        INTERVAL_MS,
                        ConfigDef.Type.LONG,
                        60_000L,
                        ConfigDef.Range.atLeast(100),
                        ConfigDef.Importance.MEDIUM,
                        "Time between the starts of two runs, in milliseconds. A restarted task keeps the "
                                + "schedule of its last completed run.",
                        SCHEDULE_GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Interval (ms)")
                .define(
                        PROGRESS_INTERVAL_MS,
                        ConfigDef.Type.LONG,
                        10_000L,
                        ConfigDef.Range.atLeast(100),
                        ConfigDef.Importance.LOW,
                        "How often a running sweep publishes its progress (and commits the position a restarted "
                                + "task resumes from).",
                        SCHEDULE_GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Progress interval (ms)")
                .define(
                        RECHECK_DELAY_MS,
                        ConfigDef.Type.LONG,
                        5_000L,
                        ConfigDef.Range.atLeast(0),
                        ConfigDef.Importance.MEDIUM,
                        "A difference is first held as suspect and checked again after this delay, or after "
                                + "twice the replication lag observed in the target, whichever is longer; only a "
                                + "difference that persists is drift.",
                        SCHEDULE_GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Recheck delay (ms)")
                .define(
                        RECHECK_MAX_WAIT_MS,
                        ConfigDef.Type.LONG,
                        600_000L,
                        ConfigDef.Range.atLeast(0),
                        ConfigDef.Importance.LOW,
                        "A suspect whose legacy change the pipeline has still not applied after this long is "
                                + "reported as drift anyway: the pipeline is stuck.",
                        SCHEDULE_GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Recheck max wait (ms)")
                .define(
                        SUSPECTS_MAX,
                        ConfigDef.Type.INT,
                        100_000,
                        ConfigDef.Range.atLeast(1),
                        ConfigDef.Importance.LOW,
                        "Suspects held at once; when full, the sweep waits for rechecks before reading on, so "
                                + "memory stays bounded.",
                        SCHEDULE_GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Max suspects");
        order = 0;
        def.define(
                        CHUNK_SIZE,
                        ConfigDef.Type.INT,
                        1000,
                        ConfigDef.Range.between(1, 20_000),
                        ConfigDef.Importance.LOW,
                        "Rows read per query from each side; memory use is bounded by it whatever the table size.",
                        LOAD_GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Chunk size")
                .define(
                        ROWS_PER_SECOND,
                        ConfigDef.Type.INT,
                        0,
                        ConfigDef.Range.atLeast(0),
                        ConfigDef.Importance.MEDIUM,
                        "Most legacy rows a task compares per second, to bound the load on production "
                                + "databases. 0: no limit.",
                        LOAD_GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Rows per second")
                .define(
                        STATEMENT_TIMEOUT_MS,
                        ConfigDef.Type.LONG,
                        30_000L,
                        ConfigDef.Range.atLeast(1000),
                        ConfigDef.Importance.LOW,
                        "Longest a query may run on either database (rounded up to whole seconds) before it is "
                                + "cancelled and the run retried.",
                        LOAD_GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Statement timeout (ms)");
        RetryConfig.define(def, LOAD_GROUP, ++order, 5, 5000L, "a run's step");
        order++;
        def.define(
                        HASH_PUSHDOWN,
                        ConfigDef.Type.BOOLEAN,
                        false,
                        ConfigDef.Importance.MEDIUM,
                        "Full sweeps first compute, in SQL on both databases, a digest per bucket of legacy keys "
                                + "(rows and a sum of row hashes, the legacy rows translated in SQL), and compare "
                                + "one by one only the rows of buckets whose digests differ. Needs PostgreSQL on "
                                + "both sides, a mapping spec whose fields SQL can compute, no rules and no "
                                + "rows.per.second limit: each digest is one full scan of its table.",
                        LOAD_GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Hash pushdown")
                .define(
                        HASH_PUSHDOWN_BUCKETS,
                        ConfigDef.Type.INT,
                        65_536,
                        (name, value) -> {
                            int buckets = (Integer) value;
                            if (Integer.bitCount(buckets) != 1 || buckets < 256 || buckets > 4_194_304) {
                                throw new ConfigException(
                                        name, value, "must be a power of two from 256 to " + "4194304");
                            }
                        },
                        ConfigDef.Importance.LOW,
                        "Buckets of the hash pushdown: more buckets, fewer rows compared one by one around each "
                                + "difference, and 24 bytes of task memory per bucket and side.",
                        LOAD_GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Hash pushdown buckets");
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

    public boolean hashPushdown() {
        return getBoolean(HASH_PUSHDOWN);
    }

    public int hashPushdownBuckets() {
        return getInt(HASH_PUSHDOWN_BUCKETS);
    }

    public int rowsPerSecond() {
        return getInt(ROWS_PER_SECOND);
    }

    public int statementTimeoutSeconds() {
        return (int) Math.max(1, (getLong(STATEMENT_TIMEOUT_MS) + 999) / 1000);
    }

    public int maxRetries() {
        return RetryConfig.maxRetries(this);
    }

    public long retryBackoffMillis() {
        return RetryConfig.retryBackoffMillis(this);
    }
}
