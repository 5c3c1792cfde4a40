package io.rollingmigration.connect.sink.write;

import io.rollingmigration.connect.common.lineage.Lineage.Field;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * One change to one target row, read from a record: the row's key, its new column values (none for a delete), the
 * version that orders it against other changes of the row, and the lineage to keep with it.
 */
public final class TargetChange {

    private final SinkRecord record;
    private final RowKey key;
    private final Map<String, BoundValue> columns;
    private final long version;
    private final Map<String, Object> lineage;

    TargetChange(
            SinkRecord record, RowKey key, Map<String, BoundValue> columns, long version, Map<String, Object> lineage) {
        this.record = record;
        this.key = key;
        this.columns = columns;
        this.version = version;
        this.lineage = lineage;
    }

    public SinkRecord record() {
        return record;
    }

    public RowKey key() {
        return key;
    }

    public boolean isDelete() {
        return columns == null;
    }

    /** Column values of the row after the change, keys included; {@code null} for a delete. */
    public Map<String, BoundValue> columns() {
        return columns;
    }

    public long version() {
        return version;
    }

    /** Lineage column values (column name to JDBC value), without the version and applied-at columns. */
    public Map<String, Object> lineage() {
        return lineage;
    }

    /** The legacy commit time of the change (epoch ms), if its lineage carries one. */
    public OptionalLong committedAtMillis() {
        return lineage.get(Field.SOURCE_COMMIT_TIME.column()) instanceof Number committed
                ? OptionalLong.of(committed.longValue())
                : OptionalLong.empty();
    }

    /** The key columns in key order. */
    public List<String> keyColumns() {
        return key.columns();
    }

    /** The value of a field of the change (a key column or, for upserts, any column), or null. */
    public Object fieldValue(String column) {
        int keyIndex = key.columns().indexOf(column);
        if (keyIndex >= 0) {
            return key.values().get(keyIndex).value();
        }
        BoundValue value = columns == null ? null : columns.get(column);
        return value == null ? null : value.value();
    }

    public boolean hasField(String column) {
        return key.columns().contains(column) || (columns != null && columns.containsKey(column));
    }

    /** Where the record came from, for messages. */
    public String origin() {
        return ChangeReader.origin(record);
    }
}
