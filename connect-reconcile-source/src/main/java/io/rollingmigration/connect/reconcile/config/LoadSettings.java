package io.rollingmigration.connect.reconcile.config;

import static io.rollingmigration.connect.reconcile.ReconcileConfig.*;

import io.rollingmigration.connect.common.config.RetryConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** The reconciler's "Load" settings: how hard a run may press on the production databases, and how it retries. */
public final class LoadSettings {

    private static final String GROUP = "Load";

    private LoadSettings() {}

    public static void define(ConfigDef def) {
        int order = 0;
        def.define(
                        CHUNK_SIZE,
                        ConfigDef.Type.INT,
                        1000,
                        ConfigDef.Range.between(1, 20_000),
                        ConfigDef.Importance.LOW,
                        "Rows read per query from each side; memory use is bounded by it whatever the table size.",
                        GROUP,
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
                        GROUP,
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
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Statement timeout (ms)")
                .define(
                        SCAN_TIMEOUT_MS,
                        ConfigDef.Type.LONG,
                        600_000L,
                        ConfigDef.Range.atLeast(1000),
                        ConfigDef.Importance.LOW,
                        "Longest a whole-table query may run (the hash pushdown's digests), rounded up to "
                                + "whole seconds; the connection's socket timeout is raised above it for that query.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Scan timeout (ms)");
        RetryConfig.define(def, GROUP, ++order, -1, 5000L, "a run's step");
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
                        GROUP,
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
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Hash pushdown buckets");
    }
}
