package io.rollingmigration.connect.common.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

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
 * @param references     columns whose value is the key of a legacy row another aggregate's id stands for, still to
 *                       be looked up by the write-back (absent from {@code values} until then)
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
        String partition,
        Map<String, Reference> references) {

    /**
     * A legacy column that holds (part of) the key of another aggregate's legacy row, known on the service's side
     * only by that aggregate's id: a UUIDv5 of the canonical key, as the forward spec's {@code ref} makes it.
     *
     * @param table     the referenced legacy table
     * @param namespace the UUIDv5 namespace of the referenced aggregate
     * @param keyNames  the referenced key's columns, as the canonical key names them
     * @param keyName   the one of them this column holds
     * @param id        the referenced aggregate's id
     */
    public record Reference(String table, UUID namespace, List<String> keyNames, String keyName, String id) {}

    /** True if the legacy key is complete: no column is still to be drawn from a sequence. */
    public boolean keyKnown() {
        return sequences.isEmpty();
    }

    /** This write with its references looked up: each column's value from the referenced row's key. */
    public LegacyWrite withReferences(Map<String, Object> resolved) {
        Map<String, Object> all = new LinkedHashMap<>(values);
        all.putAll(resolved);
        return new LegacyWrite(
                table, targetId, delete, key, sequences, all, kept, insertDefaults, versionColumn, partition, Map.of());
    }
}
