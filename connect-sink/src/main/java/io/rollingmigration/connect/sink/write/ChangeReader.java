package io.rollingmigration.connect.sink.write;

import io.rollingmigration.connect.common.lineage.Lineage;
import io.rollingmigration.connect.common.lineage.Lineage.Field;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Reads a sink record as a change to one target row. Every reason a record cannot be written is found here and
 * reported as a {@link DataException} naming the record, so the record can go to the dead letter queue with it.
 */
public final class ChangeReader {

    private final TargetTable table;
    private final String versionHeader;
    private final String versionField;
    private final Fragment fragment;

    /**
     * @param versionField a value field that holds the version, or {@code null} to use {@code versionHeader}
     */
    public ChangeReader(TargetTable table, String versionHeader, String versionField) {
        this(table, versionHeader, versionField, null);
    }

    /** A reader for the writer of one fragment: records may only carry the fragment's columns. */
    public ChangeReader(TargetTable table, String versionHeader, String versionField, Fragment fragment) {
        this.table = table;
        this.versionHeader = versionHeader;
        this.versionField = versionField;
        this.fragment = fragment;
    }

    public TargetChange read(SinkRecord record) {
        if (!(record.key() instanceof Struct)) {
            throw new DataException(origin(record) + ": the key must be a Struct naming the target row's primary "
                    + "key columns, but it is "
                    + (record.key() == null
                            ? "null"
                            : "a " + record.key().getClass().getSimpleName()));
        }
        RowKey key = key((Struct) record.key(), record);
        long version = versionField != null && record.value() instanceof Struct
                ? versionFromField((Struct) record.value(), record)
                : version(record);
        Map<String, BoundValue> columns = null;
        if (record.value() != null) {
            if (!(record.value() instanceof Struct)) {
                throw new DataException(origin(record) + ": the value must be a Struct of column values (or null "
                        + "for a delete), but it is a "
                        + record.value().getClass().getSimpleName());
            }
            columns = columns((Struct) record.value(), key, record);
        }
        return new TargetChange(record, key, columns, version, lineage(record));
    }

    private RowKey key(Struct key, SinkRecord record) {
        List<String> names = new ArrayList<>();
        List<BoundValue> values = new ArrayList<>();
        for (org.apache.kafka.connect.data.Field field : key.schema().fields()) {
            requireColumn(field.name(), record);
            Object value = key.get(field);
            if (value == null) {
                throw new DataException(origin(record) + ": key column '" + field.name() + "' is null");
            }
            names.add(field.name());
            values.add(BoundValue.of(field.schema(), value, field.name()));
        }
        if (!new HashSet<>(names).equals(new HashSet<>(table.primaryKey()))) {
            throw new DataException(origin(record) + ": key fields " + names + " are not the primary key "
                    + table.primaryKey() + " of " + table.id());
        }
        return new RowKey(names, values);
    }

    private Map<String, BoundValue> columns(Struct value, RowKey key, SinkRecord record) {
        Map<String, BoundValue> columns = new LinkedHashMap<>();
        for (int i = 0; i < key.columns().size(); i++) {
            columns.put(key.columns().get(i), key.values().get(i));
        }
        for (org.apache.kafka.connect.data.Field field : value.schema().fields()) {
            String column = field.name();
            requireColumn(column, record);
            if (fragment != null && !fragment.owns(column) && !key.columns().contains(column)) {
                throw new DataException(origin(record) + ": field '" + column + "' is not in this sink's fragment "
                        + fragment.columns() + "; another source owns it");
            }
            if (Lineage.isLineageColumn(column)) {
                throw new DataException(origin(record) + ": field '" + column + "' is a lineage column, which only "
                        + "the sink writes");
            }
            BoundValue bound = BoundValue.of(field.schema(), value.get(field), column);
            int max = table.maxTextLength(column);
            if (max >= 0 && bound.textLength() > max) {
                throw new DataException(origin(record) + ": value of '" + column + "' has " + bound.textLength()
                        + " characters; the column holds at most " + max);
            }
            if (columns.containsKey(column) && !columns.get(column).identity().equals(bound.identity())) {
                throw new DataException(origin(record) + ": key column '" + column + "' is " + columns.get(column)
                        + " in the key but " + bound + " in the value");
            }
            columns.put(column, bound);
        }
        return columns;
    }

    private long version(SinkRecord record) {
        Header header = record.headers().lastWithName(versionHeader);
        if (header == null || header.value() == null) {
            throw new DataException(origin(record) + ": no '" + versionHeader + "' header; the sink needs the "
                    + "change's version to keep older changes from overwriting newer ones");
        }
        Object value = header.value();
        if (value instanceof Number numberValue) {
            return numberValue.longValue();
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new DataException(
                    origin(record) + ": header '" + versionHeader + "' is '" + value + "', not a whole number");
        }
    }

    private long versionFromField(Struct value, SinkRecord record) {
        org.apache.kafka.connect.data.Field field = value.schema().field(versionField);
        Object version = field == null ? null : value.get(field);
        if (version instanceof Number) {
            return ((Number) version).longValue();
        }
        if (version instanceof Date date) {
            return date.getTime();
        }
        throw new DataException(origin(record) + ": version field '" + versionField + "' is "
                + (field == null
                        ? "not in the value"
                        : version == null
                                ? "null"
                                : "a " + version.getClass().getSimpleName() + ", not a number or timestamp"));
    }

    private static Map<String, Object> lineage(SinkRecord record) {
        Map<String, Object> lineage = new LinkedHashMap<>();
        for (Field field : Lineage.headerFields()) {
            if (field == Field.SOURCE_POSITION) {
                continue;
            }
            Header header = record.headers().lastWithName(field.header());
            Object value = header == null ? null : header.value();
            if (value != null && field.kind() == Lineage.Kind.TIMESTAMP && !(value instanceof Number)) {
                value = parseMillis(value, field, record);
            }
            lineage.put(field.column(), value);
        }
        return lineage;
    }

    private static Object parseMillis(Object value, Field field, SinkRecord record) {
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new DataException(
                    origin(record) + ": header '" + field.header() + "' is '" + value + "', not epoch milliseconds");
        }
    }

    private void requireColumn(String column, SinkRecord record) {
        if (!table.hasColumn(column)) {
            throw new DataException(origin(record) + ": field '" + column + "' has no column in " + table.id());
        }
    }

    static String origin(SinkRecord record) {
        return "record " + record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
    }
}
