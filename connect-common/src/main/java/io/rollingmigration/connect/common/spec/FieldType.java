package io.rollingmigration.connect.common.spec;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * The type of a target field: how it appears in the aggregate's Connect schema, and how a normalised value becomes
 * a value of that schema. Money is {@code decimal(scale)}: exact, and a value that would need rounding is an error.
 */
public final class FieldType {

    enum Kind { STRING, LONG, INT, DOUBLE, BOOLEAN, DECIMAL, DATE, TIME, TIMESTAMP, BYTES }

    private final Kind kind;
    private final int scale;

    private FieldType(Kind kind, int scale) {
        this.kind = kind;
        this.scale = scale;
    }

    /** Parses {@code string}, {@code long}, {@code int}, {@code double}, {@code boolean}, {@code decimal(2)}... */
    static FieldType parse(String text, String path) {
        String type = text.trim().toLowerCase(Locale.ROOT);
        if (type.startsWith("decimal(") && type.endsWith(")")) {
            try {
                int scale = Integer.parseInt(type.substring("decimal(".length(), type.length() - 1).trim());
                if (scale < 0 || scale > 38) {
                    throw new SpecException(path, "decimal scale must be between 0 and 38, not " + scale);
                }
                return new FieldType(Kind.DECIMAL, scale);
            } catch (NumberFormatException e) {
                throw new SpecException(path, "'" + text + "' is not decimal(<scale>)");
            }
        }
        switch (type) {
            case "string":
                return new FieldType(Kind.STRING, 0);
            case "long":
                return new FieldType(Kind.LONG, 0);
            case "int":
                return new FieldType(Kind.INT, 0);
            case "double":
                return new FieldType(Kind.DOUBLE, 0);
            case "boolean":
                return new FieldType(Kind.BOOLEAN, 0);
            case "date":
                return new FieldType(Kind.DATE, 0);
            case "time":
                return new FieldType(Kind.TIME, 0);
            case "timestamp":
                return new FieldType(Kind.TIMESTAMP, 0);
            case "bytes":
                return new FieldType(Kind.BYTES, 0);
            default:
                throw new SpecException(path, "unknown type '" + text + "'; one of string, long, int, double, "
                        + "boolean, decimal(<scale>), date, time, timestamp, bytes");
        }
    }

    Kind kind() {
        return kind;
    }

    /** An optional Connect schema for the type (a field may be null: conditional fields, absent values). */
    Schema schema() {
        switch (kind) {
            case STRING:
                return Schema.OPTIONAL_STRING_SCHEMA;
            case LONG:
                return Schema.OPTIONAL_INT64_SCHEMA;
            case INT:
                return Schema.OPTIONAL_INT32_SCHEMA;
            case DOUBLE:
                return Schema.OPTIONAL_FLOAT64_SCHEMA;
            case BOOLEAN:
                return Schema.OPTIONAL_BOOLEAN_SCHEMA;
            case DECIMAL:
                return Decimal.builder(scale).optional().build();
            case DATE:
                return Date.builder().optional().build();
            case TIME:
                return Time.builder().optional().build();
            case TIMESTAMP:
                return Timestamp.builder().optional().build();
            default:
                return SchemaBuilder.bytes().optional().build();
        }
    }

    /** Converts a normalised value into this type's Connect value; fails with a message naming what is wrong. */
    Object toConnect(Object value) {
        if (value == null) {
            return null;
        }
        switch (kind) {
            case STRING:
                return value instanceof BigDecimal ? ((BigDecimal) value).toPlainString() : value.toString();
            case LONG:
                return exact(value).longValueExact();
            case INT:
                return exact(value).intValueExact();
            case DOUBLE:
                if (value instanceof Number) {
                    return ((Number) value).doubleValue();
                }
                throw mismatch(value);
            case BOOLEAN:
                if (value instanceof Boolean) {
                    return value;
                }
                throw mismatch(value);
            case DECIMAL:
                try {
                    return exact(value).setScale(scale, RoundingMode.UNNECESSARY);
                } catch (ArithmeticException e) {
                    throw new DataException("value " + value + " does not fit decimal(" + scale + ") without "
                            + "rounding");
                }
            case DATE:
                if (value instanceof LocalDate) {
                    return java.util.Date.from(((LocalDate) value).atStartOfDay(ZoneOffset.UTC).toInstant());
                }
                throw mismatch(value);
            case TIME:
                if (value instanceof LocalTime) {
                    return new java.util.Date(((LocalTime) value).toNanoOfDay() / 1_000_000L);
                }
                throw mismatch(value);
            case TIMESTAMP:
                if (value instanceof LocalDateTime) {
                    return java.util.Date.from(((LocalDateTime) value).toInstant(ZoneOffset.UTC));
                }
                if (value instanceof Instant) {
                    return java.util.Date.from((Instant) value);
                }
                throw mismatch(value);
            default:
                if (value instanceof byte[]) {
                    return value;
                }
                if (value instanceof com.google.protobuf.ByteString) {
                    return ((com.google.protobuf.ByteString) value).toByteArray();
                }
                throw mismatch(value);
        }
    }

    private BigDecimal exact(Object value) {
        if (value instanceof BigDecimal) {
            return (BigDecimal) value;
        }
        if (value instanceof Long || value instanceof Integer) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof String) {
            try {
                return new BigDecimal(((String) value).trim());
            } catch (NumberFormatException e) {
                throw mismatch(value);
            }
        }
        throw mismatch(value);
    }

    private DataException mismatch(Object value) {
        return new DataException("a " + value.getClass().getSimpleName() + " (" + value + ") is not a " + this);
    }

    @Override
    public String toString() {
        return kind == Kind.DECIMAL ? "decimal(" + scale + ")" : kind.name().toLowerCase(Locale.ROOT);
    }
}
