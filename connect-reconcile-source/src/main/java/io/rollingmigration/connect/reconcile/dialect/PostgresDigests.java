package io.rollingmigration.connect.reconcile.dialect;

import io.rollingmigration.connect.common.dialect.ColumnDescription;
import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.TableDescription;
import io.rollingmigration.connect.common.spec.FieldRecipe;
import io.rollingmigration.connect.reconcile.digest.NotPushable;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes the digest queries for PostgreSQL on both sides: per bucket of legacy keys, the number of rows and sums of
 * a 64-bit hash of each row's compared values, the legacy row translated in SQL, the target row as stored. A row's
 * hash combines one hash per field, each with its own seed, computed with PostgreSQL's own hash functions on typed
 * values: a decimal hashes alike whatever its scale (as the reconciler compares decimals), and no value is printed.
 * Where the two sides' types differ, both hash a common form (epoch seconds for timestamps, numeric for numbers).
 * Where a hash is stricter than the comparison, a bucket merely differs and its rows are compared one by one. A
 * legacy value the translator could not translate hashes to a marker.
 */
public final class PostgresDigests {

    private static final Set<String> INTEGERS =
            Set.of("int2", "int4", "int8", "smallint", "integer", "bigint", "serial", "bigserial");
    private static final Set<String> TEXTS = Set.of("text", "varchar");
    private static final Set<String> DECIMALS = Set.of("numeric", "decimal");
    private static final Set<String> TIMESTAMPS = Set.of("timestamp", "timestamptz");
    /** The hash of a value the translator rejects (an unmapped value, a failing expression). */
    private static final long UNTRANSLATABLE = -7_046_029_254_386_353_131L;

    private final SqlDialect dialect;

