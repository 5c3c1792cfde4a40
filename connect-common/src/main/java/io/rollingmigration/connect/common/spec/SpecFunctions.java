package io.rollingmigration.connect.common.spec;

import com.google.protobuf.NullValue;
import com.google.protobuf.Timestamp;
import dev.cel.common.CelException;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.TypeParamType;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelFunctionOverload;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BinaryOperator;
import java.util.function.IntPredicate;

/**
 * The functions the mapping spec adds to CEL and its extensions: exact decimals, rounding with a stated mode,
 * {@code coalesce}, conversions to dates, times and timestamps, name-based UUIDs, and global forms of the string
 * extension's case and trim functions. Each one returns null for a null argument, as SQL functions do (except
 * {@code coalesce}, which exists for nulls); operators do not, so that an unexpected null is an error rather than a
 * silently empty field.
 *
 * <p>Functions that accept several argument types are declared over {@code dyn} and take one binding per arity,
 * which dispatches on the runtime value (null included); the argument types are then checked against
 * {@link #ACCEPTED} when the spec compiles, so a wrong argument is still a validation error.
 */
final class SpecFunctions {

    static final OpaqueType DECIMAL = OpaqueType.create("decimal");
    private static final CelType DYN = SimpleType.DYN;
    private static final int COALESCE_MAX = 8;

    /**
     * For the functions declared over {@code dyn}: per function and argument position, the static types an
     * argument may have ({@code dyn} and null always may).
     */
    static final Map<String, List<Set<String>>> ACCEPTED = Map.of(
            "decimal", List.of(Set.of("decimal", "int", "uint", "string")),
            "round", List.of(Set.of("decimal", "int", "uint", "double"), Set.of("int"), Set.of("string")),
            "date", List.of(Set.of("string", "timestamp"), Set.of("string")),
            "time", List.of(Set.of("string", "timestamp", "duration")),
            "timestamp", List.of(Set.of("string", "timestamp"), Set.of("string")),
            "uuid5", List.of(Set.of("string"), Set.of("string", "int", "uint")),
            "lowerAscii", List.of(Set.of("string")),
            "upperAscii", List.of(Set.of("string")),
            "trim", List.of(Set.of("string")));

    private final Map<String, CelFunctionBinding> strings;

    /** @param strings the string extension's bindings by overload id, which the global forms call */
    SpecFunctions(Map<String, CelFunctionBinding> strings) {
        this.strings = strings;
    }

