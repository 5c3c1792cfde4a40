package io.rollingmigration.connect.common.spec;

import com.google.protobuf.NullValue;
import java.time.DateTimeException;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.errors.DataException;

/**
 * A row as CEL sees it, each column brought into its declared type and converted into CEL's value when an
 * expression reads it: an expression reads a few columns of a wide row, and converting them all for every
 * record cost more than evaluating it.
 */
final class CelRow extends AbstractMap<String, Object> {
    private final Map<String, Object> row;
    private final LegacyColumns columns;

    CelRow(Map<String, Object> row, LegacyColumns columns) {
        this.row = row;
        this.columns = columns;
    }

    @Override
    public Object get(Object column) {
        Object value = row.get(column);
        if (value == null) {
            // A SQL NULL is CEL's null, so that 'after.x == null' holds instead of leaving the value unknown.
            return row.containsKey(column) ? NullValue.NULL_VALUE : null;
        }
        return CelValues.toCel(typed((String) column, value));
    }

    private Object typed(String column, Object value) {
        ColumnType type = columns.type(column);
        try {
            return type.coerce(value);
        } catch (IllegalArgumentException | ArithmeticException | DateTimeException e) {
            throw new DataException("legacy column '" + column + "' is declared " + type.modelName()
                    + ", but the row holds a " + value.getClass().getSimpleName() + " that is not one");
        }
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
    public Set<Entry<String, Object>> entrySet() {
        Map<String, Object> values = new HashMap<>(row.size() * 2);
        row.keySet().forEach(column -> values.put(column, get(column)));
        return values.entrySet();
    }
}
