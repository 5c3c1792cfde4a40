package io.rollingmigration.readshift;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

/**
 * A service's answer in the aggregate's own types. Services answer in JSON more often than not, where a date is
 * text and a decimal may be a double: each field the aggregate types as a date, time, timestamp or decimal is read
 * as one, so that the comparator compares meanings, not spellings. A value that does not parse stays as it is, and
 * compares unequal.
 */
final class ServiceValues {

    private final Map<String, String> logicalTypes = new HashMap<>();

    ServiceValues(Schema aggregate) {
        for (Field field : aggregate.fields()) {
            if (field.schema().name() != null) {
                logicalTypes.put(field.name(), field.schema().name());
            }
        }
    }

    Map<String, Object> coerced(Map<String, Object> row) {
        Map<String, Object> values = new HashMap<>(row.size() * 2);
        for (Map.Entry<String, Object> entry : row.entrySet()) {
            String logical = logicalTypes.get(entry.getKey());
            values.put(entry.getKey(), logical == null ? entry.getValue() : coerce(logical, entry.getValue()));
        }
        return values;
    }

    private static Object coerce(String logical, Object value) {
        if (value == null) {
            return null;
        }
        try {
            switch (logical) {
                case org.apache.kafka.connect.data.Date.LOGICAL_NAME:
                    if (value instanceof CharSequence text) {
                        return Date.from(LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC));
                    }
                    if (value instanceof LocalDate date) {
                        return Date.from(date.atStartOfDay().toInstant(ZoneOffset.UTC));
                    }
                    return value;
                case Time.LOGICAL_NAME:
                    if (value instanceof CharSequence text) {
                        return LocalTime.parse(text);
                    }
                    return value;
                case Timestamp.LOGICAL_NAME:
                    Instant instant = instant(value);
                    return instant == null ? value : Date.from(instant);
                case Decimal.LOGICAL_NAME:
                    return value instanceof Number || value instanceof CharSequence
                            ? new BigDecimal(value.toString().trim())
                            : value;
                default:
                    return value;
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            return value;
        }
    }

    /** A point in time from the usual spellings: a date-time object, epoch milliseconds, or ISO-8601 text. */
    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof Date date) {
            return date.toInstant();
        }
        if (value instanceof OffsetDateTime time) {
            return time.toInstant();
        }
        if (value instanceof LocalDateTime time) {
            return time.toInstant(ZoneOffset.UTC);
        }
        if (value instanceof Number millis) {
            return Instant.ofEpochMilli(millis.longValue());
        }
        if (value instanceof CharSequence text) {
            String iso = text.toString().trim().replace(' ', 'T');
            try {
                return OffsetDateTime.parse(iso).toInstant();
            } catch (DateTimeParseException e) {
                try {
                    return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException notLocal) {
                    return null;
                }
            }
        }
        return null;
    }
}
