package io.rollingmigration.connect.common.drift;

import java.util.Arrays;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigException;

/** How urgent a drift is; drift records, summaries and metrics count by it. Ordered from least to most urgent. */
public enum Severity {
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    public static Severity parse(String setting, String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(setting, text, "not a severity; expected one of " + Arrays.toString(values()));
        }
    }

    public Severity atLeast(Severity other) {
        return other.compareTo(this) > 0 ? other : this;
    }
}
