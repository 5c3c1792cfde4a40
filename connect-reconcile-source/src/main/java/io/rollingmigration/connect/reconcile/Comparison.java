package io.rollingmigration.connect.reconcile;

import io.rollingmigration.connect.common.compare.Expectation;
import io.rollingmigration.connect.common.compare.FieldComparator;
import io.rollingmigration.connect.common.compare.IdentityExpectation;
import io.rollingmigration.connect.common.compare.Judge;
import io.rollingmigration.connect.common.compare.OwnedPartitions;
import io.rollingmigration.connect.common.compare.RuleBook;
import io.rollingmigration.connect.common.compare.SpecExpectation;
import io.rollingmigration.connect.common.dialect.TableDescription;
import io.rollingmigration.connect.common.drift.DriftKind;
import io.rollingmigration.connect.common.drift.Severity;
import io.rollingmigration.connect.common.drift.SeverityPolicy;
import io.rollingmigration.connect.common.lane.IdMapping;
import io.rollingmigration.connect.common.lane.LaneTransactions;
import io.rollingmigration.connect.common.lineage.Lineage;
import io.rollingmigration.connect.common.ownership.OwnershipGate;
import io.rollingmigration.connect.common.spec.AggregateTranslator;
import io.rollingmigration.connect.common.spec.FieldRecipe;
import io.rollingmigration.connect.common.spec.LegacyColumns;
import io.rollingmigration.connect.common.spec.MappingSpec;
import io.rollingmigration.connect.common.spec.SpecCompiler;
import io.rollingmigration.connect.common.spec.SpecException;
import io.rollingmigration.connect.reconcile.digest.DigestPlan;
import io.rollingmigration.connect.reconcile.digest.NotPushable;
import io.rollingmigration.connect.reconcile.pairing.AggregateKeyPairing;
import io.rollingmigration.connect.reconcile.pairing.LineagePairing;
import io.rollingmigration.connect.reconcile.pairing.MappedKeyPairing;
import io.rollingmigration.connect.reconcile.pairing.Pairing;
import io.rollingmigration.connect.reconcile.store.IdMappingLookup;
import io.rollingmigration.connect.reconcile.store.LegacyTable;
import io.rollingmigration.connect.reconcile.store.Session;
import io.rollingmigration.connect.reconcile.store.TargetTable;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * What "correct" means for one table pair, built from the configuration: the mapping spec's aggregate (or the
 * identity), the tolerances, the rules and the severities. Everything that can be checked without a database is
 * checked here, so the connector's validation reports it on the offending setting.
 */
public final class Comparison {

    private final ReconcileConfig config;
    private final AggregateTranslator translator;
    private final RuleBook rules;
    private final FieldComparator comparator;
    private final SeverityPolicy severities;

    private Comparison(
            ReconcileConfig config,
            AggregateTranslator translator,
            RuleBook rules,
            FieldComparator comparator,
            SeverityPolicy severities) {
        this.config = config;
        this.translator = translator;
        this.rules = rules;
        this.comparator = comparator;
        this.severities = severities;
    }

    /**
     * Compiles the spec and the rules. A problem is a {@link ConfigException} naming the setting: the spec's with
     * the path inside the spec, or the rule's.
     */
    public static Comparison of(ReconcileConfig config) {
        AggregateTranslator translator = translator(config);
        SeverityPolicy severities = config.severityPolicy();
        Map<String, String> ruleExpressions = config.rules();
        Map<String, Severity> ruleSeverities = new LinkedHashMap<>();
        ruleExpressions
                .keySet()
                .forEach(name ->
                        ruleSeverities.put(name, config.ruleSeverity(name, severities.of(DriftKind.RULE_VIOLATION))));
        RuleBook rules;
        try {
            rules = new RuleBook(ruleExpressions, ruleSeverities);
        } catch (SpecException e) {
            throw new ConfigException(
                    e.path(),
                    ruleExpressions.get(e.path().substring(ReconcileConfig.RULE_PREFIX.length())),
                    e.getMessage());
        }
        FieldComparator comparator = comparator(config, translator);
        if (config.hashPushdown()) {
            checkPushable(config, translator);
        }
        if (config.targetFragment()) {
            checkFragment(config, translator);
        }
        if (config.reverse()) {
            checkReverse(config, translator);
        }
        return new Comparison(config, translator, rules, comparator, severities);
    }

    /** The masked fields are those the config names and those the spec marks {@code masked}. */
    private static FieldComparator comparator(ReconcileConfig config, AggregateTranslator translator) {
        List<String> masked = new ArrayList<>(config.maskedFields());
        if (translator != null) {
            translator.maskedFields().stream().filter(f -> !masked.contains(f)).forEach(masked::add);
        }
        return new FieldComparator(
                config.getLong(ReconcileConfig.TOLERANCE_TIMESTAMP_MS),
                config.getList(ReconcileConfig.TOLERANCE_CASE_FIELDS),
                config.getList(ReconcileConfig.TOLERANCE_WHITESPACE_FIELDS),
                masked);
    }

