package io.rollingmigration.connect.common.spec;

import com.google.protobuf.ByteString;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The mapping spec's expression language: CEL (Common Expression Language), which is not Turing-complete, has no
 * reflection, no I/O and no access to the JVM, and is compiled and type-checked once. Expressions see the legacy
 * row as {@code after} and {@code before} (maps of column to value), the Debezium source block as {@code source},
 * and the operation as {@code op}.
 *
 * <p>CEL has no decimal type, so money is a {@code decimal} type added here: {@code decimal(x)} makes one from a
 * column, a string or an int, and {@code + - * /}, comparisons and {@code string()} are exact ({@link BigDecimal};
 * division to 34 significant digits); {@code same(a, b)} says whether two amounts are equal ({@code ==} on decimals is
 * refused). Temporal values appear in expressions as ISO-8601 strings; SQL NULL is {@code null}.
 */
public final class Expressions {

    static final OpaqueType DECIMAL = OpaqueType.create("decimal");
    private static final CelType ROW = MapType.create(SimpleType.STRING, SimpleType.DYN);

    private final Cel cel;

    /** The mapping spec's variables: {@code after}, {@code before}, {@code source} and {@code op}. */
    public Expressions() {
        this(List.of("after", "before", "source"), true);
    }

    /**
     * The reconciler's rules: {@code legacy} (the normalised legacy row) and {@code target} (the normalised target
     * row), so that one expression can state an invariant across both stores.
     */
    public static Expressions forComparison() {
        return new Expressions(List.of("legacy", "target"), false);
    }

