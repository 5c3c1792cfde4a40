package io.rollingmigration.connect.dashboard;

import io.rollingmigration.connect.common.config.JdbcConnectionConfig;
import io.rollingmigration.connect.common.config.TableNameValidator;
import io.rollingmigration.connect.common.status.StatusConfig;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The dashboard's settings, read from the worker's properties under {@code migration.dashboard.}: the status topic,
 * the service stores that hold each unit's control tables (ownership, its journal, the read-routing plan, the
 * audit trail), the guard rails on moves, and read-only mode. A worker's properties take Connect's config
 * providers, so a store's password can come from a file or the environment.
 */
public final class DashboardConfig extends AbstractConfig {

    public static final String PREFIX = "migration.dashboard.";

    public static final String STATUS_TOPIC = "status.topic";
    public static final String READ_ONLY = "read.only";
    public static final String STORES = "stores";
    public static final String STALE_AFTER_INTERVALS = "stale.after.intervals";
    public static final String HISTORY_SAMPLE_MS = "history.sample.ms";
    public static final String GUARD_MAX_LAG_MS = "guard.max.lag.ms";
    public static final String GUARD_MAX_VERIFICATION_AGE_MS = "guard.max.verification.age.ms";
    public static final String GUARD_MIN_ALIGNMENT_PCT = "guard.min.alignment.pct";
    public static final String CONSUMER_PREFIX = "consumer.";

    public static final String STORE_UNITS = "units";
    public static final String STORE_OWNERSHIP_TABLE = "ownership.table";
    public static final String STORE_MOVES_TABLE = "ownership.moves.table";
    public static final String STORE_ROUTING_TABLE = "read.routing.table";
    public static final String STORE_AUDIT_TABLE = "audit.table";

    private static final String GENERAL = "Dashboard";
    private static final String GUARDS = "Guard rails";

    /** One service store: the units whose control tables it holds, how to reach it, and the tables' names. */
    public record Store(
            String name,
            List<String> units,
            JdbcConnectionConfig connection,
            String ownershipTable,
            String movesTable,
            String routingTable,
            String auditTable) {}

    private final Map<String, Store> storesByUnit = new LinkedHashMap<>();
    private final Map<String, Object> workerClient;

    /** @param worker the worker's properties, as Connect hands them to a REST extension */
    public DashboardConfig(Map<String, ?> worker) {
        super(definition(storeNames(worker)), dashboardSettings(worker));
        for (String name : getList(STORES)) {
            String prefix = storePrefix(name);
            List<String> units = getList(prefix + STORE_UNITS);
            Store store = new Store(
                    name,
                    units.isEmpty() ? List.of(name) : units,
                    JdbcConnectionConfig.from(this, prefix),
                    getString(prefix + STORE_OWNERSHIP_TABLE),
                    getString(prefix + STORE_MOVES_TABLE).trim(),
                    getString(prefix + STORE_ROUTING_TABLE),
                    getString(prefix + STORE_AUDIT_TABLE));
            for (String unit : store.units()) {
                Store before = storesByUnit.put(unit, store);
                if (before != null) {
                    throw new ConfigException(
                            PREFIX + prefix + STORE_UNITS,
                            unit,
                            "unit " + unit
                                    + " is named by two stores, " + before.name() + " and " + name
                                    + "; each unit's control tables live in one store");
                }
            }
        }
        workerClient = StatusConfig.connectionSettings(worker);
        workerClient.putAll(originalsWithPrefix(CONSUMER_PREFIX));
    }

    private static Map<String, Object> dashboardSettings(Map<String, ?> worker) {
        Map<String, Object> settings = new HashMap<>();
        worker.forEach((key, value) -> {
            if (key.startsWith(PREFIX)) {
                settings.put(key.substring(PREFIX.length()), value);
            }
        });
        return settings;
    }

    private static List<String> storeNames(Map<String, ?> worker) {
        Object stores = worker.get(PREFIX + STORES);
        if (stores == null || stores.toString().isBlank()) {
            return List.of();
        }
        return List.of(stores.toString().trim().split("\\s*,\\s*"));
    }

    private static String storePrefix(String name) {
        return "store." + name + ".";
    }

