package io.rollingmigration.connect.common.dialect;

import java.math.BigInteger;
import java.sql.Types;
import java.time.Duration;
import java.util.Optional;

/** One column of a table as the database reports it. */
public final class ColumnDescription {

    private final String name;
    private final int jdbcType;
    private final String typeName;
    private final int size;
    private final boolean nullable;
    private final boolean hasDefault;
    private final int decimalDigits;

    /**
     * @param decimalDigits the metadata's {@code DECIMAL_DIGITS}: the scale of a number, the fractional seconds
     *                      precision of a time; negative when the database reports none
     */
    public ColumnDescription(
            String name,
            int jdbcType,
            String typeName,
            int size,
            boolean nullable,
            boolean hasDefault,
            int decimalDigits) {
        this.name = name;
        this.jdbcType = jdbcType;
        this.typeName = typeName;
        this.size = size;
        this.nullable = nullable;
        this.hasDefault = hasDefault;
        this.decimalDigits = decimalDigits;
    }

    public String name() {
        return name;
    }

    /** A {@link Types} constant. */
    public int jdbcType() {
        return jdbcType;
    }

    /** The database's own type name, e.g. {@code int8}, {@code numeric}, {@code varchar}. */
    public String typeName() {
        return typeName;
    }

    public int size() {
        return size;
    }

    public boolean nullable() {
        return nullable;
    }

    /** True if an insert that omits the column still succeeds: it is nullable or has a default. */
    public boolean canBeOmitted() {
        return nullable || hasDefault;
    }

    /** True for character types, whose ordering depends on collation. */
    public boolean isText() {
        return switch (jdbcType) {
            case Types.CHAR,
                    Types.VARCHAR,
                    Types.LONGVARCHAR,
                    Types.NCHAR,
                    Types.NVARCHAR,
                    Types.LONGNVARCHAR,
                    Types.CLOB,
                    Types.NCLOB -> true;
            default -> false;
        };
    }

    /**
     * The smallest step between two values of a date or time column: one day for a date, one unit of the declared
     * fractional seconds precision for a timestamp ({@code timestamp(3)}: a millisecond). A value written into the
     * column was rounded or cut to that step. Empty for other types.
     */
    public Optional<Duration> timeResolution() {
        return switch (jdbcType) {
            case Types.DATE -> Optional.of(Duration.ofDays(1));
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE ->
                Optional.of(Duration.ofNanos(
                        BigInteger.TEN.pow(9 - fractionalDigits()).longValueExact()));
            default -> Optional.empty();
        };
    }

    /**
     * PostgreSQL reports a timestamp's precision as its decimal digits; MariaDB reports none and only the length
     * of the longest value, {@code yyyy-MM-dd HH:mm:ss} (19) and a point and one character per digit.
     */
    private int fractionalDigits() {
        if (decimalDigits >= 0) {
            return Math.min(decimalDigits, 9);
        }
        return size > 20 ? Math.min(size - 20, 9) : size == 19 ? 0 : 6;
    }

    @Override
    public String toString() {
        return name + " " + typeName;
    }
}
