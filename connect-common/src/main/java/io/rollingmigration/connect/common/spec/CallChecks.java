package io.rollingmigration.connect.common.spec;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelExpr.CelCall;
import dev.cel.common.navigation.CelNavigableAst;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the checker cannot see in a checked expression: the argument types of the spec functions declared over
 * {@code dyn}, constant arguments that must be valid (a rounding mode, a namespace, a zone, a date pattern), and
 * {@code ==} on decimals. Each problem is a {@link SpecException} at the expression's path.
 */
final class CallChecks {

    private CallChecks() {}

    static void check(CelAbstractSyntaxTree ast, String path) {
        CelNavigableAst.fromAst(ast)
                .getRoot()
                .allNodes()
                .map(node -> node.expr())
                .filter(expr -> expr.getKind() == CelExpr.ExprKind.Kind.CALL)
                .forEach(expr -> check(ast, expr.call(), path));
    }

    private static void check(CelAbstractSyntaxTree ast, CelCall call, String path) {
        String function = call.function();
        List<CelExpr> args = call.args();
        if ((function.equals("_==_") || function.equals("_!=_")) && comparesDecimals(ast, args)) {
            throw new SpecException(
                    path,
                    "decimals are compared with same(a, b) (or <, <=, >, >=); == and != "
                            + "would compare their representations, not their amounts");
        }
        List<Set<String>> accepted = SpecFunctions.ACCEPTED.get(function);
        // timestamp(x) with one argument is CEL's own conversion; the spec adds timestamp(x, zone).
        if (accepted == null || call.target().isPresent() || (function.equals("timestamp") && args.size() != 2)) {
            return;
        }
        for (int i = 0; i < args.size() && i < accepted.size(); i++) {
            StaticType type = typeOf(ast, args.get(i));
            if (!type.unknown()
                    && !type.name().equals("null")
                    && !accepted.get(i).contains(type.name())) {
                throw new SpecException(
                        path,
                        function + "() does not take a " + type + " as argument " + (i + 1) + "; it takes "
                                + String.join(" or ", new TreeSet<>(accepted.get(i))));
            }
        }
        try {
            constants(ast, function, args);
        } catch (FunctionFailure e) {
            throw new SpecException(path, e.describe(false));
        }
    }

    /** Constant arguments are checked now, not on the first record. */
    private static void constants(CelAbstractSyntaxTree ast, String function, List<CelExpr> args) {
        switch (function) {
            case "round" -> {
                if (args.size() == 3) {
                    text(args.get(2)).ifPresent(mode -> {
                        try {
                            Decimals.mode(mode);
                        } catch (IllegalArgumentException e) {
                            throw new FunctionFailure(e.getMessage(), null);
                        }
                    });
                }
            }
            case "uuid5" -> text(args.get(0)).ifPresent(SpecFunctions::namespace);
            case "timestamp" -> {
                if (args.size() == 2) {
                    text(args.get(1)).ifPresent(TemporalFunctions::zone);
                }
            }
            case "date" -> {
                if (args.size() == 2) {
                    String first = typeOf(ast, args.get(0)).name();
                    text(args.get(1)).ifPresent(second -> {
                        if (first.equals("timestamp")) {
                            TemporalFunctions.zone(second);
                        } else if (first.equals("string")) {
                            TemporalFunctions.pattern(second);
                        }
                    });
                }
            }
            default -> {}
        }
    }

    private static Optional<String> text(CelExpr expr) {
        if (expr.getKind() == CelExpr.ExprKind.Kind.CONSTANT
                && expr.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
            return Optional.of(expr.constant().stringValue());
        }
        return Optional.empty();
    }

    private static StaticType typeOf(CelAbstractSyntaxTree ast, CelExpr expr) {
        return ast.getType(expr.id()).map(StaticType::of).orElse(StaticType.DYN);
    }

    /** CEL's == on decimals would compare their representations; comparing one with null is fine. */
    private static boolean comparesDecimals(CelAbstractSyntaxTree ast, List<CelExpr> args) {
        boolean decimal = args.stream().anyMatch(arg -> typeOf(ast, arg).name().equals("decimal"));
        boolean withNull = args.stream().anyMatch(arg -> typeOf(ast, arg).name().equals("null"));
        return decimal && !withNull;
    }
}
