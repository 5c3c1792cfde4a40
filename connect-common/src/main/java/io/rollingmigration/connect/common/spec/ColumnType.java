package io.rollingmigration.connect.common.spec;

import java.math.BigDecimal;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The type of a legacy column in the normalised value model, as a spec declares it ({@code columns: {premium:
 * numeric(12,4)}}) or as the legacy table reports it. It gives column references in expressions a static type, so
 * that the compiler can tell at validation whether an expression can become its field's declared type.
 */
public enum ColumnType {
    STRING,
    LONG,
    DOUBLE,
    DECIMAL,
    BOOLEAN,
    DATE,
    TIME,
    TIMESTAMP,
    TIMESTAMPTZ,
    BYTES,
    LIST,
    /** Declared without a type: references to it are {@code dyn}. */
    UNKNOWN;

    private static final Map<String, ColumnType> NAMES = Map.ofEntries(
            Map.entry("string", STRING),
            Map.entry("text", STRING),
            Map.entry("varchar", STRING),
            Map.entry("char", STRING),
            Map.entry("character", STRING),
            Map.entry("character varying", STRING),
            Map.entry("nvarchar", STRING),
            Map.entry("nchar", STRING),
            Map.entry("bpchar", STRING),
            Map.entry("citext", STRING),
            Map.entry("clob", STRING),
            Map.entry("tinytext", STRING),
            Map.entry("mediumtext", STRING),
            Map.entry("longtext", STRING),
            Map.entry("uuid", STRING),
            Map.entry("json", STRING),
            Map.entry("jsonb", STRING),
            Map.entry("xml", STRING),
            Map.entry("enum", STRING),
            Map.entry("set", STRING),
            Map.entry("long", LONG),
            Map.entry("int", LONG),
            Map.entry("integer", LONG),
            Map.entry("bigint", LONG),
            Map.entry("smallint", LONG),
            Map.entry("tinyint", LONG),
            Map.entry("mediumint", LONG),
            Map.entry("int2", LONG),
            Map.entry("int4", LONG),
            Map.entry("int8", LONG),
            Map.entry("serial", LONG),
            Map.entry("bigserial", LONG),
            Map.entry("year", LONG),
            Map.entry("double", DOUBLE),
            Map.entry("double precision", DOUBLE),
            Map.entry("float", DOUBLE),
            Map.entry("float4", DOUBLE),
            Map.entry("float8", DOUBLE),
            Map.entry("real", DOUBLE),
            Map.entry("decimal", DECIMAL),
            Map.entry("numeric", DECIMAL),
            Map.entry("number", DECIMAL),
            Map.entry("money", DECIMAL),
            Map.entry("boolean", BOOLEAN),
            Map.entry("bool", BOOLEAN),
            Map.entry("date", DATE),
            Map.entry("time", TIME),
            Map.entry("time without time zone", TIME),
            Map.entry("timestamp", TIMESTAMP),
            Map.entry("datetime", TIMESTAMP),
            Map.entry("timestamp without time zone", TIMESTAMP),
            Map.entry("timestamptz", TIMESTAMPTZ),
            Map.entry("timestamp with time zone", TIMESTAMPTZ),
            Map.entry("bytes", BYTES),
            Map.entry("bytea", BYTES),
            Map.entry("blob", BYTES),
            Map.entry("binary", BYTES),
            Map.entry("varbinary", BYTES),
            Map.entry("tinyblob", BYTES),
            Map.entry("mediumblob", BYTES),
            Map.entry("longblob", BYTES),
            Map.entry("list", LIST),
            Map.entry("array", LIST));

    /**
     * A declared type: a name of the value model ({@code string}, {@code long}, {@code decimal}, {@code date}...)
     * or a SQL type as PostgreSQL or MariaDB write it ({@code varchar(40)}, {@code numeric(12,4)}, {@code
     * timestamp(6) with time zone}, {@code int8}, {@code text[]}); size and precision do not matter here.
     */
    public static ColumnType parse(String declared, String path) {
        String type = declared.trim().toLowerCase(Locale.ROOT);
        if (type.contains("(") && !type.contains(")")) {
            throw new SpecException(
                    path,
                    "'" + declared + "' is cut at a comma: in a YAML flow mapping ({a: b, ...}) "
                            + "quote a type with a comma, e.g. '" + declared
                            + ",4)', or leave the precision out (numeric)");
        }
        if (type.endsWith("[]")) {
            return LIST;
        }
        type = type.replaceAll("\\([^)]*\\)", " ")
                .replaceAll("\\s+", " ")
                .replace(" unsigned", "")
                .trim();
        ColumnType known = NAMES.get(type);
        if (known == null && type.equals("bit")) {
            known = BOOLEAN;
        }
        if (known == null) {
            throw new SpecException(
                    path,
                    "unknown column type '" + declared + "'; a SQL type (text, bigint, "
                            + "numeric(12,4), date, timestamp, timestamptz, boolean, bytea...) or one of "
                            + List.of(
                                    "string",
                                    "long",
                                    "double",
                                    "decimal",
                                    "boolean",
                                    "date",
                                    "time",
                                    "timestamp",
                                    "timestamptz",
                                    "bytes",
                                    "list"));
        }
        return known;
    }

