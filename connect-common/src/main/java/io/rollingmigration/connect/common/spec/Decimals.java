package io.rollingmigration.connect.common.spec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** Exact decimal arithmetic for expressions: money never passes through a double. */
final class Decimals {

    /**
     * The rounding modes {@code round()} accepts. {@code half_up} (ties away from zero) is what PostgreSQL's
     * {@code round(numeric, int)} and MariaDB's {@code ROUND()} of an exact value do, so it is the default;
     * {@code half_even} is banker's rounding (PostgreSQL's {@code round(double precision)}, Java's and IEEE's
     * default).
     */
    static final Map<String, RoundingMode> MODES = Map.of(
            "half_up",
            RoundingMode.HALF_UP,
            "half_even",
            RoundingMode.HALF_EVEN,
            "half_down",
            RoundingMode.HALF_DOWN,
            "up",
            RoundingMode.UP,
            "down",
            RoundingMode.DOWN,
            "ceiling",
            RoundingMode.CEILING,
            "floor",
            RoundingMode.FLOOR);

    private Decimals() {}

    /** Decimals are kept without trailing zeros inside expressions, so equal amounts compare equal. */
    static BigDecimal normal(BigDecimal value) {
        return value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    }

    /**
     * Exact division to 34 significant digits. Dividing by a power of ten (cents to units, say) only moves the
     * decimal point, which spares a long division per record.
     */
    static BigDecimal divide(BigDecimal dividend, BigDecimal divisor) {
        if (divisor.signum() == 0) {
            throw new ArithmeticException("division by zero");
        }
        if (divisor.unscaledValue().equals(BigInteger.ONE)) {
            return normal(dividend.scaleByPowerOfTen(divisor.scale()));
        }
        return normal(dividend.divide(divisor, MathContext.DECIMAL128));
    }

    /** A rounding mode by its name in the spec ({@code half_up}, {@code HALF_EVEN}, {@code half-even}...). */
    static RoundingMode mode(String name) {
        RoundingMode mode = MODES.get(name.trim().toLowerCase(Locale.ROOT).replace('-', '_'));
        if (mode == null) {
            throw new IllegalArgumentException(
                    "unknown rounding mode '" + name + "'; one of " + new TreeSet<>(MODES.keySet()));
        }
        return mode;
    }

    static BigDecimal round(BigDecimal value, long scale, RoundingMode mode) {
        if (scale < -38 || scale > 38) {
            throw new IllegalArgumentException("round(): the scale must be between -38 and 38, not " + scale);
        }
        return normal(value.setScale((int) scale, mode));
    }

    /** A decimal from a column value, an int or text; a double is refused, it would not be exact. */
    static BigDecimal of(Object value) {
        if (value instanceof BigDecimal bigDecimal) {
            return normal(bigDecimal);
        }
        if (value instanceof Long longValue) {
            return BigDecimal.valueOf(longValue);
        }
        if (value instanceof String stringValue) {
            try {
                return normal(new BigDecimal(stringValue.trim()));
            } catch (NumberFormatException e) {
                throw new FunctionFailure("decimal(): a string that is not a number", value);
            }
        }
        throw new FunctionFailure(
                "decimal() takes a decimal, an int or a string, not a " + CelValues.typeName(value)
                        + (value instanceof Double ? " (a double would not be exact)" : ""),
                null);
    }
}
