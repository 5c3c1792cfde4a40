package io.rollingmigration.connect.common.normalize;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * One value model for legacy rows, whether they arrive as Debezium change events or are read over JDBC, so that
 * the same row always translates to the same aggregate:
 *
 * <ul>
 *   <li>whole numbers: {@link Long}; floating point: {@link Double}; exact numbers: {@link BigDecimal} (never
 *   a double);</li>
 *   <li>{@code timestamp} (wall clock, no zone): {@link LocalDateTime}; {@code timestamptz}: {@link Instant};
 *   {@code date}: {@link LocalDate}; {@code time}: {@link LocalTime};</li>
 *   <li>text, enums, UUIDs, JSON: {@link String}; bytes: {@code byte[]}; arrays: {@link List}; booleans.</li>
 * </ul>
 */
public final class ValueNormalizer {

    private ValueNormalizer() {}

    /** The normalised columns of a row struct, by field name (a read-only view, normalising on read). */
    public static Map<String, Object> row(Struct row) {
        return row == null ? Map.of() : new StructRow(row);
    }

    /** A Connect value, interpreted by its schema's logical name (Connect's and Debezium's). */
    public static Object value(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        String logical = schema.name();
        if (logical != null) {
            switch (logical) {
                case Decimal.LOGICAL_NAME:
                    return value;
                case "io.debezium.data.VariableScaleDecimal":
                    Struct decimal = (Struct) value;
                    byte[] unscaled = bytes(decimal.get("value"));
                    return new BigDecimal(new BigInteger(unscaled), decimal.getInt32("scale"));
                case Date.LOGICAL_NAME:
                    return LocalDate.ofInstant(((java.util.Date) value).toInstant(), ZoneOffset.UTC);
                case "io.debezium.time.Date":
                    return LocalDate.ofEpochDay(((Number) value).longValue());
                case Time.LOGICAL_NAME:
                    return LocalTime.ofNanoOfDay((((java.util.Date) value).getTime() % 86_400_000L) * 1_000_000L);
                case "io.debezium.time.Time":
                    return LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000_000L);
                case "io.debezium.time.MicroTime":
                    return LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000L);
                case "io.debezium.time.NanoTime":
                    return LocalTime.ofNanoOfDay(((Number) value).longValue());
                case Timestamp.LOGICAL_NAME:
                    return wallClock(Instant.ofEpochMilli(((java.util.Date) value).getTime()));
                case "io.debezium.time.Timestamp":
                    return wallClock(Instant.ofEpochMilli(((Number) value).longValue()));
                case "io.debezium.time.MicroTimestamp":
                    long micros = ((Number) value).longValue();
                    return wallClock(Instant.ofEpochSecond(
                            Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L));
                case "io.debezium.time.NanoTimestamp":
                    long nanos = ((Number) value).longValue();
                    return wallClock(Instant.ofEpochSecond(
                            Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)));
                case "io.debezium.time.ZonedTimestamp":
                    return OffsetDateTime.parse(value.toString()).toInstant();
                case "io.debezium.data.Uuid":
                    return value.toString().toLowerCase(Locale.ROOT);
                default:
                    break; // io.debezium.data.Json, Enum, Xml... are strings; fall through to the type
            }
        }
        return switch (schema.type()) {
            case INT64 -> value;
            case INT8, INT16, INT32 -> ((Number) value).longValue();
            case FLOAT64 -> value;
            case FLOAT32 -> ((Number) value).doubleValue();
            case BOOLEAN, STRING -> value;
            case BYTES -> bytes(value);
            case ARRAY -> {
                List<Object> items = new ArrayList<>();
                for (Object item : (List<?>) value) {
                    items.add(value(schema.valueSchema(), item));
                }
                yield items;
            }
            default ->
                throw new DataException("Cannot normalise a value of Connect type " + schema.type()
                        + (logical == null ? "" : " (" + logical + ")"));
        };
    }

    /** The normalised columns of the current row of a result set, by column label. */
    public static Map<String, Object> row(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            values.put(meta.getColumnLabel(i), column(rs, i, meta.getColumnType(i), meta.getColumnTypeName(i)));
        }
        return values;
    }

    /** One JDBC column, read by its SQL type into the same model as the Connect values. */
    public static Object column(ResultSet rs, int index, int sqlType, String typeName) throws SQLException {
        Object value;
        switch (sqlType) {
            case Types.TINYINT:
            case Types.SMALLINT:
            case Types.INTEGER:
            case Types.BIGINT:
                long whole = rs.getLong(index);
                return rs.wasNull() ? null : whole;
            case Types.REAL:
            case Types.FLOAT:
            case Types.DOUBLE:
                double real = rs.getDouble(index);
                return rs.wasNull() ? null : real;
            case Types.NUMERIC:
            case Types.DECIMAL:
                return rs.getBigDecimal(index);
            case Types.DATE:
                return rs.getObject(index, LocalDate.class);
            case Types.TIME:
                return rs.getObject(index, LocalTime.class);
            case Types.TIMESTAMP:
                if ("timestamptz".equalsIgnoreCase(typeName)) {
                    OffsetDateTime zoned = rs.getObject(index, OffsetDateTime.class);
                    return zoned == null ? null : zoned.toInstant();
                }
                return rs.getObject(index, LocalDateTime.class);
            case Types.TIMESTAMP_WITH_TIMEZONE:
                OffsetDateTime zoned = rs.getObject(index, OffsetDateTime.class);
                return zoned == null ? null : zoned.toInstant();
            case Types.BIT:
            case Types.BOOLEAN:
                boolean flag = rs.getBoolean(index);
                return rs.wasNull() ? null : flag;
            case Types.BINARY:
            case Types.VARBINARY:
            case Types.LONGVARBINARY:
            case Types.BLOB:
                return rs.getBytes(index);
            default:
                value = rs.getObject(index);
                if (value == null) {
                    return null;
                }
                if ("uuid".equalsIgnoreCase(typeName)) {
                    return value.toString().toLowerCase(Locale.ROOT);
                }
                if (value instanceof Array array) {
                    List<Object> items = new ArrayList<>();
                    for (Object item : (Object[]) array.getArray()) {
                        items.add(
                                item instanceof Integer || item instanceof Short ? ((Number) item).longValue() : item);
                    }
                    return items;
                }
                return value.toString();
        }
    }

    /** A moment's wall clock in UTC (without the zone rules ofInstant builds for every call). */
    private static LocalDateTime wallClock(Instant instant) {
        return LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
    }

    private static byte[] bytes(Object value) {
        if (value instanceof byte[]) {
            return (byte[]) value;
        }
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