    /** The type of a column as JDBC metadata reports it. */
    public static ColumnType ofJdbc(int sqlType, String typeName) {
        String name = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        return switch (sqlType) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> LONG;
            case Types.REAL, Types.FLOAT, Types.DOUBLE -> DOUBLE;
            case Types.NUMERIC, Types.DECIMAL -> DECIMAL;
            case Types.BIT, Types.BOOLEAN -> BOOLEAN;
            case Types.DATE -> DATE;
            case Types.TIME, Types.TIME_WITH_TIMEZONE -> TIME;
            case Types.TIMESTAMP -> name.equals("timestamptz") ? TIMESTAMPTZ : TIMESTAMP;
            case Types.TIMESTAMP_WITH_TIMEZONE -> TIMESTAMPTZ;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> BYTES;
            case Types.ARRAY -> LIST;
            default -> {
                // character types, and uuid, json, enums and the like, which are read as text (ValueNormalizer.column)
                yield STRING;
            }
        };
    }

    /** The type's name in the value model, as validation messages show it. */
    public String modelName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * A normalised value of a column declared with this type, in the Java class the type promises, so that a
     * checked expression meets the value it was checked against whatever the converter produced (a decimal sent as
     * text, a date as a timestamp at midnight). A value that cannot be one is an {@link IllegalArgumentException}.
     */
    Object coerce(Object value) {
        if (value == null || this == UNKNOWN) {
            return value;
        }
        switch (this) {
            case STRING:
                return value instanceof String
                        ? value
                        : value instanceof BigDecimal ? ((BigDecimal) value).toPlainString() : value.toString();
            case LONG:
                if (value instanceof Long) {
                    return value;
                }
                if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
                    return ((Number) value).longValue();
                }
                if (value instanceof BigDecimal bigDecimal) {
                    return bigDecimal.longValueExact();
                }
                break;
            case DOUBLE:
                if (value instanceof Number && !(value instanceof BigDecimal)) {
                    return ((Number) value).doubleValue();
                }
                break;
            case DECIMAL:
                if (value instanceof BigDecimal) {
                    return value;
                }
                if (value instanceof Long || value instanceof Integer || value instanceof Short) {
                    return BigDecimal.valueOf(((Number) value).longValue());
                }
                if (value instanceof String stringValue) {
                    return new BigDecimal(stringValue.trim());
                }
                break;
            case BOOLEAN:
                if (value instanceof Boolean) {
                    return value;
                }
                break;
            case DATE:
                if (value instanceof LocalDate) {
                    return value;
                }
                if (value instanceof LocalDateTime
                        && ((LocalDateTime) value).toLocalTime().equals(LocalTime.MIDNIGHT)) {
                    return ((LocalDateTime) value).toLocalDate();
                }
                if (value instanceof String) {
                    return LocalDate.parse(((String) value).trim());
                }
                break;
            case TIME:
                if (value instanceof LocalTime) {
                    return value;
                }
                break;
            case TIMESTAMP:
                if (value instanceof LocalDateTime) {
                    return value;
                }
                if (value instanceof LocalDate localDate) {
                    return localDate.atStartOfDay();
                }
                if (value instanceof Instant instantValue) {
                    return LocalDateTime.ofInstant(instantValue, ZoneOffset.UTC);
                }
                break;
            case TIMESTAMPTZ:
                if (value instanceof Instant) {
                    return value;
                }
                if (value instanceof LocalDateTime localDateTime) {
                    return localDateTime.toInstant(ZoneOffset.UTC);
                }
                if (value instanceof OffsetDateTime offsetDateTime) {
                    return offsetDateTime.toInstant();
                }
                break;
            case BYTES:
                if (value instanceof byte[]) {
                    return value;
                }
                break;
            case LIST:
                if (value instanceof List) {
                    return value;
                }
                break;
            default:
                return value;
        }
        throw new IllegalArgumentException("a " + value.getClass().getSimpleName() + " is not a " + modelName());
    }
}
