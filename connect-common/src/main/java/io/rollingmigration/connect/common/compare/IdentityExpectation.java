package io.rollingmigration.connect.common.compare;

import io.rollingmigration.connect.common.lineage.SourceKey;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Without a mapping spec, the target should hold the legacy row as it is: the same key, and the same values in the
 * columns of the same name.
 */
public final class IdentityExpectation implements Expectation {

    private final List<String> keyColumns;
    private final List<String> fields;

    public IdentityExpectation(List<String> keyColumns, List<String> fields) {
        this.keyColumns = List.copyOf(keyColumns);
        this.fields = List.copyOf(fields);
    }

    @Override
    public String targetKey(Map<String, Object> legacy) {
        return keyText(keyColumns, legacy);
    }

    /** A key as text: a single column's value, or canonical JSON for a composite key. */
    public static String keyText(List<String> columns, Map<String, Object> row) {
        if (columns.size() == 1) {
            Object value = row.get(columns.get(0));
            return value instanceof BigDecimal ? ((BigDecimal) value).toPlainString() : String.valueOf(value);
        }
        Map<String, Object> key = new LinkedHashMap<>();
        columns.forEach(c -> key.put(c, row.get(c)));
        return SourceKey.of(key);
    }

    @Override
    public Map<String, Object> expected(Map<String, Object> legacy, String targetKey) {
        Map<String, Object> values = new HashMap<>();
        fields.forEach(f -> values.put(f, legacy.get(f)));
        return values;
    }

    @Override
    public List<String> fields() {
        return fields;
    }

    @Override
    public String rule() {
        return "identity";
    }
}
