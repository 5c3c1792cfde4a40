package io.rollingmigration.connect.common.spec;

import com.google.protobuf.ByteString;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * The type of a target field: how it appears in the aggregate's Connect schema, which values can become it (checked
 * when the spec compiles), and how a value becomes one. Money is {@code decimal(scale)}: exact, and a value that
 * would need rounding is an error; {@code round()} says how to round.
 */
public final class FieldType {

    enum Kind {
        STRING,
        LONG,
        INT,
        DOUBLE,
        BOOLEAN,
        DECIMAL,
        DATE,
        TIME,
        TIMESTAMP,
        BYTES
    }

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
                int scale = Integer.parseInt(
                        type.substring("decimal(".length(), type.length() - 1).trim());
                if (scale < 0 || scale > 38) {
                    throw new SpecException(path, "decimal scale must be between 0 and 38, not " + scale);
                }
                return new FieldType(Kind.DECIMAL, scale);
            } catch (NumberFormatException e) {
                throw new SpecException(path, "'" + text + "' is not decimal(<scale>)");
            }
        }
        return switch (type) {
            case "string" -> new FieldType(Kind.STRING, 0);
            case "long" -> new FieldType(Kind.LONG, 0);
            case "int" -> new FieldType(Kind.INT, 0);
            case "double" -> new FieldType(Kind.DOUBLE, 0);
            case "boolean" -> new FieldType(Kind.BOOLEAN, 0);
            case "date" -> new FieldType(Kind.DATE, 0);
            case "time" -> new FieldType(Kind.TIME, 0);
            case "timestamp" -> new FieldType(Kind.TIMESTAMP, 0);
            case "bytes" -> new FieldType(Kind.BYTES, 0);
            default ->
                throw new SpecException(
                        path,
                        "unknown type '" + text + "'; one of string, long, int, "
                                + "double, boolean, decimal(<scale>), date, time, timestamp, bytes");
        };
    }

    Kind kind() {
        return kind;
    }

    /** An optional Connect schema for the type (a field may be null: conditional fields, absent values). */
    Schema schema() {
        return switch (kind) {
            case STRING -> Schema.OPTIONAL_STRING_SCHEMA;
            case LONG -> Schema.OPTIONAL_INT64_SCHEMA;
            case INT -> Schema.OPTIONAL_INT32_SCHEMA;
            case DOUBLE -> Schema.OPTIONAL_FLOAT64_SCHEMA;
            case BOOLEAN -> Schema.OPTIONAL_BOOLEAN_SCHEMA;
            case DECIMAL -> Decimal.builder(scale).optional().build();
            case DATE -> Date.builder().optional().build();
            case TIME -> Time.builder().optional().build();
            case TIMESTAMP -> Timestamp.builder().optional().build();
            case BYTES -> SchemaBuilder.bytes().optional().build();
        };
    }

    /** The static types of expressions whose values can become this type ({@code null} always can). */
    private Set<String> acceptedExpressionTypes() {
        return switch (kind) {
            case STRING -> Set.of("string", "int", "uint", "double", "bool", "decimal", "timestamp", "duration", "dyn");
            case LONG, INT -> Set.of("int", "uint", "decimal");
            case DOUBLE -> Set.of("double", "int", "uint", "decimal");
            case BOOLEAN -> Set.of("bool");
            case DECIMAL -> Set.of("decimal", "int", "uint");
            case DATE, TIMESTAMP -> Set.of("timestamp");
            case TIME -> Set.of("duration");
            case BYTES -> Set.of("bytes");
        };
    }

    /** The legacy column types whose values can become this type as they are. */
    private Set<ColumnType> acceptedColumnTypes() {
        return switch (kind) {
            case STRING ->
                Set.of(
                        ColumnType.STRING,
                        ColumnType.LONG,
                        ColumnType.DOUBLE,
                        ColumnType.DECIMAL,
                        ColumnType.BOOLEAN,
                        ColumnType.DATE,
                        ColumnType.TIME,
                        ColumnType.TIMESTAMP,
                        ColumnType.TIMESTAMPTZ);
            case LONG, INT -> Set.of(ColumnType.LONG, ColumnType.DECIMAL);
            case DOUBLE -> Set.of(ColumnType.LONG, ColumnType.DOUBLE, ColumnType.DECIMAL);
            case BOOLEAN -> Set.of(ColumnType.BOOLEAN);
            case DECIMAL -> Set.of(ColumnType.LONG, ColumnType.DECIMAL);
            case DATE -> Set.of(ColumnType.DATE);
            case TIME -> Set.of(ColumnType.TIME);
            case TIMESTAMP -> Set.of(ColumnType.TIMESTAMP, ColumnType.TIMESTAMPTZ, ColumnType.DATE);
            case BYTES -> Set.of(ColumnType.BYTES);
        };
    }

    /**
     * Why an expression of the static type cannot become this type, or empty if it can. An expression whose type
     * is not known ({@code dyn}) is refused for every type but {@code string}: validation must not pass what it
     * cannot check.
     */
    Optional<String> refuses(StaticType type, Collection<String> untypedColumns) {
        if (type.name().equals("null") || acceptedExpressionTypes().contains(type.name())) {
            return Optional.empty();
        }
        if (type.unknown()) {
            return Optional.of("the expression's type is not known (dyn)"
                    + (untypedColumns.isEmpty()
                            ? ""
                            : " (it reads " + String.join(", ", untypedColumns)
                                    + ", whose type the spec does not declare)")
                    + ", so it cannot be checked to be a " + this
                    + ": declare the legacy columns' types (columns: {"
                    + (untypedColumns.isEmpty()
                            ? "name"
                            : untypedColumns.iterator().next()) + ": <type>, ...}) or convert explicitly, e.g. "
                    + conversionHint());
        }
        return Optional.of("the expression yields " + type + ", which is not a " + this
                + (conversionHint().isEmpty() ? "" : "; convert it explicitly, e.g. " + conversionHint()));
    }

    /** Why a legacy column of the given type cannot become this type as it is, or empty if it can. */
    Optional<String> refuses(ColumnType column) {
        if (column == ColumnType.UNKNOWN || acceptedColumnTypes().contains(column)) {
            return Optional.empty();
        }
        return Optional.of("the legacy column is a " + column.modelName() + ", which is not a " + this
                + (conversionHint().isEmpty() ? "" : "; convert it with expr, e.g. " + conversionHint()));
    }

    private String conversionHint() {
        return switch (kind) {
            case LONG, INT -> "int(...)";
            case DOUBLE -> "double(...)";
            case DECIMAL -> "decimal(...) or round(..., " + scale + ")";
            case DATE -> "date(...)";
            case TIME -> "time(...)";
            case TIMESTAMP -> "timestamp(...)";
            case BOOLEAN -> "a comparison such as x == 1";
            default -> "";
        };
    }

    /** Converts a normalised value into this type's Connect value; fails naming what is wrong. */
    Object toConnect(Object value) {
        return toConnect(value, false);
    }

    /**
     * As {@link #toConnect(Object)}; with {@code masked} a failure names the value's type, never the value. The
     * common cases are decided here in a few type checks (this runs for every field of every record); the rest is
     * left to {@link #converted}.
     */
    Object toConnect(Object value, boolean masked) {
        if (value == null) {
            return null;
        }
        return switch (kind) {
            case STRING -> value instanceof String ? value : converted(value, masked);
            case LONG -> value instanceof Long ? value : converted(value, masked);
            case BOOLEAN -> value instanceof Boolean ? value : converted(value, masked);
            case DECIMAL ->
                value instanceof BigDecimal decimal && decimal.scale() == scale ? value : converted(value, masked);
            default -> converted(value, masked);
        };
    }

    private Object converted(Object value, boolean masked) {
        switch (kind) {
            case STRING:
                if (value instanceof BigDecimal decimal) {
                    return decimal.toPlainString();
                }
                if (value instanceof Duration duration
                        && !duration.isNegative()
                        && duration.compareTo(Duration.ofDays(1)) < 0) {
                    return LocalTime.ofNanoOfDay(duration.toNanos()).toString();
                }
                if (value instanceof byte[] || value instanceof List || value instanceof Map) {
                    throw mismatch(value, masked, "");
                }
                return value.toString();
            case LONG:
                return exact(value, masked).longValueExact();
            case INT:
                return exact(value, masked).intValueExact();
            case DOUBLE:
                if (value instanceof Number number) {
                    return number.doubleValue();
                }
                throw mismatch(value, masked, "");
            case BOOLEAN:
                throw mismatch(value, masked, "");
            case DECIMAL:
                try {
                    return exact(value, masked).setScale(scale, RoundingMode.UNNECESSARY);
                } catch (ArithmeticException e) {
                    throw new DataException((masked ? "a decimal (value masked)" : "value " + value) + " does not fit "
                            + "decimal(" + scale + ") without rounding; say how to round with round(x, " + scale
                            + ", 'half_up')");
                }
            case DATE:
                return java.util.Date.from(
                        day(value, masked).atStartOfDay(ZoneOffset.UTC).toInstant());
            case TIME:
                if (value instanceof LocalTime time) {
                    return new java.util.Date(time.toNanoOfDay() / 1_000_000L);
                }
                if (value instanceof Duration duration
                        && !duration.isNegative()
                        && duration.compareTo(Duration.ofDays(1)) < 0) {
                    return new java.util.Date(duration.toMillis());
                }
                throw mismatch(value, masked, "");
            case TIMESTAMP:
                if (value instanceof LocalDateTime dateTime) {
                    return new java.util.Date(
                            dateTime.toEpochSecond(ZoneOffset.UTC) * 1000L + dateTime.getNano() / 1_000_000);
                }
                if (value instanceof Instant instant) {
                    return java.util.Date.from(instant);
                }
                if (value instanceof LocalDate date) {
                    return java.util.Date.from(date.atStartOfDay(ZoneOffset.UTC).toInstant());
                }
                throw mismatch(value, masked, "");
            default:
                if (value instanceof byte[]) {
                    return value;
                }
                if (value instanceof ByteString bytes) {
                    return bytes.toByteArray();
                }
                throw mismatch(value, masked, "");
        }
    }

    /** A date, or the midnight (UTC) of one, as the expressions' timestamps of dates are. */
    private LocalDate day(Object value, boolean masked) {
        if (value instanceof LocalDate date) {
            return date;
        }
        LocalDateTime dateTime = value instanceof LocalDateTime local
                ? local
                : value instanceof Instant instant ? LocalDateTime.ofInstant(instant, ZoneOffset.UTC) : null;
        if (dateTime == null) {
            throw mismatch(value, masked, "");
        }
        if (!dateTime.toLocalTime().equals(LocalTime.MIDNIGHT)) {
            throw mismatch(value, masked, ": it has a time of day; take its day with date(...)");
        }
        return dateTime.toLocalDate();
    }

    private BigDecimal exact(Object value, boolean masked) {
        if (value instanceof BigDecimal decimal) {
            return decimal;
        }
        if (value instanceof Long || value instanceof Integer) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof String text) {
            try {
                return new BigDecimal(text.trim());
            } catch (NumberFormatException e) {
                throw mismatch(value, masked, "");
            }
        }
        throw mismatch(value, masked, "");
    }

    private DataException mismatch(Object value, boolean masked, String why) {
        return new DataException("a " + CelValues.typeName(value) + (masked ? " (value masked)" : " (" + value + ")")
                + " is not a " + this + why);
    }

    @Override
    public String toString() {
        return kind == Kind.DECIMAL ? "decimal(" + scale + ")" : kind.name().toLowerCase(Locale.ROOT);
    }
}
