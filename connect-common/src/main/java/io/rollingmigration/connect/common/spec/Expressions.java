package io.rollingmigration.connect.common.spec;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelBuilder;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelErrorCode;
import dev.cel.common.CelException;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.NullableType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.connect.errors.DataException;

/**
 * The mapping spec's expression language: CEL (Common Expression Language), which is not Turing-complete, has no
 * reflection, no I/O and no access to the JVM, and is compiled and type-checked once. Expressions see the legacy
 * row as {@code after} and {@code before}, the Debezium source block as {@code source}, and the operation as
 * {@code op}; with CEL's string, math, encoder and optional-value extensions and the spec's own functions
 * ({@link SpecFunctions}).
 *
 * <p>Where the legacy columns' types are known (declared in the spec, or read from the legacy table), a column
 * reference has that type when the expression is checked, and each row's values are brought into it before
 * evaluation, so an expression that type-checks meets the values it was checked against. Dates, times and
 * timestamps are CEL timestamps and durations; decimals are exact ({@code decimal}); SQL NULL is {@code null}.
 */
public final class Expressions {

    private static final CelType UNTYPED_ROW = MapType.create(SimpleType.STRING, SimpleType.DYN);
    private static final CelOptions OPTIONS =
            CelOptions.current().enableTimestampEpoch(true).build();

    private final Cel cel;
    private final LegacyColumns columns;
    private final List<String> rows;
    private final Map<String, CelFunctionBinding> bindingTable;

    /** The mapping spec's variables over undeclared columns. */
    public Expressions() {
        this(LegacyColumns.undeclared());
    }

    /** The mapping spec's variables: {@code after}, {@code before}, {@code source} and {@code op}. */
    public Expressions(LegacyColumns columns) {
        this(columns, List.of("after", "before"), true);
    }

    /**
     * The reconciler's rules: {@code legacy} (the normalised legacy row) and {@code target} (the normalised target
     * row), so that one expression can state an invariant across both stores.
     */
    public static Expressions forComparison() {
        return forComparison(LegacyColumns.undeclared());
    }

    public static Expressions forComparison(LegacyColumns legacyColumns) {
        return new Expressions(legacyColumns, List.of("legacy"), false);
    }

    private Expressions(LegacyColumns columns, List<String> rows, boolean spec) {
        this.columns = columns;
        this.rows = rows;
        CelLibraries libraries = new CelLibraries(OPTIONS);
        SpecFunctions functions = new SpecFunctions(libraries.stringBindings());
        CelType row = columns.declared() ? rowType(columns) : UNTYPED_ROW;
        // Ours first: the runtime keeps the first binding of an overload id.
        List<CelFunctionBinding> own = new ArrayList<>(functions.bindings());
        own.addAll(libraries.nullSafeBindings());
        this.bindingTable = libraries.bindingTable(own);
        CelBuilder builder = CelFactory.standardCelBuilder()
                .setOptions(OPTIONS)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addCompilerLibraries(libraries.compilerLibraries())
                .addRuntimeLibraries(libraries.runtimeLibraries())
                .addFunctionDeclarations(functions.declarations())
                .addFunctionBindings(own);
        if (row instanceof StructType struct) {
            builder.setTypeProvider(new RowTypes(struct));
        }
        rows.forEach(name -> builder.addVar(name, row));
        if (spec) {
            builder.addVar("source", UNTYPED_ROW);
            builder.addVar("op", SimpleType.STRING);
        } else {
            builder.addVar("target", UNTYPED_ROW);
        }
        cel = builder.build();
    }

    /** The legacy columns expressions were checked against. */
    public LegacyColumns columns() {
        return columns;
    }

    private static StructType rowType(LegacyColumns columns) {
        Map<String, CelType> fields = new HashMap<>();
        columns.asMap().forEach((name, type) -> fields.put(name, celType(type)));
        return StructType.create(
                "legacy.row", ImmutableSet.copyOf(fields.keySet()), name -> Optional.ofNullable(fields.get(name)));
    }

    /** A column's static type; every one but the temporal and decimal ones is nullable as CEL's wrappers are. */
    private static CelType celType(ColumnType type) {
        return switch (type) {
            case STRING -> NullableType.create(SimpleType.STRING);
            case LONG -> NullableType.create(SimpleType.INT);
            case DOUBLE -> NullableType.create(SimpleType.DOUBLE);
            case BOOLEAN -> NullableType.create(SimpleType.BOOL);
            case BYTES -> NullableType.create(SimpleType.BYTES);
            case DECIMAL -> SpecFunctions.DECIMAL;
            case DATE, TIMESTAMP, TIMESTAMPTZ -> SimpleType.TIMESTAMP;
            case TIME -> SimpleType.DURATION;
            case LIST -> ListType.create(SimpleType.DYN);
            case UNKNOWN -> SimpleType.DYN;
        };
    }

    /** Compiles and type-checks; a problem is a {@link SpecException} at {@code path} with CEL's message. */
    public Compiled compile(String expression, String path) {
        CelAbstractSyntaxTree ast;
        try {
            ast = cel.compile(expression).getAst();
        } catch (CelValidationException e) {
            throw new SpecException(path, "invalid expression: " + e.getMessage());
        }
        CallChecks.check(ast, path);
        try {
            return new Compiled(
                    expression,
                    cel.createProgram(ast),
                    StaticType.of(ast.getResultType()),
                    path,
                    ast.getExpr(),
                    referencedColumns(ast),
                    readsContext(ast),
                    DirectPlan.of(ast, bindingTable, Set.copyOf(rows)).orElse(null));
        } catch (CelException e) {
            throw new SpecException(path, "cannot compile expression: " + e.getMessage());
        }
    }

