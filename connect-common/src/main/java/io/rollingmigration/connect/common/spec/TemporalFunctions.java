package io.rollingmigration.connect.common.spec;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The spec's conversions to dates, times of day and timestamps in a zone, over the values CEL holds them as
 * (protobuf timestamps and durations); a wrong value is a {@link FunctionFailure} that names the function.
 */
final class TemporalFunctions {

    private static final Map<String, DateTimeFormatter> PATTERNS = new ConcurrentHashMap<>();
    private static final int PATTERNS_KEPT = 256;
    private static final DateTimeFormatter LOCAL_DATE_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart()
            .appendLiteral('T')
            .optionalEnd()
            .optionalStart()
            .appendLiteral(' ')
            .optionalEnd()
            .optionalStart()
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalEnd()
            .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
            .toFormatter(Locale.ROOT);

    static ZoneId zone(String text) {
        try {
            return ZoneId.of(text.trim());
        } catch (DateTimeException e) {
            throw new FunctionFailure(
                    "not a time zone (an id such as UTC or Europe/Berlin, or an offset such as " + "+02:00)", text);
        }
    }

    static DateTimeFormatter pattern(String pattern) {
        DateTimeFormatter known = PATTERNS.get(pattern);
        if (known != null) {
            return known;
        }
        DateTimeFormatter formatter;
        try {
            formatter = DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new FunctionFailure("date(): not a date pattern (" + e.getMessage() + ")", pattern);
        }
        if (PATTERNS.size() < PATTERNS_KEPT) {
            PATTERNS.put(pattern, formatter);
        }
        return formatter;
    }

    /** The day of a date text (ISO, or in the pattern) or of a timestamp (in UTC, or in the zone). */
    static Timestamp date(Object value, String patternOrZone) {
        LocalDate day;
        if (value instanceof String stringValue) {
            String text = stringValue.trim();
            try {
                day = patternOrZone == null ? LocalDate.parse(text) : LocalDate.parse(text, pattern(patternOrZone));
            } catch (DateTimeParseException e) {
                throw new FunctionFailure(
                        "date(): a string that is not a date in the form "
                                + (patternOrZone == null ? "yyyy-MM-dd" : patternOrZone),
                        value);
            }
        } else if (value instanceof Timestamp timestampValue) {
            ZoneId zone = patternOrZone == null ? ZoneOffset.UTC : zone(patternOrZone);
            day = LocalDate.ofInstant(CelValues.instant(timestampValue), zone);
        } else {
            throw new FunctionFailure("date() takes a string or a timestamp, not a " + CelValues.typeName(value), null);
        }
        return CelValues.timestamp(day.atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    static Duration time(Object value) {
        LocalTime time;
        if (value instanceof String) {
            try {
                time = LocalTime.parse(((String) value).trim());
            } catch (DateTimeParseException e) {
                throw new FunctionFailure("time(): a string that is not a time of day (HH:mm[:ss[.SSS]])", value);
            }
        } else if (value instanceof Timestamp) {
            time = LocalTime.ofInstant(CelValues.instant((Timestamp) value), ZoneOffset.UTC);
        } else if (value instanceof Duration durationValue) {
            java.time.Duration duration = CelValues.javaDuration(durationValue);
            if (duration.isNegative() || duration.compareTo(java.time.Duration.ofDays(1)) >= 0) {
                throw new FunctionFailure("time(): a duration outside a day", value);
            }
            return durationValue;
        } else {
            throw new FunctionFailure("time() takes a string or a timestamp, not a " + CelValues.typeName(value), null);
        }
        return CelValues.duration(java.time.Duration.ofNanos(time.toNanoOfDay()));
    }

    /**
     * The instant of a wall-clock time in a zone: a local date-time text, or a timestamp read as the UTC wall clock
     * (how timestamps without zone reach expressions).
     */
    static Timestamp inZone(Object value, String zoneText) {
        ZoneId zone = zone(zoneText);
        LocalDateTime local;
        if (value instanceof String) {
            try {
                local = LocalDateTime.parse(((String) value).trim(), LOCAL_DATE_TIME);
            } catch (DateTimeParseException e) {
                throw new FunctionFailure(
                        "timestamp(): a string that is not a local date-time " + "(yyyy-MM-dd[ HH:mm[:ss[.SSS]]])",
                        value);
            }
        } else if (value instanceof Timestamp) {
            local = LocalDateTime.ofInstant(CelValues.instant((Timestamp) value), ZoneOffset.UTC);
        } else {
            throw new FunctionFailure(
                    "timestamp() takes a string or a timestamp, not a " + CelValues.typeName(value), null);
        }
        return CelValues.timestamp(local.atZone(zone).toInstant());
    }

    private TemporalFunctions() {}
}
