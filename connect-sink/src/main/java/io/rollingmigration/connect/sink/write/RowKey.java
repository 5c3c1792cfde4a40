package io.rollingmigration.connect.sink.write;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** The primary key of a target row: its column names in order and their values. */
public final class RowKey {

    private final List<String> columns;
    private final List<BoundValue> values;
    private final List<Object> comparable;

    RowKey(List<String> columns, List<BoundValue> values) {
        this.columns = List.copyOf(columns);
        this.values = List.copyOf(values);
        this.comparable = values.stream().map(BoundValue::identity).collect(Collectors.toList());
    }

    public List<String> columns() {
        return columns;
    }

    public List<BoundValue> values() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RowKey)) {
            return false;
        }
        RowKey other = (RowKey) o;
        return columns.equals(other.columns) && comparable.equals(other.comparable);
    }

    @Override
    public int hashCode() {
        return Objects.hash(columns, comparable);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                text.append(", ");
            }
            text.append(columns.get(i)).append('=').append(values.get(i).value());
        }
        return text.append('}').toString();
    }
}
