package io.rollingmigration.connect.common.spec;

import java.util.Map;
import java.util.Set;

/**
 * One service change, translated for the legacy table it writes back to: the row's legacy key, the columns to set,
 * and what the write-back must still do itself (draw a key from a sequence for a row the service created, keep the
 * columns whose previous value stays).
 *
 * @param table          the legacy table, {@code schema.table}
 * @param targetId       the service's id of the aggregate
 * @param delete         the service deleted the aggregate: the legacy row goes
 * @param key            the legacy key columns whose value is known, in the column's type
 * @param sequences      key columns of a new row still to be drawn, each from its legacy sequence
 * @param values         the other columns to write, in the column's type
 * @param kept           columns that keep their previous value on update
 * @param insertDefaults what a new row gets in a kept column (absent: the legacy table's own default)
 * @param versionColumn  the legacy column that orders versions (its new value is in {@code values}), or {@code null}
 * @param partition      the value of the aggregate's ownership field, or {@code null}
 */
public record LegacyWrite(
        String table,
        String targetId,
        boolean delete,
        Map<String, Object> key,
        Map<String, String> sequences,
        Map<String, Object> values,
        Set<String> kept,
        Map<String, Object> insertDefaults,
        String versionColumn,
        String partition) {

    /** True if the legacy key is complete: no column is still to be drawn from a sequence. */
    public boolean keyKnown() {
        return sequences.isEmpty();
    }
}