    /** True if the expression reads {@code before}, {@code source} or {@code op}: more than the row itself. */
    private static boolean readsContext(CelAbstractSyntaxTree ast) {
        return CelNavigableAst.fromAst(ast)
                .getRoot()
                .allNodes()
                .map(node -> node.expr())
                .filter(expr -> expr.getKind() == CelExpr.ExprKind.Kind.IDENT)
                .anyMatch(expr ->
                        Set.of("before", "source", "op").contains(expr.ident().name()));
    }

    private Set<String> referencedColumns(CelAbstractSyntaxTree ast) {
        Set<String> referenced = new LinkedHashSet<>();
        CelNavigableAst.fromAst(ast)
                .getRoot()
                .allNodes()
                .map(node -> node.expr())
                .filter(expr -> expr.getKind() == CelExpr.ExprKind.Kind.SELECT)
                .filter(expr -> expr.select().operand().getKind() == CelExpr.ExprKind.Kind.IDENT
                        && rows.contains(expr.select().operand().ident().name()))
                .forEach(expr -> referenced.add(expr.select().field()));
        return referenced;
    }

    /** The variables an expression is evaluated over, converted into CEL's values as an expression reads them. */
    public Map<String, Object> bindings(
            Map<String, Object> after, Map<String, Object> before, Map<String, Object> source, String op) {
        return new ExpressionBindings(
                celRow(after, columns), celRow(before, columns), celRow(source, LegacyColumns.undeclared()), op);
    }

    /** Bindings for {@link #forComparison()}: the legacy row and the target row. */
    public Map<String, Object> comparisonBindings(Map<String, Object> legacy, Map<String, Object> target) {
        Map<String, Object> bindings = new HashMap<>(4);
        bindings.put("legacy", celRow(legacy, columns));
        bindings.put("target", celRow(target, LegacyColumns.undeclared()));
        return bindings;
    }

    private static Map<String, Object> celRow(Map<String, Object> row, LegacyColumns columns) {
        return row == null || row.isEmpty() ? Map.of() : new CelRow(row, columns);
    }

    /** The type provider that lets the checker see the legacy row's columns and their types. */
    private record RowTypes(StructType row) implements CelTypeProvider {
        @Override
        public ImmutableCollection<CelType> types() {
            return ImmutableList.of(row);
        }

        @Override
        public Optional<CelType> findType(String typeName) {
            return row.name().equals(typeName) ? Optional.of(row) : Optional.empty();
        }
    }

    /** A compiled expression, safe to evaluate from one thread at a time per record. */
    public static final class Compiled {
        private final String text;
        private final CelRuntime.Program program;
        private final StaticType resultType;
        private final String path;
        private final CelExpr expression;
        private final Set<String> columns;
        private final boolean readsContext;
        private final DirectPlan.Node direct;

        Compiled(
                String text,
                CelRuntime.Program program,
                StaticType resultType,
                String path,
                CelExpr expression,
                Set<String> columns,
                boolean readsContext,
                DirectPlan.Node direct) {
            this.readsContext = readsContext;
            this.direct = direct;
            this.expression = expression;
            this.text = text;
            this.program = program;
            this.resultType = resultType;
            this.path = path;
            this.columns = columns;
        }

        /** The checked expression tree. */
        public CelExpr expression() {
            return expression;
        }

        /** The legacy columns the expression reads (through {@code after}, {@code before} or {@code legacy}). */
        public Set<String> columns() {
            return columns;
        }

        /** True if the expression reads {@code before}, {@code source} or {@code op}. */
        public boolean readsContext() {
            return readsContext;
        }

        /** Evaluates; the result is in the normalised value model (decimals as {@link java.math.BigDecimal}). */
        public Object evaluate(Map<String, Object> bindings) {
            return evaluate(bindings, false);
        }

        /**
         * Evaluates; a failure is a {@link DataException} naming the expression's path and the type of the value
         * it could not take, and with {@code masked} never the value itself.
         */
        public Object evaluate(Map<String, Object> bindings, boolean masked) {
            if (direct != null) {
                try {
                    return CelValues.fromCel(direct.eval(bindings));
                } catch (DirectPlan.Declined declined) {
                    // CEL's own evaluation gives the answer, or the error, this plan did not make
                }
            }
            return evaluateWithCel(bindings, masked);
        }

        /** Evaluates with CEL's interpreter alone (as {@link #evaluate} does for what its plan leaves). */
        Object evaluateWithCel(Map<String, Object> bindings, boolean masked) {
            try {
                return CelValues.fromCel(program.eval(name -> Optional.ofNullable(bindings.get(name))));
            } catch (CelEvaluationException e) {
                throw new DataException(path + ": expression '" + text + "' failed: " + describe(e, masked), e);
            }
        }

        private static String describe(CelEvaluationException e, boolean masked) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof FunctionFailure failure) {
                    return failure.describe(masked);
                }
                if (cause instanceof ArithmeticException) {
                    return cause.getMessage();
                }
            }
            String hint = e.getErrorCode() == CelErrorCode.OVERLOAD_NOT_FOUND
                    ? " (an operator or conversion met a null or a value of another type: guard it with "
                            + "coalesce(...), a condition, or when:)"
                    : "";
            if (masked) {
                return "evaluation error " + e.getErrorCode() + hint + " (values masked)";
            }
            return e.getMessage() + hint;
        }

        /** True if the expression is evaluated by a {@link DirectPlan} first. */
        boolean direct() {
            return direct != null;
        }

        /** CEL's static type of the result ({@code dyn} when it depends on values of unknown type). */
        public StaticType resultType() {
            return resultType;
        }

        public String text() {
            return text;
        }

        public String path() {
            return path;
        }
    }
}
