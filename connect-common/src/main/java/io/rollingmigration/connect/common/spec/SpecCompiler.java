package io.rollingmigration.connect.common.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles a parsed spec: every expression is compiled and type-checked against the legacy columns' types where
 * they are known, every result checked to fit its field's declared type, every constant, mapped value and default
 * converted once, and, when the spec declares its legacy columns, every reference to a column checked; an
 * aggregate's reverse rules ({@code writeback}) are compiled with it, so a write-back the spec cannot carry out
 * fails validation wherever the spec is used. Problems
 * are {@link SpecException}s with their path in the spec.
 */
public final class SpecCompiler {

    private static final Pattern COLUMN_REFERENCE = Pattern.compile("\\b(?:after|before)\\.([A-Za-z_][A-Za-z0-9_]*)");

    private SpecCompiler() {}

    /** Parses and compiles every aggregate of the spec. */
    public static Map<String, AggregateTranslator> compile(String specText) {
        return compile(MappingSpec.parse(specText));
    }

    public static Map<String, AggregateTranslator> compile(MappingSpec spec) {
        return compile(spec, spec.sourceColumns());
    }

    /**
     * Compiles against the legacy table's columns as the table itself reports them, refining what the spec
     * declares: a type the spec leaves out is taken from the table, a declared one the table contradicts is an
     * error at {@code columns.<name>}.
     */
    public static Map<String, AggregateTranslator> compile(MappingSpec spec, LegacyColumns table, String tableName) {
        return compile(spec, spec.sourceColumns().refinedBy(table, tableName));
    }

    private static Map<String, AggregateTranslator> compile(MappingSpec spec, LegacyColumns columns) {
        Expressions expressions = new Expressions(columns);
        Map<String, AggregateTranslator> translators = new LinkedHashMap<>();
        for (AggregateSpec aggregate : spec.aggregates().values()) {
            if (spec.sourceColumns().declared()) {
                checkColumns(spec.sourceColumns(), aggregate);
            }
            AggregateTranslator translator = new AggregateTranslator(spec, aggregate, expressions);
            if (aggregate.writeback != null) {
                translator.writeback =
                        new WritebackTranslator(spec, aggregate, translator.keyColumns(), expressions.columns());
            }
            translators.put(aggregate.name, translator);
        }
        return translators;
    }

    /** Parses, compiles and returns one aggregate, or fails naming the aggregates the spec has. */
    public static AggregateTranslator compile(String specText, String aggregate) {
        return pick(compile(specText), aggregate);
    }

    /** One aggregate of a compiled spec, or a {@link SpecException} at {@code aggregates} naming those it has. */
    public static AggregateTranslator pick(Map<String, AggregateTranslator> all, String aggregate) {
        AggregateTranslator translator = all.get(aggregate);
        if (translator == null) {
            throw new SpecException("aggregates", "no aggregate '" + aggregate + "'; the spec has " + all.keySet());
        }
        return translator;
    }

    private static void checkColumns(LegacyColumns columns, AggregateSpec aggregate) {
        String path = "aggregates." + aggregate.name;
        aggregate.key.columns.forEach(c -> require(columns, c, path + ".key"));
        if (aggregate.key.expr != null) {
            references(aggregate.key.expr).forEach(c -> require(columns, c, aggregate.key.path));
        }
        aggregate.dropped.keySet().forEach(c -> require(columns, c, path + ".dropped." + c));
        for (FieldSpec spec : aggregate.fields.values()) {
            if (spec.from != null) {
                require(columns, spec.from, spec.path + ".from");
            }
            if (spec.refKey != null) {
                spec.refKey.forEach((name, column) -> require(columns, column, spec.path + ".ref.key." + name));
            }
            check(columns, spec.refName, spec.path + ".ref.name");
            check(columns, spec.expr, spec.path + ".expr");
            check(columns, spec.when, spec.path + ".when");
        }
    }

    private static void check(LegacyColumns columns, String expression, String path) {
        if (expression != null) {
            references(expression).forEach(c -> require(columns, c, path));
        }
    }

    static List<String> references(String expression) {
        List<String> found = new ArrayList<>();
        Matcher matcher = COLUMN_REFERENCE.matcher(expression);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    private static void require(LegacyColumns columns, String column, String path) {
        if (!columns.contains(column)) {
            throw new SpecException(
                    path,
                    "unknown legacy column '" + column + "'; the source has "
                            + columns.asMap().keySet());
        }
    }
}
