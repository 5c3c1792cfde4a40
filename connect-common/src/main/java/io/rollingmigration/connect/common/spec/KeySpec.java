package io.rollingmigration.connect.common.spec;

import static io.rollingmigration.connect.common.spec.SpecNodes.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * How the target key is made: UUIDv5 of the legacy key columns' canonical JSON or of a name built by an
 * expression, a legacy column as it is, or an expression.
 */
public final class KeySpec {
    final String field;
    final UUID namespace;
    final List<String> columns;
    /** The canonical JSON's names of {@link #columns}, when they differ from the column names. */
    final Map<String, String> renamed;

    final String column;
    /** The name UUIDv5 hashes, or with no namespace the key itself, as an expression; or {@code null}. */
    final String expr;

    final String path;

    private KeySpec(
            String field,
            UUID namespace,
            List<String> columns,
            Map<String, String> renamed,
            String column,
            String expr,
            String path) {
        this.field = field;
        this.namespace = namespace;
        this.columns = columns;
        this.renamed = renamed;
        this.column = column;
        this.expr = expr;
        this.path = path;
    }

    static KeySpec parse(JsonNode node, String path) {
        if (!node.isObject()) {
            throw new SpecException(
                    path,
                    "a key is required: {field, uuid5: {namespace, columns}}, {field, "
                            + "uuid5: {namespace, name}}, {field, column} or {field, expr}");
        }
        known(node, path, Set.of("field", "uuid5", "column", "expr"));
        String field = node.path("field").isMissingNode() ? "id" : text(node, "field", path);
        JsonNode uuid5 = node.path("uuid5");
        String column = optionalText(node, "column", path);
        String expr = optionalText(node, "expr", path);
        int forms = (uuid5.isMissingNode() ? 0 : 1) + (column == null ? 0 : 1) + (expr == null ? 0 : 1);
        if (forms != 1) {
            throw new SpecException(path, "exactly one of uuid5, column or expr is required");
        }
        if (column != null) {
            return new KeySpec(field, null, List.of(column), Map.of(), column, null, path);
        }
        if (expr != null) {
            return new KeySpec(field, null, List.of(), Map.of(), null, expr, path + ".expr");
        }
        String uuidPath = path + ".uuid5";
        if (!uuid5.isObject()) {
            throw new SpecException(
                    uuidPath, "{namespace, columns: [...]} or {namespace, name: <expression>} " + "is required");
        }
        known(uuid5, uuidPath, Set.of("namespace", "columns", "name"));
        UUID namespace = namespace(uuid5, uuidPath);
        String name = optionalText(uuid5, "name", uuidPath);
        JsonNode columnsNode = uuid5.path("columns");
        if ((name == null) == columnsNode.isMissingNode()) {
            throw new SpecException(uuidPath, "exactly one of columns or name is required");
        }
        if (name != null) {
            return new KeySpec(field, namespace, List.of(), Map.of(), null, name, uuidPath + ".name");
        }
        Map<String, String> renamed = new LinkedHashMap<>();
        List<String> columns = new ArrayList<>();
        if (columnsNode.isObject()) {
            // {canonical name: column}: the key of a table whose columns are named otherwise (a fragment's)
            columnsNode.fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
                    throw new SpecException(uuidPath + ".columns." + e.getKey(), "a legacy column name is required");
                }
                columns.add(e.getValue().asText());
                renamed.put(e.getValue().asText(), e.getKey());
            });
        } else {
            columns.addAll(strings(columnsNode, uuidPath + ".columns"));
        }
        if (columns.isEmpty()) {
            throw new SpecException(uuidPath + ".columns", "name the legacy key columns");
        }
        return new KeySpec(field, namespace, columns, renamed, null, null, path);
    }
}
