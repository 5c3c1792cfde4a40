package io.rollingmigration.connect.common.spec;

import com.google.protobuf.MessageLite;
import com.google.protobuf.NullValue;
import com.google.protobuf.Timestamp;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelException;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelReference;
import dev.cel.runtime.CelFunctionBinding;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * A checked expression turned into a tree of Java calls, for the shapes mapping specs are made of: constants,
 * columns of the row, calls whose overload the checker resolved to one function, conditionals. CEL's interpreter
 * builds attribute paths and intermediate results for every node of every evaluation; for a translation that reads
 * a few columns through a few functions, that cost more than the work. The calls go to the very bindings the CEL
 * runtime would call, after the same argument-class check its dispatcher makes, so the result is CEL's. Anything
 * this plan does not know, or any failure, makes the caller evaluate with CEL's own program instead: then the
 * behaviour, and the error, are CEL's exactly.
 */
final class DirectPlan {

    /** This evaluation is not one the plan makes: evaluate with CEL. */
    static final class Declined extends Exception {
        private static final long serialVersionUID = 1L;
        static final Declined INSTANCE = new Declined();

        private Declined() {
            super(null, null, false, false);
        }
    }

    interface Node {
        Object eval(Map<String, Object> bindings) throws Declined;
    }

    /** The standard CEL overloads a plan makes itself (their semantics are simple and fixed by the CEL spec). */
    private static final Map<String, Native> NATIVE = new HashMap<>();

    private interface Native {
        Object apply(Object[] args) throws Declined;
    }

    static {
        NATIVE.put("add_string", args -> typed(args, String.class) ? (String) args[0] + args[1] : decline());
        NATIVE.put("int64_to_string", args -> args[0] instanceof Long l ? Long.toString(l) : decline());
        NATIVE.put("string_to_string", args -> args[0] instanceof String ? args[0] : decline());
        NATIVE.put("logical_not", args -> args[0] instanceof Boolean b ? !b : decline());
        NATIVE.put("add_int64", args -> {
            if (!typed(args, Long.class)) {
                return decline();
            }
            try {
                return Math.addExact((Long) args[0], (Long) args[1]);
            } catch (ArithmeticException e) {
                return decline();
            }
        });
        NATIVE.put("equals", args -> equality(args[0], args[1], true));
        NATIVE.put("not_equals", args -> equality(args[0], args[1], false));
        compare("less", c -> c < 0);
        compare("less_equals", c -> c <= 0);
        compare("greater", c -> c > 0);
        compare("greater_equals", c -> c >= 0);
    }

    private static void compare(String name, IntPredicate holds) {
        NATIVE.put(
                name + "_int64",
                args -> typed(args, Long.class) ? holds.test(Long.compare((Long) args[0], (Long) args[1])) : decline());
        NATIVE.put(
                name + "_string",
                args -> typed(args, String.class)
                        ? holds.test(((String) args[0]).compareTo((String) args[1]))
                        : decline());
        NATIVE.put(
                name + "_timestamp",
                args -> typed(args, Timestamp.class)
                        ? holds.test(CelValues.compare((Timestamp) args[0], (Timestamp) args[1]))
                        : decline());
    }

    private DirectPlan() {}

