package io.rollingmigration.connect.common.dialect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A {@code WHERE} clause of conditions joined by {@code AND}, over columns the dialect quotes, each condition with
 * its own parameters in the order added. Lets code outside the dialects say which rows it wants without writing SQL.
 */
public final class Where {

    /** How a column is compared with its parameter. */
    public enum Comparison {
        EQUAL("="),
        NOT_EQUAL("<>"),
        BEFORE("<"),
        AT_MOST("<="),
        AFTER(">"),
        AT_LEAST(">=");

        private final String operator;

        Comparison(String operator) {
            this.operator = operator;
        }
    }

    private final SqlDialect dialect;
    private final List<String> conditions = new ArrayList<>();

    private Where(SqlDialect dialect) {
        this.dialect = dialect;
    }

    public static Where in(SqlDialect dialect) {
        return new Where(dialect);
    }

    public Where isNull(String column) {
        conditions.add(dialect.quote(column) + " IS NULL");
        return this;
    }

    public Where isNotNull(String column) {
        conditions.add(dialect.quote(column) + " IS NOT NULL");
        return this;
    }

    /** The column compared with one parameter. */
    public Where compare(String column, Comparison comparison) {
        conditions.add(dialect.quote(column) + " " + comparison.operator + " ?");
        return this;
    }

    /** The column equal to one of {@code count} parameters. */
    public Where oneOf(String column, int count) {
        conditions.add(dialect.quote(column) + " IN (" + String.join(", ", Collections.nCopies(count, "?")) + ")");
        return this;
    }

    /** A condition a dialect wrote (the hash pushdown's bucket filter). */
    public Where and(String dialectCondition) {
        if (dialectCondition != null) {
            conditions.add(dialectCondition);
        }
        return this;
    }

    /** Conditions a dialect wrote, all required; {@code null} for none. */
    public static String allOf(List<String> dialectConditions) {
        return dialectConditions.isEmpty() ? null : String.join(" AND ", dialectConditions);
    }

    /** The conditions joined, or {@code null} for none. */
    public String text() {
        return allOf(conditions);
    }
}