    static ConfigDef definition(List<String> stores) {
        ConfigDef def = new ConfigDef()
                .define(
                        STATUS_TOPIC,
                        ConfigDef.Type.STRING,
                        StatusConfig.DEFAULT_TOPIC,
                        new ConfigDef.NonEmptyString(),
                        ConfigDef.Importance.MEDIUM,
                        "The compacted topic the plugins publish their status records to (their status.topic).",
                        GENERAL,
                        1,
                        ConfigDef.Width.MEDIUM,
                        "Status topic")
                .define(
                        READ_ONLY,
                        ConfigDef.Type.BOOLEAN,
                        false,
                        ConfigDef.Importance.HIGH,
                        "True: the dashboard only shows; every PUT is refused with 403, whoever asks.",
                        GENERAL,
                        2,
                        ConfigDef.Width.SHORT,
                        "Read only")
                .define(
                        STORES,
                        ConfigDef.Type.LIST,
                        List.of(),
                        ConfigDef.Importance.HIGH,
                        "Names of the service stores whose control tables the dashboard shows and writes; each "
                                + "is set up with migration.dashboard.store.<name>.* keys. Empty: status only, "
                                + "no ownership or read-routing view, every PUT refused.",
                        GENERAL,
                        3,
                        ConfigDef.Width.LONG,
                        "Stores")
                .define(
                        STALE_AFTER_INTERVALS,
                        ConfigDef.Type.INT,
                        3,
                        ConfigDef.Range.atLeast(2),
                        ConfigDef.Importance.LOW,
                        "A task's figures are shown as stale once it has not published for this many of its "
                                + "status intervals (its worker gone, its broker unreachable).",
                        GENERAL,
                        4,
                        ConfigDef.Width.SHORT,
                        "Stale after (intervals)")
                .define(
                        HISTORY_SAMPLE_MS,
                        ConfigDef.Type.LONG,
                        10_000L,
                        ConfigDef.Range.atLeast(1_000),
                        ConfigDef.Importance.LOW,
                        "How often the worker samples the figures for the page's charts, which show the last "
                                + "hour.",
                        GENERAL,
                        5,
                        ConfigDef.Width.SHORT,
                        "History sample (ms)")
                .define(
                        GUARD_MAX_LAG_MS,
                        ConfigDef.Type.LONG,
                        30_000L,
                        ConfigDef.Range.atLeast(0),
                        ConfigDef.Importance.MEDIUM,
                        "A move of write ownership is refused while the lane that must catch up (the forward "
                                + "lane for a move to TARGET, the write-back lane for one back to LEGACY) shows a "
                                + "replication lag p99 above this many milliseconds, or no fresh figures.",
                        GUARDS,
                        1,
                        ConfigDef.Width.SHORT,
                        "Max lag (ms)")
                .define(
                        GUARD_MAX_VERIFICATION_AGE_MS,
                        ConfigDef.Type.LONG,
                        86_400_000L,
                        ConfigDef.Range.atLeast(0),
                        ConfigDef.Importance.MEDIUM,
                        "A move of write ownership, or of reads to CANARY or TARGET, is refused when the unit's "
                                + "last full reconciliation finished longer ago than this (24 h, as Vitess marks "
                                + "a VDiff stale), or no full reconciliation of it has been reported.",
                        GUARDS,
                        2,
                        ConfigDef.Width.SHORT,
                        "Max verification age (ms)")
                .define(
                        GUARD_MIN_ALIGNMENT_PCT,
                        ConfigDef.Type.DOUBLE,
                        100.0,
                        ConfigDef.Range.between(0.0, 100.0),
                        ConfigDef.Importance.MEDIUM,
                        "... and when that reconciliation's alignment, in any of its key ranges, was below this "
                                + "percentage.",
                        GUARDS,
                        3,
                        ConfigDef.Width.SHORT,
                        "Min alignment (%)");
        for (String store : stores) {
            String prefix = storePrefix(store);
            String group = "Store " + store;
            def.define(
                    prefix + STORE_UNITS,
                    ConfigDef.Type.LIST,
                    List.of(),
                    ConfigDef.Importance.HIGH,
                    "The migration units whose control tables live in this store. Empty: one unit named as the "
                            + "store.",
                    group,
                    1,
                    ConfigDef.Width.LONG,
                    "Units");
            JdbcConnectionConfig.define(def, prefix, group, "the service store " + store);
            def.define(
                            prefix + STORE_OWNERSHIP_TABLE,
                            ConfigDef.Type.STRING,
                            "migration_ownership",
                            new TableNameValidator(),
                            ConfigDef.Importance.MEDIUM,
                            "The ownership control table, as the sinks' ownership.table names it.",
                            group,
                            20,
                            ConfigDef.Width.MEDIUM,
                            "Ownership table")
                    .define(
                            prefix + STORE_MOVES_TABLE,
                            ConfigDef.Type.STRING,
                            "migration_ownership_moves",
                            TableNameValidator.orEmpty(),
                            ConfigDef.Importance.MEDIUM,
                            "The journal of hand-overs, as the sinks' ownership.moves.table names it: a move is "
                                    + "requested there and the lane that must catch up carries it out. Empty: the "
                                    + "dashboard writes the ownership table itself (sinks without hand-overs).",
                            group,
                            21,
                            ConfigDef.Width.MEDIUM,
                            "Ownership moves table")
                    .define(
                            prefix + STORE_ROUTING_TABLE,
                            ConfigDef.Type.STRING,
                            "migration_read_routing",
                            new TableNameValidator(),
                            ConfigDef.Importance.MEDIUM,
                            "The read-routing plan the facades follow.",
                            group,
                            22,
                            ConfigDef.Width.MEDIUM,
                            "Read-routing table")
                    .define(
                            prefix + STORE_AUDIT_TABLE,
                            ConfigDef.Type.STRING,
                            "migration_dashboard_audit",
                            new TableNameValidator(),
                            ConfigDef.Importance.LOW,
                            "Where every change asked through the dashboard is recorded: when, by whom, what, "
                                    + "why, whether the guard rails were forced, and what became of it. Created "
                                    + "if missing.",
                            group,
                            23,
                            ConfigDef.Width.MEDIUM,
                            "Audit table");
        }
        return def;
    }

    public String statusTopic() {
        return getString(STATUS_TOPIC);
    }

    public boolean readOnly() {
        return getBoolean(READ_ONLY);
    }

    /** The store that holds a unit's control tables, or {@code null}. */
    public Store storeOf(String unit) {
        return storesByUnit.get(unit);
    }

    /** Every unit a store names, in the order configured. */
    public List<String> configuredUnits() {
        return List.copyOf(storesByUnit.keySet());
    }

    /** Bootstrap servers and security settings for the dashboard's consumer: the worker's own, then overrides. */
    public Map<String, Object> kafkaClient() {
        return new HashMap<>(workerClient);
    }

    public int staleAfterIntervals() {
        return getInt(STALE_AFTER_INTERVALS);
    }

    public long historySampleMillis() {
        return getLong(HISTORY_SAMPLE_MS);
    }

    public GuardRails.Bounds guardBounds() {
        return new GuardRails.Bounds(
                getLong(GUARD_MAX_LAG_MS), getLong(GUARD_MAX_VERIFICATION_AGE_MS), getDouble(GUARD_MIN_ALIGNMENT_PCT));
    }
}