    private Expressions(List<String> rows, boolean withOperation) {
        dev.cel.bundle.CelBuilder builder = CelFactory.standardCelBuilder()
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS);
        rows.forEach(row -> builder.addVar(row, ROW));
        if (withOperation) {
            builder.addVar("op", SimpleType.STRING);
        }
        cel = builder
                .addFunctionDeclarations(
                        CelFunctionDecl.newFunctionDeclaration("decimal",
                                CelOverloadDecl.newGlobalOverload("decimal_of", DECIMAL, SimpleType.DYN)),
                        binary("_+_", "add_decimal"), binary("_-_", "subtract_decimal"),
                        binary("_*_", "multiply_decimal"), binary("_/_", "divide_decimal"),
                        compare("_<_", "less_decimal"), compare("_<=_", "less_equals_decimal"),
                        compare("_>_", "greater_decimal"), compare("_>=_", "greater_equals_decimal"),
                        CelFunctionDecl.newFunctionDeclaration("same",
                                CelOverloadDecl.newGlobalOverload("same_decimal", SimpleType.BOOL, DECIMAL, DECIMAL)),
                        CelFunctionDecl.newFunctionDeclaration("string",
                                CelOverloadDecl.newGlobalOverload("string_decimal", SimpleType.STRING, DECIMAL)))
                .addFunctionBindings(
                        CelFunctionBinding.from("decimal_of", Object.class, Expressions::decimal),
                        CelFunctionBinding.from("add_decimal", BigDecimal.class, BigDecimal.class,
                                (a, b) -> normal(a.add(b))),
                        CelFunctionBinding.from("subtract_decimal", BigDecimal.class, BigDecimal.class,
                                (a, b) -> normal(a.subtract(b))),
                        CelFunctionBinding.from("multiply_decimal", BigDecimal.class, BigDecimal.class,
                                (a, b) -> normal(a.multiply(b))),
                        CelFunctionBinding.from("divide_decimal", BigDecimal.class, BigDecimal.class,
                                Expressions::divide),
                        CelFunctionBinding.from("same_decimal", BigDecimal.class, BigDecimal.class,
                                (a, b) -> a.compareTo(b) == 0),
                        CelFunctionBinding.from("less_decimal", BigDecimal.class, BigDecimal.class,
                                (a, b) -> a.compareTo(b) < 0),
                        CelFunctionBinding.from("less_equals_decimal", BigDecimal.class, BigDecimal.class,
                                (a, b) -> a.compareTo(b) <= 0),
                        CelFunctionBinding.from("greater_decimal", BigDecimal.class, BigDecimal.class,
                                (a, b) -> a.compareTo(b) > 0),
                        CelFunctionBinding.from("greater_equals_decimal", BigDecimal.class, BigDecimal.class,
                                (a, b) -> a.compareTo(b) >= 0),
                        CelFunctionBinding.from("string_decimal", BigDecimal.class, BigDecimal::toPlainString))
                .build();
    }

    /** Compiles and type-checks; a problem is a {@link SpecException} at {@code path} with CEL's message. */
    public Compiled compile(String expression, String path) {
        try {
            CelAbstractSyntaxTree ast = cel.compile(expression).getAst();
            rejectDecimalEquality(ast, path);
            return new Compiled(expression, cel.createProgram(ast), ast.getResultType(), path, ast.getExpr());
        } catch (CelValidationException e) {
            throw new SpecException(path, "invalid expression: " + e.getMessage());
        } catch (dev.cel.common.CelException e) {
            throw new SpecException(path, "cannot compile expression: " + e.getMessage());
        }
    }

    /**
     * CEL's own == and != cannot be given a decimal overload, and on values they compare representations, not
     * amounts: an expression that would silently be false is refused at compile time instead.
     */
    private static void rejectDecimalEquality(CelAbstractSyntaxTree ast, String path) {
        boolean comparesDecimals = dev.cel.common.navigation.CelNavigableAst.fromAst(ast).getRoot().allNodes()
                .map(node -> node.expr())
                .filter(expr -> expr.getKind() == dev.cel.common.ast.CelExpr.ExprKind.Kind.CALL)
                .map(expr -> expr.call())
                .filter(call -> call.function().equals("_==_") || call.function().equals("_!=_"))
                .anyMatch(call -> call.args().stream().anyMatch(arg -> ast.getType(arg.id())
                        .map(DECIMAL::equals).orElse(false)));
        if (comparesDecimals) {
            throw new SpecException(path, "decimals are compared with same(a, b) (or <, <=, >, >=); == and != "
                    + "would compare their representations, not their amounts");
        }
    }

    /** The variables an expression is evaluated over, converted once per record into CEL's values. */
    public static Map<String, Object> bindings(Map<String, Object> after, Map<String, Object> before,
                                               Map<String, Object> source, String op) {
        Map<String, Object> bindings = new HashMap<>(8);
        bindings.put("after", celRow(after));
        bindings.put("before", celRow(before));
        bindings.put("source", celRow(source));
        bindings.put("op", op);
        return bindings;
    }

    /** Bindings for {@link #forComparison()}: the legacy row and the target row. */
    public static Map<String, Object> comparisonBindings(Map<String, Object> legacy, Map<String, Object> target) {
        Map<String, Object> bindings = new HashMap<>(4);
        bindings.put("legacy", celRow(legacy));
        bindings.put("target", celRow(target));
        return bindings;
    }

    private static Map<String, Object> celRow(Map<String, Object> row) {
        return row == null ? Map.of() : new CelRow(row);
    }

    /**
     * A row as CEL sees it, each column converted into CEL's value when an expression reads it: an expression
     * reads a few columns of a wide row, and converting them all for every record cost more than evaluating it.
     */
    private static final class CelRow extends java.util.AbstractMap<String, Object> {
        private final Map<String, Object> row;

        CelRow(Map<String, Object> row) {
            this.row = row;
        }

        @Override
        public Object get(Object column) {
            Object value = row.get(column);
            if (value == null) {
                // A SQL NULL is CEL's null, so that 'after.x == null' holds instead of leaving the value unknown.
                return row.containsKey(column) ? com.google.protobuf.NullValue.NULL_VALUE : null;
            }
            return celValue(value);
        }

        @Override
        public boolean containsKey(Object column) {
            return row.containsKey(column);
        }

        @Override
        public int size() {
            return row.size();
        }

        @Override
        public java.util.Set<Entry<String, Object>> entrySet() {
            Map<String, Object> values = new HashMap<>(row.size() * 2);
            row.forEach((column, value) -> values.put(column, value == null
                    ? com.google.protobuf.NullValue.NULL_VALUE : celValue(value)));
            return values.entrySet();
        }
    }

    static Object celValue(Object value) {
        if (value instanceof BigDecimal) {
            return normal((BigDecimal) value);
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float) {
            return ((Float) value).doubleValue();
        }
        if (value instanceof byte[]) {
            return ByteString.copyFrom((byte[]) value);
        }
        if (value instanceof TemporalAccessor) {
            return value.toString();
        }
        if (value instanceof List) {
            List<Object> items = new ArrayList<>();
            ((List<?>) value).forEach(item -> items.add(celValue(item)));
            return items;
        }
        return value;
    }

    /**
     * Exact division to 34 significant digits. Dividing by a power of ten (cents to units, say) only moves the
     * decimal point, which spares a long division per record.
     */
    private static BigDecimal divide(BigDecimal dividend, BigDecimal divisor) {
        if (divisor.unscaledValue().equals(java.math.BigInteger.ONE)) {
            return normal(dividend.scaleByPowerOfTen(divisor.scale()));
        }
        return normal(dividend.divide(divisor, MathContext.DECIMAL128));
    }

    /** Decimals are kept without trailing zeros inside expressions, so equal amounts compare equal. */
    private static BigDecimal normal(BigDecimal value) {
        return value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    }

    private static BigDecimal decimal(Object value) {
        if (value instanceof BigDecimal) {
            return normal((BigDecimal) value);
        }
        if (value instanceof Long || value instanceof String) {
            try {
                return normal(new BigDecimal(value.toString().trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("decimal('" + value + "'): not a number");
            }
        }
        throw new IllegalArgumentException("decimal() takes a decimal column, an int or a string, not "
                + (value == null ? "null" : value.getClass().getSimpleName())
                + (value instanceof Double ? " (a double would not be exact)" : ""));
    }

    private static CelFunctionDecl binary(String operator, String overload) {
        return CelFunctionDecl.newFunctionDeclaration(operator,
                CelOverloadDecl.newGlobalOverload(overload, DECIMAL, DECIMAL, DECIMAL));
    }

    private static CelFunctionDecl compare(String operator, String overload) {
        return CelFunctionDecl.newFunctionDeclaration(operator,
                CelOverloadDecl.newGlobalOverload(overload, SimpleType.BOOL, DECIMAL, DECIMAL));
    }

    /** A compiled expression, safe to evaluate from one thread at a time per record. */
    public static final class Compiled {
        private final String text;
        private final CelRuntime.Program program;
        private final CelType resultType;
        private final String path;
        private final dev.cel.common.ast.CelExpr expression;

        Compiled(String text, CelRuntime.Program program, CelType resultType, String path,
                 dev.cel.common.ast.CelExpr expression) {
            this.expression = expression;
            this.text = text;
            this.program = program;
            this.resultType = resultType;
            this.path = path;
        }

        /** The checked expression tree. */
        public dev.cel.common.ast.CelExpr expression() {
            return expression;
        }

        /** Evaluates; the result is in the normalised value model (decimals as {@link BigDecimal}). */
        public Object evaluate(Map<String, Object> bindings) {
            try {
                Object result = program.eval(bindings);
                if (result instanceof dev.cel.common.values.NullValue
                        || result instanceof com.google.protobuf.NullValue) {
                    return null;
                }
                return result instanceof ByteString ? ((ByteString) result).toByteArray() : result;
            } catch (CelEvaluationException e) {
                throw new org.apache.kafka.connect.errors.DataException(path + ": expression '" + text
                        + "' failed: " + e.getMessage(), e);
            }
        }

        /** CEL's static type of the result ({@code dyn} when it depends on row values). */
        public String resultType() {
            return resultType.name();
        }

        public String text() {
            return text;
        }
    }
}
