package io.rollingmigration.connect.common.compare;

import io.rollingmigration.connect.common.drift.FieldDifference;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether an expected value and a target value mean the same, with the declared tolerances: numbers by
 * value whatever their type or scale ({@code 10.5 = 10.50}), temporal values as instants (within a tolerance),
 * bytes by content, booleans against 0/1 columns, and text exactly unless a field ignores case or white space.
 * It also writes values for drift records, masking personal data.
 */
public final class FieldComparator {

    static final String MASK = "***";

    private final long timestampToleranceMicros;
    private final Set<String> caseInsensitive;
    private final Set<String> whitespaceInsensitive;
    private final Set<String> masked;

    public FieldComparator(
            long timestampToleranceMillis,
            List<String> caseInsensitive,
            List<String> whitespaceInsensitive,
            List<String> masked) {
        this.timestampToleranceMicros = timestampToleranceMillis * 1000;
        this.caseInsensitive = Set.copyOf(caseInsensitive);
        this.whitespaceInsensitive = Set.copyOf(whitespaceInsensitive);
        this.masked = Set.copyOf(masked);
    }

    /** The fields whose values differ, in the given order. */
    public List<FieldDifference> differences(
            List<String> fields, Map<String, Object> expected, Map<String, Object> actual) {
        List<FieldDifference> differences = new ArrayList<>(0);
        for (String field : fields) {
            Object want = expected.get(field);
            Object have = actual.get(field);
            if (!same(field, want, have)) {
                differences.add(new FieldDifference(field, display(field, want), display(field, have)));
            }
        }
        return differences;
    }

    public boolean same(String field, Object expected, Object actual) {
        if (expected == null || actual == null) {
            return expected == null && actual == null;
        }
        Long expectedMicros = micros(expected);
        Long actualMicros = micros(actual);
        if (expectedMicros != null && actualMicros != null) {
            return Math.abs(expectedMicros - actualMicros) <= timestampToleranceMicros;
        }
        if (expected instanceof Boolean || actual instanceof Boolean) {
            return Objects.equals(truth(expected), truth(actual));
        }
        if (expected instanceof Number && actual instanceof Number) {
            return decimal(expected).compareTo(decimal(actual)) == 0;
        }
        byte[] expectedBytes = bytes(expected);
        byte[] actualBytes = bytes(actual);
        if (expectedBytes != null || actualBytes != null) {
            return expectedBytes != null && actualBytes != null && Arrays.equals(expectedBytes, actualBytes);
        }
        if (expected instanceof List && actual instanceof List) {
            List<?> left = (List<?>) expected;
            List<?> right = (List<?>) actual;
            if (left.size() != right.size()) {
                return false;
            }
            for (int i = 0; i < left.size(); i++) {
                if (!same(field, left.get(i), right.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (expected instanceof Number || actual instanceof Number) {
            // A number kept as text on one side (a numeric code in a varchar column, say).
            try {
                return decimal(expected).compareTo(decimal(actual)) == 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return text(field, expected.toString()).equals(text(field, actual.toString()));
    }

    private String text(String field, String value) {
        String text = value;
        if (whitespaceInsensitive.contains(field)) {
            text = text.trim().replaceAll("\\s+", " ");
        }
        if (caseInsensitive.contains(field)) {
            text = text.toLowerCase(Locale.ROOT);
        }
        return text;
    }

    /** A value as a drift record shows it: masked for personal data, instants in ISO-8601, bytes in base64. */
    public String display(String field, Object value) {
        if (value == null) {
            return null;
        }
        if (masked.contains(field)) {
            return MASK;
        }
        if (value instanceof BigDecimal bigDecimal) {
            return bigDecimal.toPlainString();
        }
        if (value instanceof Date date) {
            return date.toInstant().toString();
        }
        byte[] bytes = bytes(value);
        if (bytes != null) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        return value.toString();
    }

    private static Long micros(Object value) {
        if (value instanceof Date dateValue) {
            return dateValue.getTime() * 1000;
        }
        if (value instanceof Instant instantValue) {
            return micros(instantValue);
        }
        if (value instanceof LocalDateTime localDateTime) {
            return micros(localDateTime.toInstant(ZoneOffset.UTC));
        }
        if (value instanceof OffsetDateTime offsetDateTime) {
            return micros(offsetDateTime.toInstant());
        }
        if (value instanceof LocalDate localDate) {
            return localDate.toEpochDay() * 86_400_000_000L;
        }
        if (value instanceof LocalTime localTime) {
            return localTime.toNanoOfDay() / 1000;
        }
        return null;
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000;
    }

    private static Boolean truth(Object value) {
        if (value instanceof Boolean booleanValue) {
            return booleanValue;
        }
        if (value instanceof Number numberValue) {
            return numberValue.intValue() != 0;
        }
        return Boolean.parseBoolean(value.toString());
    }

    private static BigDecimal decimal(Object number) {
        return number instanceof BigDecimal
                ? (BigDecimal) number
                : new BigDecimal(number.toString().trim());
    }

    private static byte[] bytes(Object value) {
        if (value instanceof byte[]) {
            return (byte[]) value;
        }
        if (value instanceof ByteBuffer byteBuffer) {
            ByteBuffer buffer = byteBuffer.duplicate();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        }
        return null;
    }
}
