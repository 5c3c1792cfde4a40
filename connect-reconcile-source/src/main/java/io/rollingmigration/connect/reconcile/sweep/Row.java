package io.rollingmigration.connect.reconcile.sweep;

import java.util.List;
import java.util.Map;

/** One row read by a sweep: its key values in key order and its compared column values by name. */
public final class Row {

    private final List<Object> key;
    private final Map<String, Object> values;

    Row(List<Object> key, Map<String, Object> values) {
        this.key = key;
        this.values = values;
    }

    public List<Object> key() {
        return key;
    }

    public Map<String, Object> values() {
        return values;
    }
}