    /**
     * The spec compiled against the legacy table's own column types, so every expression is checked against the
     * values the table really holds: a type the spec leaves out is the table's, one it contradicts is an error.
     *
     * @throws SpecException naming the spec's path
     */
    public AggregateTranslator translatorFor(TableDescription legacyTable) {
        if (translator == null) {
            return null;
        }
        Map<String, AggregateTranslator> compiled = SpecCompiler.compile(
                MappingSpec.parse(config.mappingSpec()),
                LegacyColumns.of(legacyTable),
                config.legacyTable().toString());
        return SpecCompiler.pick(compiled, translator.name());
    }

    /**
     * Reads the legacy table's column types, if the database answers within a few seconds, and compiles the spec
     * against them: validation then refuses an expression whose columns' real types cannot become its field's type.
     * A database that cannot be reached is not a validation error; the task reports it when it starts.
     */
    public Optional<String> problemWithLegacyTable() {
        if (translator == null) {
            return Optional.empty();
        }
        CompletableFuture<Optional<String>> check = CompletableFuture.supplyAsync(() -> {
            try (Session session = Session.open(config.legacyConnection(), LEGACY_CHECK_SECONDS)) {
                Optional<TableDescription> table =
                        TableDescription.read(session.connection(), session.dialect(), config.legacyTable());
                if (table.isEmpty()) {
                    return Optional.empty();
                }
                translatorFor(table.get());
                return Optional.<String>empty();
            } catch (SpecException e) {
                return Optional.of("against legacy table " + config.legacyTable() + ": " + e.getMessage());
            } catch (SQLException | RuntimeException e) {
                return Optional.<String>empty();
            }
        });
        try {
            return check.get(LEGACY_CHECK_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static final int LEGACY_CHECK_SECONDS = 10;

    private static void checkFragment(ReconcileConfig config, AggregateTranslator translator) {
        if (translator == null) {
            throw new ConfigException(
                    ReconcileConfig.TARGET_FRAGMENT,
                    true,
                    "a fragment is the fields of a mapping " + "spec's aggregate: set " + ReconcileConfig.MAPPING_SPEC);
        }
        if (config.lineageSourceTable() == null) {
            throw new ConfigException(
                    ReconcileConfig.LINEAGE_SOURCE_TABLE,
                    "",
                    "a fragment's reconciler needs the "
                            + "lineage source table its sink stamps (e.g. public.policy_premium), to tell its writes from "
                            + "the other fragments'");
        }
        if (config.hashPushdown()) {
            throw new ConfigException(
                    ReconcileConfig.HASH_PUSHDOWN,
                    true,
                    "digests cover whole rows, and a " + "fragment is part of one; leave it off for a fragment");
        }
    }

    private static void checkReverse(ReconcileConfig config, AggregateTranslator translator) {
        String problem = null;
        String key = ReconcileConfig.DIRECTION;
        if (translator == null) {
            problem =
                    "the reverse direction compares through the spec's aggregate: set " + ReconcileConfig.MAPPING_SPEC;
        } else if (translator.ownershipField() == null) {
            problem = "aggregate '" + translator.name() + "' names no ownership field in the spec, so nothing says "
                    + "which partitions the service owns";
        } else if (config.mode() != ReconcileConfig.Mode.FULL) {
            key = ReconcileConfig.MODE;
            problem = "the reverse direction compares every row each run (legacy rows carry no time of the "
                    + "write-back's changes): set mode=full";
        } else if (config.hashPushdown()) {
            key = ReconcileConfig.HASH_PUSHDOWN;
            problem = "digests pair rows through their lineage, which rows the service created lack: leave it off "
                    + "with direction=reverse";
        } else if (config.targetFragment()) {
            key = ReconcileConfig.TARGET_FRAGMENT;
            problem = "the reverse direction compares whole rows: leave it off with direction=reverse";
        }
        if (problem != null) {
            throw new ConfigException(key, config.getString(key).toString(), problem);
        }
    }

    /** What can be checked of the hash pushdown before the tables are seen. */
    private static void checkPushable(ReconcileConfig config, AggregateTranslator translator) {
        String problem = null;
        if (translator == null) {
            problem = "needs a mapping spec (" + ReconcileConfig.MAPPING_SPEC + ")";
        } else if (!config.rules().isEmpty()) {
            problem = "rules check rows one by one; a digest cannot tell whether a rule holds";
        } else if (config.rowsPerSecond() > 0) {
            problem = "a digest scans each table at once and cannot keep to " + ReconcileConfig.ROWS_PER_SECOND;
        } else {
            try {
                DigestPlan.requirePostgres(
                        config.legacyConnection().dialect(),
                        config.targetConnection().dialect());
                DigestPlan.checkRecipes(translator.recipes());
            } catch (NotPushable e) {
                problem = e.getMessage();
            }
        }
        if (problem != null) {
            throw new ConfigException(
                    ReconcileConfig.HASH_PUSHDOWN, true, problem + "; leave it off for this " + "aggregate");
        }
    }

    private static AggregateTranslator translator(ReconcileConfig config) {
        String spec = config.mappingSpec();
        if (spec.isBlank()) {
            if (!config.mappingAggregate().isBlank()) {
                throw new ConfigException(
                        ReconcileConfig.MAPPING_AGGREGATE,
                        config.mappingAggregate(),
                        "an aggregate needs a mapping spec: set " + ReconcileConfig.MAPPING_SPEC);
            }
            return null;
        }
        Map<String, AggregateTranslator> aggregates;
        try {
            aggregates = SpecCompiler.compile(spec);
        } catch (SpecException e) {
            throw new ConfigException(ReconcileConfig.MAPPING_SPEC, "(spec)", e.getMessage());
        }
        String wanted = config.mappingAggregate();
        if (wanted.isBlank()) {
            if (aggregates.size() != 1) {
                throw new ConfigException(
                        ReconcileConfig.MAPPING_AGGREGATE,
                        wanted,
                        "the spec has aggregates " + aggregates.keySet() + ": name the one the target table holds");
            }
            return aggregates.values().iterator().next();
        }
        AggregateTranslator translator = aggregates.get(wanted);
        if (translator == null) {
            throw new ConfigException(
                    ReconcileConfig.MAPPING_AGGREGATE,
                    wanted,
                    "the spec has no aggregate '" + wanted + "'; it has " + aggregates.keySet());
        }
        return translator;
    }

    /** The aggregate name drift records are keyed by. */
    public String aggregate() {
        return config.aggregate(translator == null ? null : translator.name());
    }

    /** The migration unit the ownership and routing tables name: {@code ownership.unit}, else the aggregate. */
    public String migrationUnit() {
        return config.ownershipUnit(translator == null ? aggregate() : translator.name());
    }

    /** The rule drift records name: the spec's {@code name@version}, or {@code identity}. */
    public String rule() {
        return translator == null ? "identity" : translator.rule();
    }

    /** Describes both tables over the sessions and returns what compares their rows. */
    public Prepared prepare(Session legacySession, Session targetSession) throws SQLException {
        LegacyTable legacy =
                LegacyTable.describe(legacySession, config.legacyTable(), config.keyColumns(), config.changeColumn());
        Expectation expectation;
        String keyField;
        AggregateTranslator translator;
        try {
            translator = translatorFor(legacy.description());
        } catch (SpecException e) {
            throw new ConnectException(ReconcileConfig.MAPPING_SPEC + " does not fit legacy table "
                    + config.legacyTable() + ": " + e.getMessage());
        }
        if (translator != null) {
            SpecExpectation spec = new SpecExpectation(translator);
            expectation = spec;
            keyField = spec.keyField();
        } else {
            expectation = new IdentityExpectation(legacy.key().names(), identityFields(targetSession, legacy));
            keyField = null;
        }
        String filledColumn = translator == null ? null : filledKeyColumn(translator, legacy);
        boolean keyIsLegacyKey = translator != null
                && filledColumn == null
                && legacy.key().size() == 1
                && translator.keyColumns().equals(legacy.key().names())
                && copies(translator, legacy.key().names().get(0));
        boolean fragment = config.targetFragment() && translator != null;
        boolean mapped = !fragment && (filledColumn != null || config.reverse() || config.idMappingTable() != null);
        if (mapped && config.hashPushdown()) {
            throw new ConnectException(ReconcileConfig.HASH_PUSHDOWN + " pairs rows through their lineage alone; "
                    + "with an id mapping, a key a transform adds or direction=reverse, set it to false");
        }
        if (fragment && filledColumn != null) {
            throw new ConnectException("A fragment is paired by the aggregate's key, which the spec makes of column '"
                    + filledColumn + "' that legacy table " + config.legacyTable() + " lacks");
        }
        TargetTable target = TargetTable.describe(
                targetSession,
                config.targetTable(),
                keyField,
                expectation.fields(),
                fragment ? null : config.lineageSourceTable());
        if (fragment) {
            target.asFragmentOf(config.lineageSourceTable());
        }
        if (translator == null && !target.keyColumns().equals(legacy.key().names())) {
            throw new ConnectException("Without a mapping spec the target key must be the legacy key "
                    + legacy.key().names() + ", but target table " + config.targetTable() + " is keyed by "
                    + target.keyColumns());
        }
        Judge judge;
        if (fragment) {
            judge = Judge.ofFragment(expectation, comparator, rules, severities, config.changeColumn());
        } else if (config.reverse()) {
            OwnershipGate owners = new OwnershipGate(
                    targetSession.dialect(),
                    config.ownershipTable(),
                    config.ownershipUnit(translator.name()),
                    OWNERSHIP_REFRESH,
                    targetSession::connection);
            judge = Judge.reverse(
                    expectation,
                    comparator,
                    rules,
                    severities,
                    OwnedPartitions.of(translator.ownershipField(), owners));
            target.asCopiedBackBy(
                    new LaneTransactions(targetSession.dialect(), config.laneTransactionsTable(), "reconciler"));
        } else {
            judge = new Judge(expectation, comparator, rules, severities, config.changeColumn());
        }
        Pairing pairing;
        if (fragment) {
            pairing = new AggregateKeyPairing(
                    legacy, target, judge, expectation, translator.keyColumns(), config.chunkSize());
        } else if (mapped) {
            IdMappingLookup ids = config.idMappingTable() == null
                    ? null
                    : new IdMappingLookup(
                            legacySession, new IdMapping(legacySession.dialect(), config.idMappingTable()));
            pairing = new MappedKeyPairing(
                    legacy, target, judge, expectation, filledColumn, keyIsLegacyKey, ids, config.chunkSize());
        } else {
            pairing = new LineagePairing(legacy, target, judge, config.chunkSize());
        }
        DigestPlan digests = null;
        if (config.hashPushdown() && translator != null) {
            List<FieldRecipe> recipes = new ArrayList<>();
            for (FieldRecipe recipe : translator.recipes()) {
                if (expectation.fields().contains(recipe.name())) {
                    recipes.add(recipe);
                }
            }
            try {
                digests = DigestPlan.of(
                        legacySession.dialect(),
                        legacy.description(),
                        legacy.key().names(),
                        targetSession.dialect(),
                        target.description(),
                        recipes,
                        config.lineageSourceTable(),
                        config.hashPushdownBuckets(),
                        translator.keyColumns());
            } catch (NotPushable e) {
                throw new ConnectException(ReconcileConfig.HASH_PUSHDOWN + " cannot be used with these tables: "
                        + e.getMessage() + "; set it to false");
            }
        }
        return new Prepared(legacy, target, judge, pairing, digests);
    }

    /** How long the reverse direction trusts an answer of the ownership table. */
    private static final Duration OWNERSHIP_REFRESH = Duration.ofSeconds(5);

    /**
     * The spec's key column that the legacy table lacks (a transform, MapId, adds it in the pipeline), or
     * {@code null} when the key is made of legacy columns.
     *
     * @throws ConnectException when the key reads such a column in any way but as it is: its value cannot be
     *                          told from a target row
     */
    private String filledKeyColumn(AggregateTranslator translator, LegacyTable legacy) {
        List<String> missing = new ArrayList<>();
        for (String column : translator.keyColumns()) {
            if (!legacy.columns().contains(column)) {
                missing.add(column);
            }
        }
        if (missing.isEmpty()) {
            return null;
        }
        if (missing.size() == 1 && translator.keyColumns().size() == 1 && copies(translator, missing.get(0))) {
            return missing.get(0);
        }
        throw new ConnectException("The key of aggregate '" + translator.name() + "' is made from " + missing
                + ", which legacy table " + config.legacyTable() + " lacks; the reconciler fills such a column "
                + "(a transform's, e.g. MapId's target.field) only when the key is that one column as it is");
    }

    /** True if the aggregate's id is this column's value as it is. */
    private static boolean copies(AggregateTranslator translator, String column) {
        String probe = "reconciler-probe-1";
        try {
            return probe.equals(translator.targetId(Map.of(column, probe)));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private List<String> identityFields(Session targetSession, LegacyTable legacy) throws SQLException {
        TableDescription target = TableDescription.read(
                        targetSession.connection(), targetSession.dialect(), config.targetTable())
                .orElseThrow(() -> new ConnectException("Target table " + config.targetTable() + " does not exist"));
        targetSession.endTransaction();
        List<String> fields = new ArrayList<>();
        if (config.compareColumns().isEmpty()) {
            for (String column : legacy.columns()) {
                if (!legacy.key().names().contains(column)
                        && !Lineage.isLineageColumn(column)
                        && target.column(column).isPresent()) {
                    fields.add(column);
                }
            }
        } else {
            for (String column : config.compareColumns()) {
                if (!legacy.columns().contains(column)) {
                    throw new ConnectException(
                            "Compared column '" + column + "' is not a column of legacy table " + config.legacyTable());
                }
                fields.add(column);
            }
        }
        return fields;
    }

    /** Both tables, described, and the judge of their rows. */
    public record Prepared(LegacyTable legacy, TargetTable target, Judge judge, Pairing pairing, DigestPlan digests) {}
}