    /** A plan for the whole expression, or empty when some part of it is left to CEL. */
    static Optional<Node> of(CelAbstractSyntaxTree ast, Map<String, CelFunctionBinding> bindings, Set<String> rows) {
        try {
            return Optional.of(node(ast, ast.getExpr(), bindings, rows));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Node node(
            CelAbstractSyntaxTree ast, CelExpr expr, Map<String, CelFunctionBinding> bindings, Set<String> rows) {
        switch (expr.getKind()) {
            case CONSTANT:
                Object constant = constant(expr.constant());
                return b -> constant;
            case SELECT:
                CelExpr operand = expr.select().operand();
                if (expr.select().testOnly()
                        || operand.getKind() != CelExpr.ExprKind.Kind.IDENT
                        || !rows.contains(operand.ident().name())) {
                    throw new IllegalArgumentException("not a column");
                }
                String row = operand.ident().name();
                String column = expr.select().field();
                return b -> {
                    Map<?, ?> values = (Map<?, ?>) b.get(row);
                    Object value = values.get(column);
                    if (value == null) {
                        throw Declined.INSTANCE; // a column the row lacks: CEL says so
                    }
                    return value;
                };
            case IDENT:
                String name = expr.ident().name();
                if (!name.equals("op")) {
                    throw new IllegalArgumentException("not a plain variable");
                }
                return b -> b.get(name);
            case CALL:
                return call(ast, expr, bindings, rows);
            default:
                throw new IllegalArgumentException("left to CEL");
        }
    }

    private static Node call(
            CelAbstractSyntaxTree ast, CelExpr expr, Map<String, CelFunctionBinding> bindings, Set<String> rows) {
        CelReference reference =
                ast.getReference(expr.id()).orElseThrow(() -> new IllegalArgumentException("unresolved"));
        List<CelExpr> operands = new ArrayList<>();
        expr.call().target().ifPresent(operands::add);
        operands.addAll(expr.call().args());
        Node[] args = new Node[operands.size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = node(ast, operands.get(i), bindings, rows);
        }
        List<String> overloads = reference.overloadIds();
        if (overloads.size() == 1 && overloads.get(0).equals("conditional")) {
            return b -> {
                Object condition = args[0].eval(b);
                if (!(condition instanceof Boolean)) {
                    throw Declined.INSTANCE;
                }
                return (Boolean) condition ? args[1].eval(b) : args[2].eval(b);
            };
        }
        if (overloads.size() == 1
                && (overloads.get(0).equals("logical_and") || overloads.get(0).equals("logical_or"))) {
            boolean and = overloads.get(0).equals("logical_and");
            return b -> {
                Object left = args[0].eval(b);
                if (!(left instanceof Boolean)) {
                    throw Declined.INSTANCE;
                }
                if ((Boolean) left != and) {
                    return left;
                }
                Object right = args[1].eval(b);
                if (!(right instanceof Boolean)) {
                    throw Declined.INSTANCE;
                }
                return right;
            };
        }
        if (overloads.size() != 1) {
            throw new IllegalArgumentException("resolved at run time");
        }
        Native local = NATIVE.get(overloads.get(0));
        if (local != null) {
            return b -> local.apply(values(args, b));
        }
        CelFunctionBinding binding = bindings.get(overloads.get(0));
        if (binding == null || binding.getArgTypes().size() != args.length) {
            throw new IllegalArgumentException("no binding");
        }
        List<Class<?>> types = binding.getArgTypes();
        return b -> {
            Object[] values = values(args, b);
            for (int i = 0; i < values.length; i++) {
                if (!handles(types.get(i), values[i])) {
                    throw Declined.INSTANCE;
                }
            }
            try {
                return binding.getDefinition().apply(values);
            } catch (RuntimeException | CelException e) {
                throw Declined.INSTANCE;
            }
        };
    }

    private static Object[] values(Node[] args, Map<String, Object> bindings) throws Declined {
        Object[] values = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            values[i] = args[i].eval(bindings);
        }
        return values;
    }

    /** The class check CEL's dispatcher makes before it calls an overload. */
    private static boolean handles(Class<?> type, Object value) {
        if (value == null) {
            return type == Object.class || MessageLite.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type);
        }
        return type.isAssignableFrom(value.getClass());
    }

    private static Object constant(CelConstant constant) {
        return switch (constant.getKind()) {
            case NULL_VALUE -> NullValue.NULL_VALUE;
            case BOOLEAN_VALUE -> constant.booleanValue();
            case INT64_VALUE -> constant.int64Value();
            case DOUBLE_VALUE -> constant.doubleValue();
            case STRING_VALUE -> constant.stringValue();
            default -> throw new IllegalArgumentException("left to CEL");
        };
    }

    private static boolean typed(Object[] args, Class<?> type) {
        for (Object arg : args) {
            if (!type.isInstance(arg)) {
                return false;
            }
        }
        return true;
    }

    /** Equality of two values of one simple type, or of anything with null; other pairs are left to CEL. */
    private static Object equality(Object x, Object y, boolean equal) throws Declined {
        boolean xNull = CelValues.isNull(x);
        boolean yNull = CelValues.isNull(y);
        if (xNull || yNull) {
            if (xNull && yNull) {
                return equal;
            }
            Object other = xNull ? y : x;
            if (other instanceof String
                    || other instanceof Long
                    || other instanceof Boolean
                    || other instanceof Timestamp
                    || other instanceof BigDecimal) {
                return !equal;
            }
            throw Declined.INSTANCE;
        }
        if (x.getClass() == y.getClass() && (x instanceof String || x instanceof Long || x instanceof Boolean)) {
            return x.equals(y) == equal;
        }
        throw Declined.INSTANCE;
    }

    private static Object decline() throws Declined {
        throw Declined.INSTANCE;
    }
}
