package io.rollingmigration.connect.common.spec;

import static io.rollingmigration.connect.common.spec.SpecNodes.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One target field: from a column, a value map, an expression, a constant or a reference to another aggregate;
 * optionally conditional.
 */
public final class FieldSpec {
    final String path;
    final FieldType type;
    final String from;
    /** A reference: the referenced aggregate's UUIDv5 namespace, or {@code null}. */
    UUID refNamespace;
    /** A reference: the referenced legacy key's column name to the column of this row holding its value. */
    Map<String, String> refKey;
    /** A reference: the name UUIDv5 hashes, as an expression; or {@code null}. */
    String refName;
    /** Personal data: failures name the value's type, never the value. */
    boolean masked;

    final Map<String, String> map;
    final String fallback;
    final boolean failOnUnmapped;
    final String expr;
    final String when;
    final String constant;

    private FieldSpec(
            String path,
            FieldType type,
            String from,
            Map<String, String> map,
            String fallback,
            boolean failOnUnmapped,
            String expr,
            String when,
            String constant) {
        this.path = path;
        this.type = type;
        this.from = from;
        this.map = map;
        this.fallback = fallback;
        this.failOnUnmapped = failOnUnmapped;
        this.expr = expr;
        this.when = when;
        this.constant = constant;
    }

    static FieldSpec parse(JsonNode node, String path) {
        if (node.isTextual()) {
            // Shorthand: "field: column" copies a legacy column as a string.
            return new FieldSpec(
                    path, FieldType.parse("string", path), node.asText(), null, null, false, null, null, null);
        }
        if (!node.isObject()) {
            throw new SpecException(path, "a field is a column name or an object");
        }
        known(
                node,
                path,
                Set.of("type", "from", "map", "default", "unmapped", "expr", "when", "const", "ref", "masked"));
        JsonNode maskedNode = node.path("masked");
        if (!maskedNode.isMissingNode() && !maskedNode.isBoolean()) {
            throw new SpecException(path + ".masked", "true or false is required");
        }
        FieldType type = FieldType.parse(
                node.path("type").isMissingNode() ? "string" : node.path("type").asText(), path + ".type");
        String from = optionalText(node, "from", path);
        String expr = optionalText(node, "expr", path);
        String constant = optionalText(node, "const", path);
        JsonNode ref = node.path("ref");
        int sources = (from != null ? 1 : 0)
                + (expr != null ? 1 : 0)
                + (constant != null ? 1 : 0)
                + (ref.isMissingNode() ? 0 : 1);
        if (sources != 1) {
            throw new SpecException(path, "exactly one of from, expr, const or ref is required");
        }
        if (!ref.isMissingNode()) {
            FieldSpec spec = reference(node, ref, type, path);
            spec.masked = maskedNode.asBoolean(false);
            return spec;
        }
        Map<String, String> map = null;
        String fallback = null;
        boolean fail = false;
        JsonNode mapNode = node.path("map");
        if (!mapNode.isMissingNode()) {
            if (from == null) {
                throw new SpecException(path + ".map", "a value map applies to a column: set from");
            }
            if (!mapNode.isObject() || mapNode.size() == 0) {
                throw new SpecException(path + ".map", "a map of legacy value to target value is required");
            }
            Map<String, String> values = new LinkedHashMap<>();
            mapNode.fields()
                    .forEachRemaining(e -> values.put(
                            e.getKey(),
                            e.getValue().isNull() ? null : e.getValue().asText()));
            map = values;
            String unmapped = optionalText(node, "unmapped", path);
            fallback = optionalText(node, "default", path);
            fail = "error".equals(unmapped);
            if (unmapped != null && !fail) {
                throw new SpecException(path + ".unmapped", "the only setting is 'error'");
            }
            if (fail == (fallback != null)) {
                throw new SpecException(
                        path,
                        "a value map needs either a default or unmapped: error, so "
                                + "unknown legacy values are never silently passed on");
            }
        } else if (!node.path("default").isMissingNode()
                || !node.path("unmapped").isMissingNode()) {
            throw new SpecException(path, "default and unmapped belong to a value map");
        }
        FieldSpec spec =
                new FieldSpec(path, type, from, map, fallback, fail, expr, optionalText(node, "when", path), constant);
        spec.masked = maskedNode.asBoolean(false);
        return spec;
    }

    /**
     * {@code ref: {uuid5: <namespace>, key: {<referenced key column>: <column of this row>}}} or {@code ref:
     * {uuid5: <namespace>, name: <expression>}}: the id of another aggregate, made as that aggregate's own key
     * is, so references agree with the referenced rows' ids.
     */
    private static FieldSpec reference(JsonNode node, JsonNode ref, FieldType type, String path) {
        String refPath = path + ".ref";
        if (!ref.isObject()) {
            throw new SpecException(
                    refPath,
                    "a reference is {uuid5: <namespace>, key: {<key column>: <column>}} "
                            + "or {uuid5: <namespace>, name: <expression>}");
        }
        known(ref, refPath, Set.of("uuid5", "key", "name"));
        if (!"string".equals(type.toString())) {
            throw new SpecException(path + ".type", "a reference is a string id");
        }
        if (!node.path("map").isMissingNode()) {
            throw new SpecException(path + ".map", "a value map applies to a column: set from");
        }
        UUID namespace;
        try {
            namespace = SpecFunctions.namespace(text(ref, "uuid5", refPath));
        } catch (IllegalArgumentException e) {
            throw new SpecException(
                    refPath + ".uuid5", "not a UUID: " + ref.path("uuid5").asText());
        }
        String name = optionalText(ref, "name", refPath);
        JsonNode keyNode = ref.path("key");
        if ((name == null) == keyNode.isMissingNode()) {
            throw new SpecException(refPath, "exactly one of key or name is required");
        }
        Map<String, String> key = new LinkedHashMap<>();
        if (name == null) {
            if (!keyNode.isObject() || keyNode.size() == 0) {
                throw new SpecException(
                        refPath + ".key",
                        "name each key column of the referenced aggregate and "
                                + "the column of this row that holds it, e.g. {id: customer_id}");
            }
            keyNode.fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
                    throw new SpecException(refPath + ".key." + e.getKey(), "a legacy column name is required");
                }
                key.put(e.getKey(), e.getValue().asText());
            });
        }
        FieldSpec spec =
                new FieldSpec(path, type, null, null, null, false, null, optionalText(node, "when", path), null);
        spec.refNamespace = namespace;
        spec.refKey = name == null ? key : null;
        spec.refName = name;
        return spec;
    }
}
