package io.rollingmigration.connect.common.normalize;

import java.util.AbstractMap;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * A row struct seen as a map of column to normalised value, normalising each value when it is read. Translation
 * reads each column once, so copying every column into a map first would only allocate.
 */
final class StructRow extends AbstractMap<String, Object> {

    private final Struct row;

    StructRow(Struct row) {
        this.row = row;
    }

    @Override
    public Object get(Object column) {
        Field field = column instanceof String ? row.schema().field((String) column) : null;
        return field == null ? null : ValueNormalizer.value(field.schema(), row.get(field));
    }

    @Override
    public boolean containsKey(Object column) {
        return column instanceof String && row.schema().field((String) column) != null;
    }

    @Override
    public int size() {
        return row.schema().fields().size();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        Set<Entry<String, Object>> entries = new LinkedHashSet<>();
        for (Field field : row.schema().fields()) {
            entries.add(
                    new SimpleImmutableEntry<>(field.name(), ValueNormalizer.value(field.schema(), row.get(field))));
        }
        return entries;
    }
}
