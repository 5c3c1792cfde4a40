package io.rollingmigration.connect.common.spec;

import java.math.BigDecimal;

/** A legacy value as text, the way value maps and UUIDv5 names read it: numbers without exponent or padding. */
public final class LegacyText {

    private LegacyText() {}

    public static String of(Object value) {
        return value instanceof BigDecimal decimal ? decimal.toPlainString() : value.toString();
    }
}
