package io.rollingmigration.connect.common.spec;

import com.google.common.primitives.UnsignedLong;
import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.NullValue;
import com.google.protobuf.Timestamp;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The normalised value model as CEL sees it, and back. Temporal values are CEL's own time types: a date is the
 * timestamp of its midnight in UTC, a wall-clock timestamp that moment read as UTC (as the target columns store
 * it), a time of day the duration since midnight. Decimals stay {@link BigDecimal}; SQL NULL is CEL's null.
 */
final class CelValues {

    private CelValues() {}

    static boolean isNull(Object value) {
        return value == null || value instanceof NullValue || value instanceof dev.cel.common.values.NullValue;
    }

    /** A normalised value as a CEL value. */
    static Object toCel(Object value) {
        if (value == null) {
            return NullValue.NULL_VALUE;
        }
        if (value instanceof BigDecimal bigDecimal) {
            return Decimals.normal(bigDecimal);
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float floatValue) {
            return floatValue.doubleValue();
        }
        if (value instanceof byte[]) {
            return ByteString.copyFrom((byte[]) value);
        }
        if (value instanceof LocalDate localDate) {
            return timestamp(localDate.atStartOfDay(ZoneOffset.UTC).toInstant());
        }
        if (value instanceof LocalDateTime localDateTime) {
            return timestamp(localDateTime.toInstant(ZoneOffset.UTC));
        }
        if (value instanceof Instant instantValue) {
            return timestamp(instantValue);
        }
        if (value instanceof OffsetDateTime offsetDateTime) {
            return timestamp(offsetDateTime.toInstant());
        }
        if (value instanceof LocalTime localTime) {
            return duration(java.time.Duration.ofNanos(localTime.toNanoOfDay()));
        }
        if (value instanceof List) {
            List<Object> items = new ArrayList<>(((List<?>) value).size());
            ((List<?>) value).forEach(item -> items.add(toCel(item)));
            return items;
        }
        return value;
    }

    /** A CEL result in the normalised model: timestamps as {@link Instant}, durations as Java durations. */
    static Object fromCel(Object value) {
        if (isNull(value)) {
            return null;
        }
        if (value instanceof ByteString byteString) {
            return byteString.toByteArray();
        }
        if (value instanceof UnsignedLong unsigned) {
            return new BigDecimal(unsigned.bigIntegerValue());
        }
        if (value instanceof Timestamp timestampValue) {
            return instant(timestampValue);
        }
        if (value instanceof Duration durationValue) {
            return javaDuration(durationValue);
        }
        if (value instanceof List) {
            List<Object> items = new ArrayList<>(((List<?>) value).size());
            ((List<?>) value).forEach(item -> items.add(fromCel(item)));
            return items;
        }
        return value;
    }

    /** The order of two timestamps. */
    static int compare(Timestamp x, Timestamp y) {
        int seconds = Long.compare(x.getSeconds(), y.getSeconds());
        return seconds != 0 ? seconds : Integer.compare(x.getNanos(), y.getNanos());
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder()
                .setSeconds(instant.getEpochSecond())
                .setNanos(instant.getNano())
                .build();
    }

    static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    static Duration duration(java.time.Duration duration) {
        return Duration.newBuilder()
                .setSeconds(duration.getSeconds())
                .setNanos(duration.getNano())
                .build();
    }

    static java.time.Duration javaDuration(Duration duration) {
        return java.time.Duration.ofSeconds(duration.getSeconds(), duration.getNanos());
    }

    /** A CEL value's type as error messages name it, never the value itself. */
    static String typeName(Object value) {
        if (isNull(value)) {
            return "null";
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Long) {
            return "int";
        }
        if (value instanceof UnsignedLong) {
            return "uint";
        }
        if (value instanceof Double) {
            return "double";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof BigDecimal) {
            return "decimal";
        }
        if (value instanceof Timestamp
                || value instanceof Instant
                || value instanceof LocalDateTime
                || value instanceof OffsetDateTime) {
            return "timestamp";
        }
        if (value instanceof LocalDate) {
            return "date";
        }
        if (value instanceof LocalTime) {
            return "time";
        }
        if (value instanceof Duration || value instanceof java.time.Duration) {
            return "duration";
        }
        if (value instanceof ByteString || value instanceof byte[]) {
            return "bytes";
        }
        if (value instanceof List) {
            return "list";
        }
        if (value instanceof Map) {
            return "map";
        }
        return value.getClass().getSimpleName();
    }
}
