package io.rollingmigration.connect.reconcile.digest;

import io.rollingmigration.connect.common.dialect.ColumnDescription;
import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.TableDescription;
import io.rollingmigration.connect.common.lineage.Lineage;
import io.rollingmigration.connect.common.spec.FieldRecipe;

import java.util.ArrayList;
import java.util.List;

/**
 * The two digest queries of an aggregate and the bucket expression of each side, or the reason they cannot be
 * written. Only PostgreSQL on both sides: the hash functions must be the same on both.
 */
public final class DigestPlan {

    private final int buckets;
    private final String legacyBucket;
    private final String targetBucket;
    private final String legacyQuery;
    private final String targetQuery;
    private final boolean bindsSourceTable;
    private final String legacyRowDigest;
    private final String targetRowDigest;

    /** The column name under which {@link #withRowDigest} returns a row's digest. */
    public static final String ROW_DIGEST = "row_digest";

    private DigestPlan(int buckets, String legacyBucket, String targetBucket, String legacyQuery, String targetQuery,
                       boolean bindsSourceTable, String legacyRowDigest, String targetRowDigest) {
        this.legacyRowDigest = legacyRowDigest;
        this.targetRowDigest = targetRowDigest;
        this.buckets = buckets;
        this.legacyBucket = legacyBucket;
        this.targetBucket = targetBucket;
        this.legacyQuery = legacyQuery;
        this.targetQuery = targetQuery;
        this.bindsSourceTable = bindsSourceTable;
    }

    /**
     * @param recipes     how each compared field is derived, in comparison order
     * @param sourceTable the lineage source table target rows must name, or {@code null}
     */
    public static DigestPlan of(SqlDialect legacyDialect, TableDescription legacy, List<String> keyColumns,
                                SqlDialect targetDialect, TableDescription target, List<FieldRecipe> recipes,
                                String sourceTable, int buckets) throws NotPushable {
        for (SqlDialect dialect : List.of(legacyDialect, targetDialect)) {
            if (!dialect.name().toLowerCase(java.util.Locale.ROOT).contains("postgres")) {
                throw new NotPushable("digests are computed on PostgreSQL only, not on " + dialect.name());
            }
        }
        if (Integer.bitCount(buckets) != 1) {
            throw new NotPushable("the number of buckets must be a power of two");
        }
        PostgresDigests legacySql = new PostgresDigests(legacyDialect);
        PostgresDigests targetSql = new PostgresDigests(targetDialect);
        List<String> legacyValues = new ArrayList<>();
        List<String> targetValues = new ArrayList<>();
        int seed = 0;
        for (FieldRecipe recipe : recipes) {
            ColumnDescription column = target.column(recipe.name()).orElseThrow(() -> new NotPushable(
                    "the target has no column '" + recipe.name() + "'"));
            PostgresDigests.FieldHash hash = legacySql.field(recipe, legacy, column, targetDialect, ++seed);
            legacyValues.add(hash.legacy());
            targetValues.add(hash.target());
        }
        String legacyBucket = PostgresDigests.bucket(legacySql.canonicalKey(legacy, keyColumns), buckets);
        String targetBucket = PostgresDigests.bucket(targetDialect.quote(PostgresDigests.targetKeyText()), buckets);
        List<String> conditions = new ArrayList<>();
        conditions.add(targetDialect.quote(Lineage.Field.SOURCE_KEY.column()) + " IS NOT NULL");
        if (target.column(Lineage.Field.DELETED_AT.column()).isPresent()) {
            conditions.add(targetDialect.quote(Lineage.Field.DELETED_AT.column()) + " IS NULL");
        }
        if (sourceTable != null) {
            conditions.add(targetDialect.quote(Lineage.Field.SOURCE_TABLE.column()) + " = ?");
        }
        return new DigestPlan(buckets, legacyBucket, targetBucket,
                legacySql.digestQuery(legacyDialect.quote(legacy.table()), legacyBucket, legacyValues, null),
                targetSql.digestQuery(targetDialect.quote(target.table()), targetBucket, targetValues,
                        String.join(" AND ", conditions)), sourceTable != null,
                PostgresDigests.rowDigest(legacyValues), PostgresDigests.rowDigest(targetValues));
    }

    /** Fails on a field whose derivation has no SQL form, whatever the column types turn out to be. */
    public static void checkRecipes(List<FieldRecipe> recipes) throws NotPushable {
        for (FieldRecipe recipe : recipes) {
            String field = "field '" + recipe.name() + "'";
            if (recipe.other()) {
                throw new NotPushable(field + " is conditional, a constant or a reference");
            }
            if (recipe.expression() != null) {
                if (!List.of("decimal", "long", "int").contains(recipe.type())) {
                    throw new NotPushable(field + ": expressions of type " + recipe.type()
                            + " are not computed in SQL");
                }
                new CelToSql(name -> name).sql(recipe.expression());
            }
        }
    }

    public int buckets() {
        return buckets;
    }

    /** The legacy digests of the buckets {@code b} with {@code b % shares == share}. */
    public String legacyQuery(int share, int shares) {
        return shared(legacyQuery, share, shares);
    }

    public String targetQuery(int share, int shares) {
        return shared(targetQuery, share, shares);
    }

    private static String shared(String query, int share, int shares) {
        // The condition on b is pushed into the scan, so only the share's rows are hashed.
        return shares <= 1 ? query : query.replace(") d GROUP BY b", ") d WHERE b % " + shares + " = " + share
                + " GROUP BY b");
    }

    /** The legacy rows of a share of the buckets. */
    public String legacyShare(int share, int shares) {
        return "(" + legacyBucket + " % " + shares + ") = " + share;
    }

    public String targetShare(int share, int shares) {
        return "(" + targetBucket + " % " + shares + ") = " + share;
    }

    /** Whether the target query takes the source table as its one parameter. */
    public boolean bindsSourceTable() {
        return bindsSourceTable;
    }

    /**
     * A query of the given table that also returns each row's digest as {@value #ROW_DIGEST}: the select list
     * ends where {@code " FROM " + quotedTable} first appears.
     */
    public String withRowDigest(String sql, String quotedTable, boolean legacySide) {
        String from = " FROM " + quotedTable;
        int at = sql.indexOf(from);
        if (at < 0) {
            throw new IllegalArgumentException("no FROM " + quotedTable + " in " + sql);
        }
        return sql.substring(0, at) + ", " + (legacySide ? legacyRowDigest : targetRowDigest) + " AS " + ROW_DIGEST
                + sql.substring(at);
    }

    /** A row filter for the legacy side: its bucket is set in the bitmap bound as one bytea parameter. */
    public String legacyFilter() {
        return "get_bit(?, " + legacyBucket + ") = 1";
    }

    /** The same filter for the target side. */
    public String targetFilter() {
        return "get_bit(?, " + targetBucket + ") = 1";
    }
}
