package io.rollingmigration.connect.reconcile.sweep;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * When a legacy value and a target value mean the same: decimals regardless of scale ({@code 10.5 = 10.50}),
 * numbers of different widths by value, bytes by content, timestamps by instant.
 */
public final class ValueEquality {

    private ValueEquality() {
    }

    public static boolean same(Object legacy, Object target) {
        if (legacy == null || target == null) {
            return legacy == target;
        }
        if (legacy instanceof Number && target instanceof Number) {
            return decimal(legacy).compareTo(decimal(target)) == 0;
        }
        if (legacy instanceof byte[] && target instanceof byte[]) {
            return Arrays.equals((byte[]) legacy, (byte[]) target);
        }
        if (legacy instanceof java.sql.Timestamp && target instanceof java.sql.Timestamp) {
            return legacy.equals(target);
        }
        if (legacy instanceof java.util.Date && target instanceof java.util.Date) {
            return ((java.util.Date) legacy).getTime() == ((java.util.Date) target).getTime();
        }
        return Objects.equals(legacy, target);
    }

    /** The value as operators read it in a drift record. */
    public static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal) {
            return ((BigDecimal) value).toPlainString();
        }
        if (value instanceof byte[]) {
            return Base64.getEncoder().encodeToString((byte[]) value);
        }
        return value.toString();
    }

    private static BigDecimal decimal(Object number) {
        return number instanceof BigDecimal ? (BigDecimal) number : new BigDecimal(number.toString());
    }
}
