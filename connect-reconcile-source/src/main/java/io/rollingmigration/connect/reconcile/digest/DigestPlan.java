package io.rollingmigration.connect.reconcile.digest;

import io.rollingmigration.connect.common.dialect.ColumnDescription;
import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.TableDescription;
import io.rollingmigration.connect.common.dialect.Where;
import io.rollingmigration.connect.common.lineage.Lineage;
import io.rollingmigration.connect.common.spec.FieldRecipe;
import io.rollingmigration.connect.reconcile.dialect.PostgresDigests;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The two digest queries of an aggregate and the bucket expression of each side, or the reason they cannot be
 * written. Only PostgreSQL on both sides: the hash functions must be the same on both.
 */
public final class DigestPlan {

    private final int buckets;
    private final String legacyTable;
    private final String targetTable;
    private final String legacyBucket;
    private final String targetBucket;
    private final String targetCondition;
    private final boolean bindsSourceTable;
    private final String legacyRowDigest;
    private final String targetRowDigest;
    private final boolean oneTargetRowPerLegacyKey;

    /** The column name under which {@link #withRowDigest} returns a row's digest. */
    public static final String ROW_DIGEST = "row_digest";

    private DigestPlan(
            int buckets,
            String legacyTable,
            String targetTable,
            String legacyBucket,
            String targetBucket,
            String targetCondition,
            boolean bindsSourceTable,
            String legacyRowDigest,
            String targetRowDigest,
            boolean oneTargetRowPerLegacyKey) {
        this.buckets = buckets;
        this.legacyTable = legacyTable;
        this.targetTable = targetTable;
        this.legacyBucket = legacyBucket;
        this.targetBucket = targetBucket;
        this.targetCondition = targetCondition;
        this.bindsSourceTable = bindsSourceTable;
        this.legacyRowDigest = legacyRowDigest;
        this.targetRowDigest = targetRowDigest;
        this.oneTargetRowPerLegacyKey = oneTargetRowPerLegacyKey;
    }

    /**
     * @param recipes         how each compared field is derived, in comparison order
     * @param sourceTable     the lineage source table target rows must name, or {@code null}
     * @param targetKeyMadeOf the legacy columns the target key is made from
     */
    public static DigestPlan of(
            SqlDialect legacyDialect,
            TableDescription legacy,
            List<String> keyColumns,
            SqlDialect targetDialect,
            TableDescription target,
            List<FieldRecipe> recipes,
            String sourceTable,
            int buckets,
            List<String> targetKeyMadeOf)
            throws NotPushable {
        requirePostgres(legacyDialect, targetDialect);
        if (Integer.bitCount(buckets) != 1) {
            throw new NotPushable("the number of buckets must be a power of two");
        }
        PostgresDigests legacySql = new PostgresDigests(legacyDialect);
        List<String> legacyValues = new ArrayList<>();
        List<String> targetValues = new ArrayList<>();
        int seed = 0;
        for (FieldRecipe recipe : recipes) {
            ColumnDescription column = target.column(recipe.name())
                    .orElseThrow(() -> new NotPushable("the target has no column '" + recipe.name() + "'"));
            PostgresDigests.FieldHash hash = legacySql.field(recipe, legacy, column, targetDialect, ++seed);
            legacyValues.add(hash.legacy());
            targetValues.add(hash.target());
        }
        String legacyBucket = PostgresDigests.bucket(legacySql.canonicalKey(legacy, keyColumns), buckets);
        String targetBucket = PostgresDigests.bucket(targetDialect.quote(Lineage.Field.SOURCE_KEY.column()), buckets);
        Where live = Where.in(targetDialect).isNotNull(Lineage.Field.SOURCE_KEY.column());
        if (target.column(Lineage.Field.DELETED_AT.column()).isPresent()) {
            live.isNull(Lineage.Field.DELETED_AT.column());
        }
        if (sourceTable != null) {
            live.compare(Lineage.Field.SOURCE_TABLE.column(), Where.Comparison.EQUAL);
        }
        return new DigestPlan(
                buckets,
                legacyDialect.quote(legacy.table()),
                targetDialect.quote(target.table()),
                legacyBucket,
                targetBucket,
                live.text(),
                sourceTable != null,
                PostgresDigests.rowDigest(legacyValues),
                PostgresDigests.rowDigest(targetValues),
                keyColumns.containsAll(targetKeyMadeOf));
    }

    /** Fails unless both databases are PostgreSQL: both sides must hash with the same functions. */
    public static void requirePostgres(SqlDialect... dialects) throws NotPushable {
        for (SqlDialect dialect : dialects) {
            if (!dialect.name().toLowerCase(Locale.ROOT).contains("postgres")) {
                throw new NotPushable(
                        "digests are computed on PostgreSQL only, on both sides, not on " + dialect.name());
            }
        }
    }

    /** Fails on a field whose derivation has no SQL form, whatever the column types turn out to be. */
    public static void checkRecipes(List<FieldRecipe> recipes) throws NotPushable {
        for (FieldRecipe recipe : recipes) {
            PostgresDigests.requireSqlForm(recipe);
        }
    }

    /**
     * True when the target key is made from legacy key columns only: the pipeline then writes exactly one target row
     * per legacy key, always under the same target key, so the row it applied last for a key is that key's only row.
     * Otherwise a change of the columns the target key is made from leaves an older row under the same legacy key.
     */
    public boolean oneTargetRowPerLegacyKey() {
        return oneTargetRowPerLegacyKey;
    }

    public int buckets() {
        return buckets;
    }

    /** The legacy digests of the buckets {@code b} with {@code b % shares == share}. */
    public String legacyQuery(int share, int shares) {
        return PostgresDigests.digestQuery(
                legacyTable, legacyBucket, legacyRowDigest, null, PostgresDigests.bucketShare("b", share, shares));
    }

    public String targetQuery(int share, int shares) {
        return PostgresDigests.digestQuery(
                targetTable,
                targetBucket,
                targetRowDigest,
                targetCondition,
                PostgresDigests.bucketShare("b", share, shares));
    }

    /** The legacy rows of a share of the buckets. */
    public String legacyShare(int share, int shares) {
        return PostgresDigests.bucketShare(legacyBucket, share, shares);
    }

    public String targetShare(int share, int shares) {
        return PostgresDigests.bucketShare(targetBucket, share, shares);
    }

    /** Whether the target query takes the source table as its one parameter. */
    public boolean bindsSourceTable() {
        return bindsSourceTable;
    }

    /** A query of the given table that also returns each row's digest as {@value #ROW_DIGEST}. */
    public String withRowDigest(String sql, String quotedTable, boolean legacySide) {
        return PostgresDigests.withRowDigest(
                sql, quotedTable, legacySide ? legacyRowDigest : targetRowDigest, ROW_DIGEST);
    }

    /** A row filter for the legacy side: its bucket is set in the bitmap bound as one bytea parameter. */
    public String legacyFilter() {
        return PostgresDigests.bucketFilter(legacyBucket);
    }

    /** The same filter for the target side. */
    public String targetFilter() {
        return PostgresDigests.bucketFilter(targetBucket);
    }
}