    List<CelFunctionDecl> declarations() {
        List<CelFunctionDecl> decls = new ArrayList<>();
        decls.add(CelFunctionDecl.newFunctionDeclaration(
                "decimal", CelOverloadDecl.newGlobalOverload("decimal_of", DECIMAL, DYN)));
        for (String[] op :
                new String[][] {{"_+_", "add"}, {"_-_", "subtract"}, {"_*_", "multiply"}, {"_/_", "divide"}}) {
            decls.add(CelFunctionDecl.newFunctionDeclaration(
                    op[0],
                    CelOverloadDecl.newGlobalOverload(op[1] + "_decimal", DECIMAL, DECIMAL, DECIMAL),
                    CelOverloadDecl.newGlobalOverload(op[1] + "_decimal_int", DECIMAL, DECIMAL, SimpleType.INT),
                    CelOverloadDecl.newGlobalOverload(op[1] + "_int_decimal", DECIMAL, SimpleType.INT, DECIMAL)));
        }
        decls.add(CelFunctionDecl.newFunctionDeclaration(
                "-_", CelOverloadDecl.newGlobalOverload("negate_decimal", DECIMAL, DECIMAL)));
        for (String[] op :
                new String[][] {{"_<_", "less"}, {"_<=_", "less_equals"}, {"_>_", "greater"}, {"_>=_", "greater_equals"}
                }) {
            decls.add(CelFunctionDecl.newFunctionDeclaration(
                    op[0],
                    CelOverloadDecl.newGlobalOverload(op[1] + "_decimal", SimpleType.BOOL, DECIMAL, DECIMAL),
                    CelOverloadDecl.newGlobalOverload(op[1] + "_decimal_int", SimpleType.BOOL, DECIMAL, SimpleType.INT),
                    CelOverloadDecl.newGlobalOverload(
                            op[1] + "_int_decimal", SimpleType.BOOL, SimpleType.INT, DECIMAL)));
        }
        decls.add(CelFunctionDecl.newFunctionDeclaration(
                "same", CelOverloadDecl.newGlobalOverload("same_decimal", SimpleType.BOOL, DECIMAL, DECIMAL)));
        decls.add(CelFunctionDecl.newFunctionDeclaration(
                "string", CelOverloadDecl.newGlobalOverload("string_decimal", SimpleType.STRING, DECIMAL)));
        decls.add(CelFunctionDecl.newFunctionDeclaration(
                "int", CelOverloadDecl.newGlobalOverload("int_decimal", SimpleType.INT, DECIMAL)));
        decls.add(CelFunctionDecl.newFunctionDeclaration(
                "double", CelOverloadDecl.newGlobalOverload("double_decimal", SimpleType.DOUBLE, DECIMAL)));
        decls.add(CelFunctionDecl.newFunctionDeclaration(
                "math.@max",
                CelOverloadDecl.newGlobalOverload("math_max_decimal", DECIMAL, DECIMAL, DECIMAL),
                CelOverloadDecl.newGlobalOverload(
                        "math_max_timestamp", SimpleType.TIMESTAMP, SimpleType.TIMESTAMP, SimpleType.TIMESTAMP)));
        decls.add(CelFunctionDecl.newFunctionDeclaration(
                "math.@min",
                CelOverloadDecl.newGlobalOverload("math_min_decimal", DECIMAL, DECIMAL, DECIMAL),
                CelOverloadDecl.newGlobalOverload(
                        "math_min_timestamp", SimpleType.TIMESTAMP, SimpleType.TIMESTAMP, SimpleType.TIMESTAMP)));
        decls.add(CelFunctionDecl.newFunctionDeclaration(
                "round",
                CelOverloadDecl.newGlobalOverload("round_1", DECIMAL, DYN),
                CelOverloadDecl.newGlobalOverload("round_2", DECIMAL, DYN, DYN),
                CelOverloadDecl.newGlobalOverload("round_3", DECIMAL, DYN, DYN, DYN)));
        List<CelOverloadDecl> coalesce = new ArrayList<>();
        TypeParamType a = TypeParamType.create("A");
        for (int arity = 2; arity <= COALESCE_MAX; arity++) {
            coalesce.add(
                    CelOverloadDecl.newGlobalOverload("coalesce_" + arity, a, Collections.nCopies(arity, (CelType) a)));
        }
        decls.add(CelFunctionDecl.newFunctionDeclaration("coalesce", coalesce));
        decls.add(CelFunctionDecl.newFunctionDeclaration(
                "date",
                CelOverloadDecl.newGlobalOverload("date_1", SimpleType.TIMESTAMP, DYN),
                CelOverloadDecl.newGlobalOverload("date_2", SimpleType.TIMESTAMP, DYN, DYN)));
        decls.add(CelFunctionDecl.newFunctionDeclaration(
                "time", CelOverloadDecl.newGlobalOverload("time_1", SimpleType.DURATION, DYN)));
        decls.add(CelFunctionDecl.newFunctionDeclaration(
                "timestamp", CelOverloadDecl.newGlobalOverload("timestamp_in_zone", SimpleType.TIMESTAMP, DYN, DYN)));
        decls.add(CelFunctionDecl.newFunctionDeclaration(
                "uuid5", CelOverloadDecl.newGlobalOverload("uuid5_2", SimpleType.STRING, DYN, DYN)));
        for (String name : List.of("lowerAscii", "upperAscii", "trim")) {
            decls.add(CelFunctionDecl.newFunctionDeclaration(
                    name, CelOverloadDecl.newGlobalOverload(name + "_global", SimpleType.STRING, DYN)));
        }
        return decls;
    }

