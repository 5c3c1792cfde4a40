package io.rollingmigration.connect.common.drift;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** The severity of a drift: by its kind, raised by the most severe of its differing fields. */
public final class SeverityPolicy {

    public static final List<String> DEFAULT_KINDS = List.of(
            "MISSING_IN_TARGET:HIGH",
            "UNEXPECTED_IN_TARGET:HIGH",
            "FIELD_MISMATCH:MEDIUM",
            "RULE_VIOLATION:HIGH",
            "MISSING_FRAGMENT:HIGH",
            "UNEXPECTED_FRAGMENT:HIGH",
            "MISSING_IN_LEGACY:HIGH",
            "UNEXPECTED_IN_LEGACY:HIGH");

    /** Checks a list of {@code name:SEVERITY} pairs, naming the faulty pair. */
    public static final ConfigDef.Validator VALIDATOR = (name, value) -> {
        if (value == null) {
            return;
        }
        for (Object item : (List<?>) value) {
            pair(name, item.toString());
            if (name.endsWith("kinds")) {
                String kind = item.toString()
                        .substring(0, item.toString().indexOf(':'))
                        .trim();
                try {
                    DriftKind.valueOf(kind);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(
                            name,
                            item,
                            "'" + kind + "' is not a drift kind; expected one of "
                                    + Arrays.toString(DriftKind.values()));
                }
            }
        }
    };

    private final Map<DriftKind, Severity> kinds = new EnumMap<>(DriftKind.class);
    private final Map<String, Severity> fields = new HashMap<>();

    private SeverityPolicy() {}

    public static SeverityPolicy from(List<String> kindPairs, List<String> fieldPairs) {
        SeverityPolicy policy = new SeverityPolicy();
        for (String pair : DEFAULT_KINDS) {
            String[] parts = pair("severity.kinds", pair);
            policy.kinds.put(DriftKind.valueOf(parts[0]), Severity.parse("severity.kinds", parts[1]));
        }
        for (String pair : kindPairs) {
            String[] parts = pair("severity.kinds", pair);
            policy.kinds.put(DriftKind.valueOf(parts[0]), Severity.parse("severity.kinds", parts[1]));
        }
        for (String pair : fieldPairs) {
            String[] parts = pair("severity.fields", pair);
            policy.fields.put(parts[0], Severity.parse("severity.fields", parts[1]));
        }
        return policy;
    }

    public Severity of(DriftKind kind) {
        return kinds.get(kind);
    }

    /** The kind's severity, raised to the most severe differing field's. */
    public Severity of(DriftKind kind, List<FieldDifference> differences) {
        Severity severity = of(kind);
        for (FieldDifference difference : differences) {
            Severity field = fields.get(difference.name());
            if (field != null) {
                severity = severity.atLeast(field);
            }
        }
        return severity;
    }

    private static String[] pair(String setting, String pair) {
        int colon = pair.lastIndexOf(':');
        if (colon <= 0 || colon == pair.length() - 1) {
            throw new ConfigException(setting, pair, "expected NAME:SEVERITY");
        }
        String[] parts = {
            pair.substring(0, colon).trim(), pair.substring(colon + 1).trim()
        };
        Severity.parse(setting, parts[1]);
        return parts;
    }
}
