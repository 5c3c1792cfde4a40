package io.rollingmigration.connect.reconcile.dialect;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import io.rollingmigration.connect.reconcile.digest.NotPushable;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The arithmetic part of the spec's expression language as PostgreSQL SQL: {@code after.column}, integer and
 * string constants, {@code decimal(x)}, unary minus and {@code + - * /}. Anything else is not pushable. The SQL
 * yields NULL where the expression would fail (a NULL operand, a division by zero), so that the digest differs
 * from any target row and the row is compared one by one.
 */
final class CelToSql {

    private static final Set<String> ARITHMETIC = Set.of("_+_", "_-_", "_*_", "_/_");

    private final Function<String, String> column;

    /** @param column quoted SQL of a legacy column by name; throws IllegalArgumentException if unknown */
    CelToSql(Function<String, String> column) {
        this.column = column;
    }

    String sql(CelExpr expr) throws NotPushable {
        switch (expr.getKind()) {
            case CONSTANT:
                return constant(expr.constant());
            case SELECT:
                CelExpr operand = expr.select().operand();
                if (operand.getKind() == CelExpr.ExprKind.Kind.IDENT
                        && operand.ident().name().equals("after")
                        && !expr.select().testOnly()) {
                    try {
                        return column.apply(expr.select().field());
                    } catch (IllegalArgumentException e) {
                        throw new NotPushable(e.getMessage());
                    }
                }
                throw new NotPushable("only after.<column> can be read in SQL");
            case CALL:
                return call(expr);
            default:
                throw new NotPushable("expression part of kind " + expr.getKind() + " has no SQL form here");
        }
    }

    private String call(CelExpr expr) throws NotPushable {
        String function = expr.call().function();
        List<CelExpr> args = expr.call().args();
        if (expr.call().target().isPresent()) {
            throw new NotPushable("method calls have no SQL form here");
        }
        if (function.equals("decimal") && args.size() == 1) {
            return "(" + sql(args.get(0)) + ")::numeric";
        }
        if (function.equals("-_") && args.size() == 1) {
            return "(-(" + sql(args.get(0)) + "))";
        }
        if (ARITHMETIC.contains(function) && args.size() == 2) {
            String left = sql(args.get(0));
            String right = sql(args.get(1));
            if (function.equals("_/_")) {
                // CEL divides integers with truncation, as div() does; decimals exactly.
                return decimal(args.get(0)) || decimal(args.get(1))
                        ? "((" + left + ")::numeric / NULLIF((" + right + ")::numeric, 0))"
                        : "div((" + left + ")::numeric, NULLIF((" + right + ")::numeric, 0))";
            }
            return "((" + left + ") " + function.charAt(1) + " (" + right + "))";
        }
        throw new NotPushable("function " + function + " has no SQL form here");
    }

    private static boolean decimal(CelExpr expr) {
        if (expr.getKind() != CelExpr.ExprKind.Kind.CALL) {
            return false;
        }
        String function = expr.call().function();
        if (function.equals("decimal")) {
            return true;
        }
        return (ARITHMETIC.contains(function) || function.equals("-_"))
                && expr.call().args().stream().anyMatch(CelToSql::decimal);
    }

    private static String constant(CelConstant constant) throws NotPushable {
        return switch (constant.getKind()) {
            case INT64_VALUE -> Long.toString(constant.int64Value());
            case UINT64_VALUE -> constant.uint64Value().toString();
            case STRING_VALUE -> PostgresDigests.literal(constant.stringValue());
            default -> throw new NotPushable("constant of kind " + constant.getKind() + " has no SQL form here");
        };
    }
}
