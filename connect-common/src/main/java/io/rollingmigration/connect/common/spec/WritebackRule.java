package io.rollingmigration.connect.common.spec;

import static io.rollingmigration.connect.common.spec.SpecNodes.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the write-back writes into one legacy column, as a spec declares it under {@code writeback.columns} or
 * {@code writeback.key}: an aggregate field as it is or through a value map, an expression over the service's row,
 * a constant, the column's previous value, or (for a key column of a row the service creates) a legacy sequence.
 */
final class WritebackRule {

    enum Kind {
        FROM,
        EXPR,
        CONST,
        KEEP,
        SEQUENCE,
        /** The key of the legacy row another aggregate's id (a forward {@code ref}) stands for. */
        REF
    }

    final String path;
    final Kind kind;
    /** The aggregate field ({@link Kind#FROM}). */
    final String from;
    /** Target value (as text) to legacy value (as text), or {@code null}. */
    final Map<String, String> map;
    /** With a map: the legacy value for target values the map lacks; with keep: the value a new row gets. */
    final String fallback;

    final boolean failOnUnmapped;
    final String expr;
    final String constant;
    final String sequence;
    /** The referenced legacy table ({@link Kind#REF}); the field it reads is {@link #from}. */
    final String table;

    private WritebackRule(
            String path,
            Kind kind,
            String from,
            Map<String, String> map,
            String fallback,
            boolean failOnUnmapped,
            String expr,
            String constant,
            String sequence,
            String table) {
        this.path = path;
        this.kind = kind;
        this.from = from;
        this.map = map;
        this.fallback = fallback;
        this.failOnUnmapped = failOnUnmapped;
        this.expr = expr;
        this.constant = constant;
        this.sequence = sequence;
        this.table = table;
    }

    /** A rule derived from the forward spec: the column gets the field back, through the inverse map if any. */
    static WritebackRule derived(String path, String field, Map<String, String> inverseMap) {
        return new WritebackRule(path, Kind.FROM, field, inverseMap, null, true, null, null, null, null);
    }

    static WritebackRule parse(JsonNode node, String path, boolean key) {
        if (node.isTextual()) {
            return new WritebackRule(path, Kind.FROM, node.asText(), null, null, false, null, null, null, null);
        }
        if (!node.isObject()) {
            throw new SpecException(path, "a write-back rule is a field name or an object");
        }
        known(
                node,
                path,
                Set.of("from", "map", "default", "unmapped", "expr", "const", "keep", "sequence", "ref", "table"));
        if (!node.path("ref").isMissingNode()) {
            String field = optionalText(node, "ref", path);
            String table = optionalText(node, "table", path);
            if (field == null || table == null || node.size() != 2) {
                throw new SpecException(
                        path,
                        "a reference read back is {ref: <the aggregate's ref field>, table: <the referenced legacy "
                                + "table>}, nothing else");
            }
            return new WritebackRule(path, Kind.REF, field, null, null, false, null, null, null, table);
        }
        if (!node.path("table").isMissingNode()) {
            throw new SpecException(path + ".table", "a table belongs to a reference: {ref: <field>, table: ...}");
        }
        String from = optionalText(node, "from", path);
        String expr = optionalText(node, "expr", path);
        String constant = optionalText(node, "const", path);
        String keep = optionalText(node, "keep", path);
        String sequence = optionalText(node, "sequence", path);
        int sources = (from != null ? 1 : 0)
                + (expr != null ? 1 : 0)
                + (constant != null ? 1 : 0)
                + (keep != null ? 1 : 0)
                + (sequence != null ? 1 : 0);
        if (sources != 1) {
            throw new SpecException(
                    path, "exactly one of from, expr, const, keep" + (key ? " or sequence" : "") + " is required");
        }
        if (sequence != null && !key) {
            throw new SpecException(
                    path + ".sequence", "a sequence makes the legacy key of a new row: declare it under writeback.key");
        }
        if (keep != null && !keep.equals("previous")) {
            throw new SpecException(path + ".keep", "the only setting is 'previous'");
        }
        if (keep != null && key) {
            throw new SpecException(path + ".keep", "a new row has no previous key: use from, expr or sequence");
        }
        String fallback = optionalText(node, "default", path);
        if (keep != null) {
            if (!node.path("map").isMissingNode() || !node.path("unmapped").isMissingNode()) {
                throw new SpecException(path, "keep: previous takes only a default (the value of a new row)");
            }
            return new WritebackRule(path, Kind.KEEP, null, null, fallback, false, null, null, null, null);
        }
        JsonNode mapNode = node.path("map");
        if (mapNode.isMissingNode()) {
            if (fallback != null || !node.path("unmapped").isMissingNode()) {
                throw new SpecException(path, "default and unmapped belong to a value map (or to keep: previous)");
            }
            Kind kind =
                    from != null ? Kind.FROM : expr != null ? Kind.EXPR : constant != null ? Kind.CONST : Kind.SEQUENCE;
            return new WritebackRule(path, kind, from, null, null, false, expr, constant, sequence, null);
        }
        if (from == null) {
            throw new SpecException(path + ".map", "a value map applies to a field: set from");
        }
        if (!mapNode.isObject() || mapNode.size() == 0) {
            throw new SpecException(path + ".map", "a map of target value to legacy value is required");
        }
        Map<String, String> map = new LinkedHashMap<>();
        mapNode.fields()
                .forEachRemaining(e -> map.put(
                        e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        String unmapped = optionalText(node, "unmapped", path);
        boolean fail = "error".equals(unmapped);
        if (unmapped != null && !fail) {
            throw new SpecException(path + ".unmapped", "the only setting is 'error'");
        }
        if (fail == (fallback != null)) {
            throw new SpecException(
                    path,
                    "a value map needs either a default or unmapped: error, so unknown service values are "
                            + "never silently written");
        }
        return new WritebackRule(path, Kind.FROM, from, map, fallback, fail, null, null, null, null);
    }
}