    List<CelFunctionBinding> bindings() {
        List<CelFunctionBinding> bindings = new ArrayList<>();
        bindings.add(nullSafe("decimal_of", 1, args -> Decimals.of(args[0])));
        arithmetic(bindings, "add", BigDecimal::add);
        arithmetic(bindings, "subtract", BigDecimal::subtract);
        arithmetic(bindings, "multiply", BigDecimal::multiply);
        arithmetic(bindings, "divide", Decimals::divide);
        bindings.add(CelFunctionBinding.from("negate_decimal", BigDecimal.class, d -> Decimals.normal(d.negate())));
        comparison(bindings, "less", c -> c < 0);
        comparison(bindings, "less_equals", c -> c <= 0);
        comparison(bindings, "greater", c -> c > 0);
        comparison(bindings, "greater_equals", c -> c >= 0);
        bindings.add(nullSafe("same_decimal", 2, args -> ((BigDecimal) args[0]).compareTo((BigDecimal) args[1]) == 0));
        bindings.add(CelFunctionBinding.from("string_decimal", BigDecimal.class, BigDecimal::toPlainString));
        bindings.add(CelFunctionBinding.from("int_decimal", BigDecimal.class, d -> {
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                throw new FunctionFailure("int() of a decimal with a fraction or out of range: round it first", d);
            }
        }));
        bindings.add(CelFunctionBinding.from("double_decimal", BigDecimal.class, BigDecimal::doubleValue));
        bindings.add(CelFunctionBinding.from("math_max_decimal", BigDecimal.class, BigDecimal.class, BigDecimal::max));
        bindings.add(CelFunctionBinding.from("math_min_decimal", BigDecimal.class, BigDecimal.class, BigDecimal::min));
        bindings.add(CelFunctionBinding.from(
                "math_max_timestamp",
                Timestamp.class,
                Timestamp.class,
                (x, y) -> CelValues.compare(x, y) >= 0 ? x : y));
        bindings.add(CelFunctionBinding.from(
                "math_min_timestamp",
                Timestamp.class,
                Timestamp.class,
                (x, y) -> CelValues.compare(x, y) <= 0 ? x : y));
        bindings.add(nullSafe("round_1", 1, args -> round(args[0], 0L, RoundingMode.HALF_UP)));
        bindings.add(nullSafe("round_2", 2, args -> round(args[0], args[1], RoundingMode.HALF_UP)));
        bindings.add(nullSafe("round_3", 3, args -> round(args[0], args[1], Decimals.mode(text(args[2], "round")))));
        for (int arity = 2; arity <= COALESCE_MAX; arity++) {
            bindings.add(CelFunctionBinding.from(
                    "coalesce_" + arity, Collections.nCopies(arity, Object.class), SpecFunctions::coalesce));
        }
        bindings.add(nullSafe("date_1", 1, args -> TemporalFunctions.date(args[0], null)));
        bindings.add(nullSafe("date_2", 2, args -> TemporalFunctions.date(args[0], text(args[1], "date"))));
        bindings.add(nullSafe("time_1", 1, args -> TemporalFunctions.time(args[0])));
        bindings.add(nullSafe(
                "timestamp_in_zone", 2, args -> TemporalFunctions.inZone(args[0], text(args[1], "timestamp"))));
        bindings.add(nullSafe("uuid5_2", 2, args -> uuid5(args[0], args[1])));
        bindings.add(nullSafe("lowerAscii_global", 1, args -> stringFunction("string_lower_ascii", args)));
        bindings.add(nullSafe("upperAscii_global", 1, args -> stringFunction("string_upper_ascii", args)));
        bindings.add(nullSafe("trim_global", 1, args -> trim(args[0])));
        // The strings extension's trim builds a code point array with line offsets for every string; this one
        // scans the characters (every CEL white space is in the Basic Multilingual Plane) to the same result.
        bindings.add(nullSafe("string_trim", 1, args -> trim(args[0])));
        return bindings;
    }

    /** A namespace as the spec writes it: a UUID, or dns, url, oid or x500. */
    static UUID namespace(String text) {
        try {
            return Uuid5.namespace(text);
        } catch (IllegalArgumentException e) {
            throw new FunctionFailure(
                    "uuid5(): the namespace is neither a UUID nor one of " + new TreeSet<>(Uuid5.NAMED.keySet()), text);
        }
    }

    private Object stringFunction(String overload, Object[] args) {
        CelFunctionBinding binding = strings.get(overload);
        try {
            return binding.getDefinition().apply(args);
        } catch (ClassCastException e) {
            throw new FunctionFailure(overload + "(): takes a string, not a " + CelValues.typeName(args[0]), null);
        } catch (CelException e) {
            throw new FunctionFailure(e.getMessage(), null);
        }
    }

    /** CEL's trim: leading and trailing white space as the strings extension defines it, removed. */
    static String trim(Object value) {
        if (!(value instanceof String text)) {
            throw new FunctionFailure("trim() takes a string, not a " + CelValues.typeName(value), null);
        }
        int start = 0;
        int end = text.length();
        while (start < end && celWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && celWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    /** The white space of CEL's strings extension: Unicode's White_Space characters. */
    private static boolean celWhitespace(char c) {
        return (c >= 0x0009 && c <= 0x000D)
                || c == 0x0020
                || c == 0x0085
                || c == 0x00A0
                || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A)
                || c == 0x2028
                || c == 0x2029
                || c == 0x202F
                || c == 0x205F
                || c == 0x3000;
    }

    private static BigDecimal round(Object value, Object scale, RoundingMode mode) {
        if (!(scale instanceof Long)) {
            throw new FunctionFailure("round(): the scale must be an int, not a " + CelValues.typeName(scale), null);
        }
        BigDecimal exact;
        if (value instanceof Double doubleValue) {
            double d = doubleValue;
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new FunctionFailure("round(): a double that is not a number", value);
            }
            // The shortest decimal that reads back as the same double: what the double was written as.
            exact = BigDecimal.valueOf(d);
        } else if (value instanceof BigDecimal || value instanceof Long) {
            exact = Decimals.of(value);
        } else {
            throw new FunctionFailure(
                    "round() takes a decimal, an int or a double, not a " + CelValues.typeName(value), null);
        }
        return Decimals.round(exact, (Long) scale, mode);
    }

    private static Object coalesce(Object[] args) {
        for (Object arg : args) {
            if (!CelValues.isNull(arg)) {
                return arg;
            }
        }
        return NullValue.NULL_VALUE;
    }

    private static String uuid5(Object namespace, Object name) {
        String text = name instanceof String ? (String) name : String.valueOf(name);
        return Uuid5.of(namespace(text(namespace, "uuid5")), text).toString();
    }

    private static String text(Object value, String function) {
        if (value instanceof String stringValue) {
            return stringValue;
        }
        throw new FunctionFailure(function + "(): expected a string, not a " + CelValues.typeName(value), null);
    }

    private static void arithmetic(List<CelFunctionBinding> bindings, String name, BinaryOperator<BigDecimal> op) {
        bindings.add(CelFunctionBinding.from(
                name + "_decimal", BigDecimal.class, BigDecimal.class, (x, y) -> Decimals.normal(op.apply(x, y))));
        bindings.add(CelFunctionBinding.from(
                name + "_decimal_int",
                BigDecimal.class,
                Long.class,
                (x, y) -> Decimals.normal(op.apply(x, BigDecimal.valueOf(y)))));
        bindings.add(CelFunctionBinding.from(
                name + "_int_decimal",
                Long.class,
                BigDecimal.class,
                (x, y) -> Decimals.normal(op.apply(BigDecimal.valueOf(x), y))));
    }

    private static void comparison(List<CelFunctionBinding> bindings, String name, IntPredicate holds) {
        bindings.add(CelFunctionBinding.from(
                name + "_decimal", BigDecimal.class, BigDecimal.class, (x, y) -> holds.test(x.compareTo(y))));
        bindings.add(CelFunctionBinding.from(
                name + "_decimal_int",
                BigDecimal.class,
                Long.class,
                (x, y) -> holds.test(x.compareTo(BigDecimal.valueOf(y)))));
        bindings.add(CelFunctionBinding.from(
                name + "_int_decimal",
                Long.class,
                BigDecimal.class,
                (x, y) -> holds.test(BigDecimal.valueOf(x).compareTo(y))));
    }

    /** A binding over any values of the given arity that yields null where any argument is null. */
    static CelFunctionBinding nullSafe(String overload, int arity, CelFunctionOverload function) {
        return CelFunctionBinding.from(overload, Collections.nCopies(arity, Object.class), args -> {
            for (Object arg : args) {
                if (CelValues.isNull(arg)) {
                    return NullValue.NULL_VALUE;
                }
            }
            return function.apply(args);
        });
    }
}
