package io.rollingmigration.connect.sink.write;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Calendar;
import java.util.TimeZone;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * A Connect value on its way to a JDBC parameter. Connect's time types are instants in UTC (Debezium's
 * {@code time.precision.mode=connect} maps a {@code timestamp without time zone} to UTC millis), so they are
 * bound with a UTC calendar and arrive in the column as the legacy wall-clock value.
 */
public final class BoundValue {

    private static final ThreadLocal<Calendar> UTC =
            ThreadLocal.withInitial(() -> Calendar.getInstance(TimeZone.getTimeZone("UTC")));

    /** The absent value: binds as SQL NULL of the column's type. */
    static final BoundValue NULL = new BoundValue(Kind.NULL, null);

    private final Kind kind;
    private final Object value;

    private BoundValue(Kind kind, Object value) {
        this.kind = kind;
        this.value = value;
    }

    enum Kind {
        NULL,
        PLAIN,
        DECIMAL,
        DATE,
        TIME,
        TIMESTAMP,
        BYTES
    }

    /** Interprets {@code value} by its Connect schema; fails for types a column cannot hold. */
    static BoundValue of(Schema schema, Object value, String field) {
        if (value == null) {
            return new BoundValue(Kind.NULL, null);
        }
        String logical = schema.name();
        if (Decimal.LOGICAL_NAME.equals(logical)) {
            return new BoundValue(Kind.DECIMAL, value);
        }
        if (Date.LOGICAL_NAME.equals(logical)) {
            return new BoundValue(Kind.DATE, value);
        }
        if (Time.LOGICAL_NAME.equals(logical)) {
            return new BoundValue(Kind.TIME, value);
        }
        if (Timestamp.LOGICAL_NAME.equals(logical)) {
            return new BoundValue(Kind.TIMESTAMP, value);
        }
        return switch (schema.type()) {
            case INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING -> new BoundValue(Kind.PLAIN, value);
            case BYTES -> new BoundValue(Kind.BYTES, value instanceof ByteBuffer ? bytes((ByteBuffer) value) : value);
            default ->
                throw new DataException("Field '" + field + "' has Connect type " + schema.type()
                        + (logical == null ? "" : " (" + logical + ")") + ", which no target column can hold yet");
        };
    }

    /** A lineage value: text, a number, or an instant in epoch milliseconds for time columns. */
    static BoundValue lineage(Object value, boolean timestamp) {
        if (value == null) {
            return new BoundValue(Kind.NULL, null);
        }
        if (timestamp) {
            return new BoundValue(Kind.TIMESTAMP, new java.util.Date(((Number) value).longValue()));
        }
        return new BoundValue(Kind.PLAIN, value);
    }

    void bind(PreparedStatement statement, int index, int sqlTypeForNull) throws SQLException {
        switch (kind) {
            case NULL:
                statement.setNull(index, sqlTypeForNull);
                break;
            case DECIMAL:
                statement.setBigDecimal(index, (BigDecimal) value);
                break;
            case DATE:
                statement.setDate(index, new java.sql.Date(((java.util.Date) value).getTime()), UTC.get());
                break;
            case TIME:
                statement.setTime(index, new java.sql.Time(((java.util.Date) value).getTime()), UTC.get());
                break;
            case TIMESTAMP:
                statement.setTimestamp(index, new java.sql.Timestamp(((java.util.Date) value).getTime()), UTC.get());
                break;
            case BYTES:
                statement.setBytes(index, (byte[]) value);
                break;
            default:
                statement.setObject(index, value);
        }
    }

    Object value() {
        return value;
    }

    /** A value with content equality, for comparing keys. */
    Object identity() {
        if (value instanceof byte[]) {
            return ByteBuffer.wrap((byte[]) value);
        }
        if (value instanceof BigDecimal bigDecimal) {
            return bigDecimal.stripTrailingZeros();
        }
        return value;
    }

    /** The number of characters of a text value, for length checks. */
    int textLength() {
        return value instanceof String ? ((String) value).length() : -1;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    @Override
    public String toString() {
        return value instanceof byte[] ? Arrays.toString((byte[]) value) : String.valueOf(value);
    }
}
