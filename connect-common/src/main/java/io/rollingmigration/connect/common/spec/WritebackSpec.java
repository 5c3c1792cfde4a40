package io.rollingmigration.connect.common.spec;

import static io.rollingmigration.connect.common.spec.SpecNodes.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An aggregate's reverse rules, as written under {@code writeback}: how the service's rows of the aggregate are
 * written back into the spec's legacy table once the service owns a partition. Rules the forward spec already
 * implies (a field copied from a column, an invertible value map, a key that is a column) need not be written.
 */
final class WritebackSpec {
    final String path;
    /** The legacy table written; the spec's source unless stated. */
    final String table;
    /** Key columns of a row the service creates: how its legacy key is made. */
    final Map<String, WritebackRule> key;

    final Map<String, WritebackRule> columns;
    /** The legacy column that orders the row's versions, or {@code null}. */
    final String version;

    private WritebackSpec(
            String path,
            String table,
            Map<String, WritebackRule> key,
            Map<String, WritebackRule> columns,
            String version) {
        this.path = path;
        this.table = table;
        this.key = key;
        this.columns = columns;
        this.version = version;
    }

    static WritebackSpec parse(JsonNode node, String path) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new SpecException(path, "write-back rules are an object: {key, columns, version, table}");
        }
        known(node, path, Set.of("table", "key", "columns", "version"));
        Map<String, WritebackRule> key = rules(node.path("key"), path + ".key", true);
        Map<String, WritebackRule> columns = rules(node.path("columns"), path + ".columns", false);
        for (String column : key.keySet()) {
            if (columns.containsKey(column)) {
                throw new SpecException(
                        path + ".columns." + column, "is a key column, declared under writeback.key; declare it once");
            }
        }
        return new WritebackSpec(
                path, optionalText(node, "table", path), key, columns, optionalText(node, "version", path));
    }

    private static Map<String, WritebackRule> rules(JsonNode node, String path, boolean key) {
        Map<String, WritebackRule> rules = new LinkedHashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return rules;
        }
        if (!node.isObject()) {
            throw new SpecException(path, "a map of legacy column to its write-back rule is required");
        }
        node.fields()
                .forEachRemaining(
                        e -> rules.put(e.getKey(), WritebackRule.parse(e.getValue(), path + "." + e.getKey(), key)));
        return rules;
    }
}
