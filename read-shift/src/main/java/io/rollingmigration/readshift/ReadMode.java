package io.rollingmigration.readshift;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where the reads of one partition of a migration unit are answered, in the order a migration moves them: legacy
 * alone, legacy with the service read beside it and compared, a share of keys answered by the service (both
 * compared), the service alone.
 */
public enum ReadMode {
    LEGACY,
    SHADOW,
    CANARY,
    TARGET;

    /**
     * The mode a plan row names, in any case.
     *
     * @throws InvalidPlan for anything else, naming the modes there are
     */
    public static ReadMode parse(String text) {
        if (text != null) {
            for (ReadMode mode : values()) {
                if (mode.name().equals(text.trim().toUpperCase(Locale.ROOT))) {
                    return mode;
                }
            }
        }
        throw new InvalidPlan(
                "read_mode", "unknown read mode '" + text + "'; it is one of " + Arrays.toString(values()));
    }
}
