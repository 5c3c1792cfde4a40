package io.rollingmigration.connect.common.drift;

import java.util.Objects;

/**
 * One column that differs between the legacy row and the target row. Values travel as text so that one drift
 * schema serves every column type; {@code null} stands for SQL NULL.
 *
 * @param name     the column name, as the legacy table spells it
 * @param expected the legacy value (the truth during a migration), or {@code null}
 * @param actual   the target value, or {@code null}
 */
public record FieldDifference(String name, String expected, String actual) {

    public FieldDifference {
        Objects.requireNonNull(name, "name");
    }
}
