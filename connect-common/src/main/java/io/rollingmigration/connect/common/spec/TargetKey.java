package io.rollingmigration.connect.common.spec;

import io.rollingmigration.connect.common.lineage.SourceKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.DataException;

/**
 * How an aggregate's target id is made from a legacy row: UUIDv5 of the legacy key's canonical JSON (the same text
 * as the lineage source key, or with its columns renamed as another table names them), UUIDv5 of a name an
 * expression builds ({@code 'policy:' + string(after.pol_id)}), a legacy column as it is, or an expression. Any
 * existing deterministic id scheme can so be reproduced, by the pipeline and the reconciler alike.
 */
final class TargetKey {

    private final String owner;
    private final String field;
    private final byte[] namespace;
    private final List<String> columns;
    private final Map<String, String> renamed;
    private final IdName expression;

    TargetKey(String owner, KeySpec spec, Expressions expressions) {
        this.owner = owner;
        this.field = spec.field;
        this.namespace = spec.namespace == null ? null : Uuid5.bytes(spec.namespace);
        this.renamed = spec.renamed;
        this.expression = spec.expr == null ? null : IdName.compile(spec.expr, spec.path, expressions);
        this.columns = expression == null ? spec.columns : List.copyOf(expression.columns());
    }

    String field() {
        return field;
    }

    List<String> columns() {
        return columns;
    }

    String of(Map<String, Object> row) {
        if (expression != null) {
            for (String column : columns) {
                requirePresent(row, column);
            }
            String name = expression.of(row);
            return namespace == null ? name : Uuid5.of(namespace, name).toString();
        }
        Map<String, Object> key = new LinkedHashMap<>();
        for (String column : columns) {
            requirePresent(row, column);
            key.put(renamed.getOrDefault(column, column), row.get(column));
        }
        if (namespace == null) {
            return LegacyText.of(key.values().iterator().next());
        }
        return Uuid5.of(namespace, SourceKey.of(key)).toString();
    }

    private void requirePresent(Map<String, Object> row, String column) {
        if (!row.containsKey(column)) {
            throw new DataException(owner + ": legacy key column '" + column + "' is not in the row " + row.keySet());
        }
        if (row.get(column) == null) {
            throw new DataException(owner + ": legacy key column '" + column + "' is null");
        }
    }

    /** The legacy key columns' values as canonical JSON, for messages. */
    String legacyKeyText(Map<String, Object> row) {
        Map<String, Object> key = new LinkedHashMap<>();
        columns.forEach(c -> key.put(c, row.get(c)));
        return SourceKey.of(key);
    }
}
