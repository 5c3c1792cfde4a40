package io.rollingmigration.connect.common.spec;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.errors.DataException;

/**
 * The name an id is made from, built by an expression over a legacy row: {@code 'policy:' + string(after.pol_id)}.
 * Spec keys and references hash it into a UUIDv5 (or use it as it is), and {@code MapId} does the same, so any
 * existing deterministic id scheme can be reproduced. An expression here reads the row as {@code after} only.
 */
public final class IdName {

    private final Expressions expressions;
    private final Expressions.Compiled expression;

    private IdName(Expressions expressions, Expressions.Compiled expression) {
        this.expressions = expressions;
        this.expression = expression;
    }

    /** Compiles over columns of unknown type; a problem is a {@link SpecException} at {@code path}. */
    public static IdName compile(String expression, String path) {
        return compile(expression, path, new Expressions());
    }

    static IdName compile(String text, String path, Expressions expressions) {
        Expressions.Compiled compiled = expressions.compile(text, path);
        String type = compiled.resultType().name();
        if (!List.of("string", "int", "uint", "dyn").contains(type)) {
            throw new SpecException(
                    path, "an id or a name is text; this expression yields " + type + ": convert it with string(...)");
        }
        if (compiled.readsContext()) {
            throw new SpecException(
                    path, "an id is made from the row alone: read after.<column>, not source, " + "before or op");
        }
        if (compiled.columns().isEmpty()) {
            throw new SpecException(path, "an id must depend on the row: read at least one after.<column>");
        }
        return new IdName(expressions, compiled);
    }

    /** The legacy columns the name is made from. */
    public Set<String> columns() {
        return expression.columns();
    }

    /** True if any column the name is made from is null in the row (a reference then has no target). */
    public boolean anyNull(Map<String, Object> row) {
        return expression.columns().stream().anyMatch(column -> row.get(column) == null);
    }

    /** The name for a row; a column it reads that the row lacks, or a null result, is a {@link DataException}. */
    public String of(Map<String, Object> row) {
        for (String column : expression.columns()) {
            if (!row.containsKey(column)) {
                throw new DataException(
                        expression.path() + ": legacy column '" + column + "' is not in the row " + row.keySet());
            }
        }
        Object value = expression.evaluate(expressions.bindings(row, Map.of(), Map.of(), "r"));
        if (value == null) {
            throw new DataException(
                    expression.path() + ": the name expression yields null (a column it reads is " + "null?)");
        }
        return LegacyText.of(value);
    }
}
