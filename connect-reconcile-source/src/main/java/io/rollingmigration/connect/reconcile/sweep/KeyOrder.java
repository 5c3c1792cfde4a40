package io.rollingmigration.connect.reconcile.sweep;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;

/**
 * The order both databases are asked to return keys in: numbers numerically, text by its UTF-8 bytes (PostgreSQL
 * {@code COLLATE "C"}, MariaDB {@code BINARY}), composite keys component by component. Java's
 * {@code String.compareTo} orders by UTF-16 units, which differs for characters outside the Basic Multilingual
 * Plane, so it must not be used here.
 */
public final class KeyOrder implements Comparator<List<Object>> {

    public static final KeyOrder INSTANCE = new KeyOrder();

    private KeyOrder() {
    }

    @Override
    public int compare(List<Object> left, List<Object> right) {
        for (int i = 0; i < left.size(); i++) {
            int c = compareValues(left.get(i), right.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    static int compareValues(Object left, Object right) {
        if (left instanceof Long && right instanceof Long) {
            return Long.compare((Long) left, (Long) right);
        }
        if (left instanceof Integer && right instanceof Integer) {
            return Integer.compare((Integer) left, (Integer) right);
        }
        if (left instanceof Number && right instanceof Number) {
            return new BigDecimal(left.toString()).compareTo(new BigDecimal(right.toString()));
        }
        if (left instanceof byte[] && right instanceof byte[]) {
            return compareUnsigned((byte[]) left, (byte[]) right);
        }
        return compareUnsigned(left.toString().getBytes(StandardCharsets.UTF_8),
                right.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static int compareUnsigned(byte[] left, byte[] right) {
        return java.util.Arrays.compareUnsigned(left, right);
    }
}
