package io.rollingmigration.connect.common.spec;

import com.google.protobuf.ByteString;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.connect.errors.DataException;

/**
 * Values on their way back into a legacy column: a service value (normalised) or an expression's result, brought
 * into the column's type in the normalised value model, so the forward rules read it back as the value it was.
 * Text is parsed where the column is not text (a legacy bigint code the service keeps as text); anything that would
 * lose information (a fraction into a whole number, a time of day into a date) is an error naming both types.
 */
final class LegacyValues {

    private LegacyValues() {}

    /** The value model type of a field's values, as the service's row holds them. */
    static ColumnType ofField(FieldType type) {
        return switch (type.kind()) {
            case STRING -> ColumnType.STRING;
            case LONG, INT -> ColumnType.LONG;
            case DOUBLE -> ColumnType.DOUBLE;
            case BOOLEAN -> ColumnType.BOOLEAN;
            case DECIMAL -> ColumnType.DECIMAL;
            case DATE -> ColumnType.DATE;
            case TIME -> ColumnType.TIME;
            case TIMESTAMP -> ColumnType.TIMESTAMP;
            case BYTES -> ColumnType.BYTES;
        };
    }

    /** Why values of {@code from} can never be written into a column of type {@code column}; empty if they can. */
    static Optional<String> refuses(ColumnType column, ColumnType from) {
        if (column == ColumnType.UNKNOWN || from == ColumnType.UNKNOWN || column == from) {
            return Optional.empty();
        }
        Set<ColumnType> accepted = switch (column) {
            case STRING ->
                Set.of(
                        ColumnType.LONG,
                        ColumnType.DOUBLE,
                        ColumnType.DECIMAL,
                        ColumnType.BOOLEAN,
                        ColumnType.DATE,
                        ColumnType.TIME,
                        ColumnType.TIMESTAMP,
                        ColumnType.TIMESTAMPTZ);
            case LONG -> Set.of(ColumnType.STRING, ColumnType.DECIMAL);
            case DOUBLE -> Set.of(ColumnType.STRING, ColumnType.LONG, ColumnType.DECIMAL);
            case DECIMAL -> Set.of(ColumnType.STRING, ColumnType.LONG);
            case BOOLEAN, TIME, BYTES, LIST -> Set.of(ColumnType.STRING);
            case DATE -> Set.of(ColumnType.STRING, ColumnType.TIMESTAMP, ColumnType.TIMESTAMPTZ);
            case TIMESTAMP, TIMESTAMPTZ ->
                Set.of(ColumnType.STRING, ColumnType.DATE, ColumnType.TIMESTAMP, ColumnType.TIMESTAMPTZ);
            case UNKNOWN -> Set.of();
        };
        if (accepted.contains(from)) {
            return Optional.empty();
        }
        return Optional.of("a " + from.modelName() + " cannot be written into a " + column.modelName()
                + " column; convert it with an expr rule");
    }

    /** The value model type an expression of this static type yields; {@code UNKNOWN} when not known. */
    static ColumnType ofExpression(StaticType type) {
        return switch (type.name()) {
            case "string" -> ColumnType.STRING;
            case "int", "uint" -> ColumnType.LONG;
            case "double" -> ColumnType.DOUBLE;
            case "decimal" -> ColumnType.DECIMAL;
            case "bool" -> ColumnType.BOOLEAN;
            case "bytes" -> ColumnType.BYTES;
            // A CEL timestamp is an instant; written into a date or wall-clock column as its UTC reading.
            case "timestamp" -> ColumnType.TIMESTAMPTZ;
            case "duration" -> ColumnType.TIME;
            case "list" -> ColumnType.LIST;
            default -> ColumnType.UNKNOWN;
        };
    }

    /**
     * The value in the column's type. {@code masked} values are never shown in the error.
     *
     * @throws DataException if the value cannot be one without losing information
     */
    static Object toColumn(ColumnType column, Object value, boolean masked) {
        if (value == null || column == ColumnType.UNKNOWN) {
            return value instanceof ByteString bytes ? bytes.toByteArray() : value;
        }
        try {
            Object converted = convert(column, value);
            if (converted != null) {
                return converted;
            }
        } catch (ArithmeticException | DateTimeException | IllegalArgumentException e) {
            // reported below, with both types
        }
        throw new DataException("a " + CelValues.typeName(value) + (masked ? " (value masked)" : " (" + value + ")")
                + " cannot be written into a legacy " + column.modelName() + " column");
    }

    /**
     * What the way back adds to {@link ColumnType#coerce} (text parsed into numbers, booleans, times and timestamps;
     * a decimal into a double; a duration into a time of day; an instant at midnight into a date; text never made of
     * bytes), then the forward direction's own coercion.
     */
    private static Object convert(ColumnType column, Object value) {
        if (column == ColumnType.STRING) {
            return text(value);
        }
        Object added = switch (column) {
            case LONG -> value instanceof String text ? Long.valueOf(Long.parseLong(text.trim())) : null;
            case DOUBLE ->
                value instanceof BigDecimal decimal
                        ? Double.valueOf(decimal.doubleValue())
                        : value instanceof String text ? Double.valueOf(Double.parseDouble(text.trim())) : null;
            case BOOLEAN -> value instanceof String text ? bool(text) : null;
            case DATE ->
                value instanceof Instant instant ? midnight(LocalDateTime.ofInstant(instant, ZoneOffset.UTC)) : null;
            case TIME ->
                value instanceof Duration duration && !duration.isNegative() && duration.toDays() == 0
                        ? LocalTime.ofNanoOfDay(duration.toNanos())
                        : value instanceof String text ? LocalTime.parse(text.trim()) : null;
            case TIMESTAMP -> value instanceof String text ? LocalDateTime.parse(text.trim()) : null;
            case TIMESTAMPTZ ->
                value instanceof String text ? OffsetDateTime.parse(text.trim()).toInstant() : null;
            case BYTES -> value instanceof ByteString bytes ? bytes.toByteArray() : null;
            default -> null;
        };
        return added != null ? added : column.coerce(value);
    }

    private static String text(Object value) {
        if (value instanceof byte[] || value instanceof List) {
            return null;
        }
        if (value instanceof Duration duration && !duration.isNegative() && duration.toDays() == 0) {
            return LocalTime.ofNanoOfDay(duration.toNanos()).toString();
        }
        return LegacyText.of(value);
    }

    private static Boolean bool(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static LocalDate midnight(LocalDateTime local) {
        if (!local.toLocalTime().equals(LocalTime.MIDNIGHT)) {
            throw new DateTimeException("has a time of day");
        }
        return local.toLocalDate();
    }
}
