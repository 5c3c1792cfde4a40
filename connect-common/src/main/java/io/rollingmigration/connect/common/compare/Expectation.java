package io.rollingmigration.connect.common.compare;

import java.util.List;
import java.util.Map;

/** What the target should hold for a legacy row: the row's target key and field values. */
public interface Expectation {

    /** The target key of the aggregate a legacy row becomes. */
    String targetKey(Map<String, Object> legacy);

    /** The target key of the aggregate a legacy row becomes, or {@code null} where it cannot be made (the judge says why). */
    default String targetKeyOrNull(Map<String, Object> legacy) {
        try {
            return targetKey(legacy);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The expected field values, by target column, of the aggregate with the given target key; a failure to
     * translate is a {@code DataException}.
     */
    Map<String, Object> expected(Map<String, Object> legacy, String targetKey);

    /** The target columns compared, in order. */
    List<String> fields();

    /** The rule drift records name: the spec's {@code name@version}, or {@code identity}. */
    String rule();
}
