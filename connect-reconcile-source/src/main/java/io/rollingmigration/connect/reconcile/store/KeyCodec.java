package io.rollingmigration.connect.reconcile.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollingmigration.connect.common.dialect.ColumnDescription;
import io.rollingmigration.connect.common.lineage.SourceKey;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Converts a legacy key between its column values and its canonical JSON (the lineage source key), and binds key
 * values as parameters of the columns' own types, so that lookups by key use the legacy table's index.
 */
public final class KeyCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ColumnDescription> columns;
    private final List<String> names = new ArrayList<>();

    public KeyCodec(List<ColumnDescription> columns) {
        this.columns = List.copyOf(columns);
        columns.forEach(c -> names.add(c.name()));
    }

    /** The key's only column, for lookups by one array parameter; {@code null} for a composite key. */
    public ColumnDescription single() {
        return columns.size() == 1 ? columns.get(0) : null;
    }

    public ColumnDescription column(int index) {
        return columns.get(index);
    }

    public List<String> names() {
        return names;
    }

    public int size() {
        return columns.size();
    }

    /** The canonical JSON of a normalised row's key columns. */
    public String canonical(Map<String, Object> row) {
        if (columns.size() == 1) {
            return SourceKey.of(Map.of(names.get(0), row.get(names.get(0))));
        }
        Map<String, Object> key = new LinkedHashMap<>();
        names.forEach(n -> key.put(n, row.get(n)));
        return SourceKey.of(key);
    }

    /** The key values of a normalised row, in key order. */
    public List<Object> values(Map<String, Object> row) {
        List<Object> values = new ArrayList<>(columns.size());
        for (ColumnDescription column : columns) {
            Object value = row.get(column.name());
            // Normalised rows hold UUIDs as text; the column compares only with a uuid parameter.
            values.add(
                    value instanceof String && "uuid".equalsIgnoreCase(column.typeName())
                            ? UUID.fromString((String) value)
                            : value);
        }
        return values;
    }

    /** The key values a canonical JSON key stands for, in key order, as values of the columns' types. */
    public List<Object> parse(String canonical) {
        JsonNode node;
        try {
            node = JSON.readTree(canonical);
        } catch (IOException e) {
            throw new IllegalArgumentException("Not a canonical key: " + canonical, e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("Not a canonical key: " + canonical);
        }
        List<Object> values = new ArrayList<>(columns.size());
        for (ColumnDescription column : columns) {
            JsonNode value = node.get(column.name());
            if (value == null || value.isNull()) {
                throw new IllegalArgumentException(
                        "Key " + canonical + " has no value for key column '" + column.name() + "'");
            }
            values.add(typed(column, value));
        }
        return values;
    }

    private static Object typed(ColumnDescription column, JsonNode value) {
        String type = column.typeName() == null ? "" : column.typeName().toLowerCase(Locale.ROOT);
        switch (column.jdbcType()) {
            case Types.TINYINT:
            case Types.SMALLINT:
            case Types.INTEGER:
            case Types.BIGINT:
                return value.asLong();
            case Types.NUMERIC:
            case Types.DECIMAL:
            case Types.REAL:
            case Types.FLOAT:
            case Types.DOUBLE:
                return new BigDecimal(value.asText());
            case Types.DATE:
                return LocalDate.parse(value.asText());
            case Types.TIMESTAMP:
            case Types.TIMESTAMP_WITH_TIMEZONE:
                if (value.isNumber()) {
                    return Instant.ofEpochMilli(value.asLong());
                }
                return type.contains("tz") || column.jdbcType() == Types.TIMESTAMP_WITH_TIMEZONE
                        ? Instant.parse(value.asText())
                        : LocalDateTime.parse(value.asText());
            case Types.BIT:
            case Types.BOOLEAN:
                return value.asBoolean();
            case Types.BINARY:
            case Types.VARBINARY:
            case Types.LONGVARBINARY:
                return Base64.getDecoder().decode(value.asText());
            default:
                return "uuid".equals(type) ? UUID.fromString(value.asText()) : value.asText();
        }
    }

    /** Binds key values at {@code first}, in the order a dialect's tuple condition asks for. */
    public static int bind(PreparedStatement statement, int first, List<Object> values, int[] order)
            throws SQLException {
        int index = first;
        for (int position : order) {
            bindOne(statement, index++, values.get(position));
        }
        return index;
    }

    /** Binds key values at {@code first} in key order. */
    public static int bind(PreparedStatement statement, int first, List<Object> values) throws SQLException {
        int index = first;
        for (Object value : values) {
            bindOne(statement, index++, value);
        }
        return index;
    }

    static void bindOne(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value instanceof Long longValue) {
            statement.setLong(index, longValue);
        } else if (value instanceof BigDecimal bigDecimal) {
            statement.setBigDecimal(index, bigDecimal);
        } else if (value instanceof String stringValue) {
            statement.setString(index, stringValue);
        } else if (value instanceof Instant instantValue) {
            statement.setObject(index, OffsetDateTime.ofInstant(instantValue, ZoneOffset.UTC));
        } else if (value instanceof byte[]) {
            statement.setBytes(index, (byte[]) value);
        } else {
            statement.setObject(index, value);
        }
    }
}