    public PostgresDigests(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /** The hash expressions of one field on each side. */
    public record FieldHash(String legacy, String target) {}

    /** The legacy key as the canonical JSON text the sink writes into lineage_source_key. */
    public String canonicalKey(TableDescription legacy, List<String> keyColumns) throws NotPushable {
        StringBuilder sql = new StringBuilder("'{'");
        String separator = "";
        // Canonical JSON sorts key fields by name.
        for (String name : new TreeSet<>(keyColumns)) {
            ColumnDescription column = column(legacy, name, "legacy key");
            if (!name.matches("[A-Za-z0-9_]+")) {
                throw new NotPushable("legacy key column '" + name + "' needs JSON escaping");
            }
            String type = type(column);
            String value;
            if (INTEGERS.contains(type)) {
                value = dialect.quote(name) + "::text";
            } else if (TEXTS.contains(type)) {
                value = "to_json(" + dialect.quote(name) + ")::text";
            } else {
                throw new NotPushable("legacy key column '" + name + "' is of type " + type + "; keys of integer "
                        + "or text columns only");
            }
            sql.append(" || ")
                    .append(literal(separator + "\"" + name + "\":"))
                    .append(" || ")
                    .append(value);
            separator = ",";
        }
        return sql.append(" || '}'").toString();
    }

    /**
     * The hash of a field's value on both sides.
     *
     * @param seed the field's position, so that equal values in different fields hash apart
     */
    public FieldHash field(
            FieldRecipe recipe, TableDescription legacy, ColumnDescription target, SqlDialect targetDialect, int seed)
            throws NotPushable {
        String field = "field '" + recipe.name() + "'";
        requireSqlForm(recipe);
        String targetType = type(target);
        String targetColumn = targetDialect.quote(target.name());
        if (recipe.expression() != null) {
            require(targetType, union(INTEGERS, DECIMALS), "target column '" + target.name() + "'");
            String value =
                    new CelToSql(name -> dialect.quote(column(legacy, name).name())).sql(recipe.expression());
            return new FieldHash(
                    "coalesce(hash_numeric_extended((" + value + ")::numeric, " + seed + "), " + UNTRANSLATABLE + ")",
                    nullable(numeric(targetColumn, seed), seed));
        }
        ColumnDescription column = column(legacy, recipe.from(), field);
        String legacyType = type(column);
        String quoted = dialect.quote(column.name());
        if (recipe.map() != null) {
            if (!INTEGERS.contains(legacyType) && !TEXTS.contains(legacyType)) {
                throw new NotPushable(field + " maps a column of type " + legacyType);
            }
            return map(recipe, quoted, target, targetColumn, seed, field);
        }
        return switch (recipe.type()) {
            case "string" -> {
                require(legacyType, TEXTS, field);
                require(targetType, TEXTS, "target column '" + target.name() + "'");
                yield both(text(quoted, seed), text(targetColumn, seed), seed);
            }
            case "long", "int" -> {
                require(legacyType, INTEGERS, field);
                require(targetType, INTEGERS, "target column '" + target.name() + "'");
                yield both(integer(quoted, seed), integer(targetColumn, seed), seed);
            }
            case "decimal" -> {
                require(legacyType, union(INTEGERS, DECIMALS), field);
                require(targetType, union(INTEGERS, DECIMALS), "target column '" + target.name() + "'");
                yield both(numeric(quoted, seed), numeric(targetColumn, seed), seed);
            }
            case "timestamp" -> {
                require(legacyType, TIMESTAMPS, field);
                require(targetType, TIMESTAMPS, "target column '" + target.name() + "'");
                yield both(timestamp(quoted, legacyType, seed), timestamp(targetColumn, targetType, seed), seed);
            }
            case "date" -> {
                require(legacyType, Set.of("date"), field);
                require(targetType, Set.of("date"), "target column '" + target.name() + "'");
                yield both(date(quoted, seed), date(targetColumn, seed), seed);
            }
            case "boolean" -> {
                require(legacyType, Set.of("bool"), field);
                require(targetType, Set.of("bool"), "target column '" + target.name() + "'");
                yield both(
                        "hashint4extended(" + quoted + "::int4, " + seed + ")",
                        "hashint4extended(" + targetColumn + "::int4, " + seed + ")",
                        seed);
            }
            default -> throw new NotPushable(field + " is of type " + recipe.type());
        };
    }

    /** Fails on a field whose derivation has no SQL form, whatever the column types turn out to be. */
    public static void requireSqlForm(FieldRecipe recipe) throws NotPushable {
        String field = "field '" + recipe.name() + "'";
        if (recipe.other()) {
            throw new NotPushable(field + " is conditional, a constant or a reference");
        }
        if (recipe.expression() != null) {
            if (!List.of("decimal", "long", "int").contains(recipe.type())) {
                throw new NotPushable(field + ": expressions of type " + recipe.type() + " are not computed in SQL");
            }
            new CelToSql(name -> name).sql(recipe.expression());
        }
    }

    /** A value map as a CASE over the legacy value's text, as the translator looks values up. */
    private FieldHash map(
            FieldRecipe recipe, String quoted, ColumnDescription target, String targetColumn, int seed, String field)
            throws NotPushable {
        String targetType = type(target);
        StringBuilder sql = new StringBuilder("CASE WHEN ")
                .append(quoted)
                .append(" IS NULL THEN ")
                .append(seed);
        String targetHash;
        for (Map.Entry<String, Object> mapped : recipe.map().entrySet()) {
            sql.append(" WHEN ")
                    .append(quoted)
                    .append("::text = ")
                    .append(literal(mapped.getKey()))
                    .append(" THEN ")
                    .append(constantHash(mapped.getValue(), seed, field));
        }
        sql.append(" ELSE ")
                .append(
                        recipe.failOnUnmapped()
                                ? Long.toString(UNTRANSLATABLE)
                                : recipe.fallback() == null
                                        ? Integer.toString(seed)
                                        : constantHash(recipe.fallback(), seed, field))
                .append(" END");
        switch (recipe.type()) {
            case "string" -> {
                require(targetType, TEXTS, "target column '" + target.name() + "'");
                targetHash = text(targetColumn, seed);
            }
            case "long", "int" -> {
                require(targetType, INTEGERS, "target column '" + target.name() + "'");
                targetHash = integer(targetColumn, seed);
            }
            case "decimal" -> {
                require(targetType, union(INTEGERS, DECIMALS), "target column '" + target.name() + "'");
                targetHash = numeric(targetColumn, seed);
            }
            default -> throw new NotPushable(field + " maps to values of type " + recipe.type());
        }
        return new FieldHash(sql.toString(), nullable(targetHash, seed));
    }

    private static String constantHash(Object value, int seed, String field) throws NotPushable {
        if (value instanceof String stringValue) {
            return text(literal(stringValue), seed);
        }
        if (value instanceof Long || value instanceof Integer) {
            return integer(value.toString(), seed);
        }
        if (value instanceof BigDecimal bigDecimal) {
            return numeric(bigDecimal.toPlainString(), seed);
        }
        throw new NotPushable(
                field + " maps to values of type " + value.getClass().getSimpleName());
    }

    /** One row's hash: the fields' hashes combined. */
    public static String rowDigest(List<String> fieldHashes) {
        return "(" + (fieldHashes.isEmpty() ? "0::int8" : String.join(" # ", fieldHashes)) + ")";
    }

    /**
     * Rows per bucket and sums of two parts of their hashes (32 and 31 bits), in int8 so that sums stay exact.
     *
     * @param bucketCondition a condition on the bucket {@code b}, or {@code null}; PostgreSQL pushes it into the
     *                        scan, so only the rows that pass it are hashed
     */
    public static String digestQuery(
            String table, String bucket, String rowDigest, String condition, String bucketCondition) {
        return "SELECT b, count(*), sum((h >> 32)::int4), sum((h & 2147483647)::int4) FROM (SELECT " + bucket
                + " AS b, " + rowDigest + " AS h FROM " + table + (condition == null ? "" : " WHERE " + condition)
                + ") d" + (bucketCondition == null ? "" : " WHERE " + bucketCondition) + " GROUP BY b";
    }

    /** The bucket of a row: a hash of its legacy key text, masked to the number of buckets (a power of two). */
    public static String bucket(String keyText, int buckets) {
        return "(hashtext(" + keyText + ") & " + (buckets - 1) + ")";
    }

    /** The rows whose bucket is in the share {@code share} of {@code shares}; {@code null} for one share. */
    public static String bucketShare(String bucket, int share, int shares) {
        return shares <= 1 ? null : "(" + bucket + " % " + shares + ") = " + share;
    }

    /** The rows whose bucket is set in the bitmap bound as one bytea parameter. */
    public static String bucketFilter(String bucket) {
        return "get_bit(?, " + bucket + ") = 1";
    }

    /**
     * A query of the given table that also returns each row's digest under {@code alias}: the select list ends
     * where {@code " FROM " + quotedTable} first appears.
     */
    public static String withRowDigest(String sql, String quotedTable, String rowDigest, String alias) {
        String from = " FROM " + quotedTable;
        int at = sql.indexOf(from);
        if (at < 0) {
            throw new IllegalArgumentException("no FROM " + quotedTable + " in " + sql);
        }
        return sql.substring(0, at) + ", " + rowDigest + " AS " + alias + sql.substring(at);
    }

    public static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static FieldHash both(String legacy, String target, int seed) {
        return new FieldHash(nullable(legacy, seed), nullable(target, seed));
    }

    /** A NULL hashes to the field's seed: a missing value differs from any present one. */
    private static String nullable(String hash, int seed) {
        return "coalesce(" + hash + ", " + seed + ")";
    }

    private static String text(String sql, int seed) {
        return "hashtextextended(" + sql + "::text COLLATE \"C\", " + seed + ")";
    }

    private static String integer(String sql, int seed) {
        return "hashint8extended(" + sql + "::int8, " + seed + ")";
    }

    /** PostgreSQL hashes equal numerics alike whatever their scale. */
    private static String numeric(String sql, int seed) {
        return "hash_numeric_extended(" + sql + "::numeric, " + seed + ")";
    }

    /** As UTC wall-clock time, the way the reconciler reads both kinds of timestamp. */
    private static String timestamp(String sql, String type, int seed) {
        return "timestamp_hash_extended(" + (type.equals("timestamptz") ? "(" + sql + " AT TIME ZONE 'UTC')" : sql)
                + ", " + seed + ")";
    }

    private static String date(String sql, int seed) {
        return "hashint4extended((" + sql + " - date '2000-01-01'), " + seed + ")";
    }

    private static void require(String type, Set<String> allowed, String what) throws NotPushable {
        if (!allowed.contains(type)) {
            throw new NotPushable(what + " is a column of type " + type + ", not one of " + new TreeSet<>(allowed));
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> union = new TreeSet<>(a);
        union.addAll(b);
        return union;
    }

    private static String type(ColumnDescription column) {
        return column.typeName().toLowerCase(Locale.ROOT);
    }

    private static ColumnDescription column(TableDescription table, String name) {
        return table.column(name)
                .orElseThrow(() -> new IllegalArgumentException("legacy column '" + name + "' does not exist"));
    }

    private static ColumnDescription column(TableDescription table, String name, String what) throws NotPushable {
        try {
            return column(table, name);
        } catch (IllegalArgumentException e) {
            throw new NotPushable(what + ": " + e.getMessage());
        }
    }
}
