package io.rollingmigration.connect.reconcile.config;

import static io.rollingmigration.connect.reconcile.ReconcileConfig.*;

import io.rollingmigration.connect.common.config.TableNameValidator;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;

/** The reconciler's "Comparison" settings: which rows are compared with which, and what counts as equal. */
public final class ComparisonSettings {

    private static final String GROUP = "Comparison";

    private ComparisonSettings() {}

    public static void define(ConfigDef def) {
        int order = 0;
        def.define(
                        LEGACY_TABLE,
                        ConfigDef.Type.STRING,
                        ConfigDef.NO_DEFAULT_VALUE,
                        new TableNameValidator(),
                        ConfigDef.Importance.HIGH,
                        "The legacy table, 'table' or 'schema.table'.",
                        GROUP,
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
                        GROUP,
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
                        GROUP,
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
                        GROUP,
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
                        GROUP,
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
                        GROUP,
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
                        GROUP,
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
                        GROUP,
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
                        GROUP,
                        ++order,
                        ConfigDef.Width.SHORT,
                        "Timestamp tolerance (ms)")
                .define(
                        TOLERANCE_CASE_FIELDS,
                        ConfigDef.Type.LIST,
                        List.of(),
                        ConfigDef.Importance.LOW,
                        "Fields whose text is compared ignoring case.",
                        GROUP,
                        ++order,
                        ConfigDef.Width.LONG,
                        "Case-insensitive fields")
                .define(
                        TOLERANCE_WHITESPACE_FIELDS,
                        ConfigDef.Type.LIST,
                        List.of(),
                        ConfigDef.Importance.LOW,
                        "Fields whose text is compared ignoring leading, trailing and repeated white space.",
                        GROUP,
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
                        GROUP,
                        ++order,
                        ConfigDef.Width.LONG,
                        "Rules");
    }
}
