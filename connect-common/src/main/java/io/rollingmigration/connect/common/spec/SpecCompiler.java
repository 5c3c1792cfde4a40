package io.rollingmigration.connect.common.spec;

import io.rollingmigration.connect.common.spec.MappingSpec.AggregateSpec;
import io.rollingmigration.connect.common.spec.MappingSpec.FieldSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles a parsed spec: every expression is compiled and type-checked, every constant and mapped value converted
 * once, and, when the spec declares its legacy columns, every reference to a column checked. Problems are
 * {@link SpecException}s with their path in the spec.
 */
public final class SpecCompiler {

    private static final Pattern COLUMN_REFERENCE = Pattern.compile("\\b(?:after|before)\\.([A-Za-z_][A-Za-z0-9_]*)");

    private SpecCompiler() {
    }

    /** Parses and compiles every aggregate of the spec. */
    public static Map<String, AggregateTranslator> compile(String specText) {
        return compile(MappingSpec.parse(specText));
    }

    public static Map<String, AggregateTranslator> compile(MappingSpec spec) {
        Expressions expressions = new Expressions();
        Map<String, AggregateTranslator> translators = new LinkedHashMap<>();
        for (AggregateSpec aggregate : spec.aggregates().values()) {
            if (!spec.sourceColumns().isEmpty()) {
                checkColumns(spec.sourceColumns(), aggregate);
            }
            translators.put(aggregate.name, new AggregateTranslator(spec, aggregate, expressions));
        }
        return translators;
    }

    /** Parses, compiles and returns one aggregate, or fails naming the aggregates the spec has. */
    public static AggregateTranslator compile(String specText, String aggregate) {
        Map<String, AggregateTranslator> all = compile(specText);
        AggregateTranslator translator = all.get(aggregate);
        if (translator == null) {
            throw new SpecException("aggregates", "no aggregate '" + aggregate + "'; the spec has " + all.keySet());
        }
        return translator;
    }

    private static void checkColumns(List<String> columns, AggregateSpec aggregate) {
        String path = "aggregates." + aggregate.name;
        aggregate.key.columns.forEach(c -> require(columns, c, path + ".key"));
        aggregate.dropped.keySet().forEach(c -> require(columns, c, path + ".dropped." + c));
        for (Map.Entry<String, FieldSpec> field : aggregate.fields.entrySet()) {
            FieldSpec spec = field.getValue();
            if (spec.from != null) {
                require(columns, spec.from, spec.path + ".from");
            }
            if (spec.refKey != null) {
                spec.refKey.forEach((name, column) -> require(columns, column, spec.path + ".ref.key." + name));
            }
            for (String expression : new String[] {spec.expr, spec.when}) {
                if (expression != null) {
                    Matcher matcher = COLUMN_REFERENCE.matcher(expression);
                    while (matcher.find()) {
                        require(columns, matcher.group(1), spec.path + (expression.equals(spec.expr) ? ".expr"
                                : ".when"));
                    }
                }
            }
        }
    }

    private static void require(List<String> columns, String column, String path) {
        if (!columns.contains(column)) {
            throw new SpecException(path, "unknown legacy column '" + column + "'; the source has " + columns);
        }
    }
}
