package io.rollingmigration.connect.common.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A named, versioned mapping from one legacy source to one or more target aggregates, written in YAML or JSON.
 * Parsing checks the document's shape and reports every problem with its path; {@link SpecCompiler} then compiles
 * its expressions. See docs/mapping-spec.md for the format.
 */
public final class MappingSpec {

    private final String name;
    private final int version;
    private final String source;
    private final LegacyColumns sourceColumns;
    private final Map<String, AggregateSpec> aggregates;

    private MappingSpec(
            String name,
            int version,
            String source,
            LegacyColumns sourceColumns,
            Map<String, AggregateSpec> aggregates) {
        this.name = name;
        this.version = version;
        this.source = source;
        this.sourceColumns = sourceColumns;
        this.aggregates = aggregates;
    }

    /** Parses a spec written in JSON (starting with '{') or YAML. */
    public static MappingSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new SpecException("", "the mapping spec is empty");
        }
        JsonNode root;
        try {
            ObjectMapper mapper =
                    text.trim().startsWith("{") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            throw new SpecException("", "not valid YAML or JSON" + where + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new SpecException(
                    "", "the mapping spec must be an object with name, version, source and " + "aggregates");
        }
        known(root, "", Set.of("name", "version", "source", "columns", "aggregates"));
        String name = text(root, "name", "");
        int version = root.path("version").asInt(-1);
        if (!root.path("version").canConvertToInt() || version < 1) {
            throw new SpecException("version", "a positive whole number is required");
        }
        String source = text(root, "source", "");
        LegacyColumns columns = columns(root.path("columns"));
        JsonNode aggregatesNode = root.path("aggregates");
        if (!aggregatesNode.isObject() || aggregatesNode.size() == 0) {
            throw new SpecException("aggregates", "at least one aggregate is required");
        }
        Map<String, AggregateSpec> aggregates = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> entries = aggregatesNode.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            aggregates.put(
                    entry.getKey(),
                    AggregateSpec.parse(entry.getKey(), entry.getValue(), "aggregates." + entry.getKey()));
        }
        return new MappingSpec(name, version, source, columns, aggregates);
    }

    public String name() {
        return name;
    }

    public int version() {
        return version;
    }

    /** The rule as stamped in lineage: {@code name@version}. */
    public String rule() {
        return name + "@" + version;
    }

    /** The legacy table ({@code schema.table}). */
    public String source() {
        return source;
    }

    /**
     * The legacy columns, if the spec declares them: then references are checked when the spec compiles, and where
     * their types are declared, every expression's type too.
     */
    public LegacyColumns sourceColumns() {
        return sourceColumns;
    }

    /** {@code columns: [a, b]} (names) or {@code columns: {a: bigint, b: numeric(12,4)}} (names with types). */
    private static LegacyColumns columns(JsonNode node) {
        if (node.isObject()) {
            Map<String, ColumnType> typed = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> {
                JsonNode type = e.getValue();
                if (type.isNull() || (type.isTextual() && type.asText().isBlank())) {
                    typed.put(e.getKey(), ColumnType.UNKNOWN);
                } else if (type.isTextual()) {
                    typed.put(e.getKey(), ColumnType.parse(type.asText(), "columns." + e.getKey()));
                } else {
                    throw new SpecException(
                            "columns." + e.getKey(),
                            "a column type (text, bigint, numeric(12,4), " + "date...) is required");
                }
            });
            return LegacyColumns.typed(typed);
        }
        List<String> names = strings(node, "columns");
        return names.isEmpty() ? LegacyColumns.undeclared() : LegacyColumns.named(names);
    }

    public Map<String, AggregateSpec> aggregates() {
        return aggregates;
    }

    static String text(JsonNode node, String field, String path) {
        JsonNode value = node.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new SpecException(path.isEmpty() ? field : path + "." + field, "a non-empty string is required");
        }
        return value.asText();
    }

    static String optionalText(JsonNode node, String field, String path) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw new SpecException(path + "." + field, "a string is required");
        }
        return value.asText();
    }

    static List<String> strings(JsonNode node, String path) {
        List<String> values = new ArrayList<>();
        if (node.isMissingNode() || node.isNull()) {
            return values;
        }
        if (!node.isArray()) {
            throw new SpecException(path, "a list of names (or, for columns, a map of name to type) is required");
        }
        node.forEach(item -> values.add(item.asText()));
        return values;
    }

    static void known(JsonNode node, String path, Set<String> allowed) {
        node.fieldNames().forEachRemaining(field -> {
            if (!allowed.contains(field)) {
                throw new SpecException(
                        path.isEmpty() ? field : path + "." + field,
                        "unknown setting; expected " + "one of " + new TreeSet<>(allowed));
            }
        });
    }

    /** One target aggregate: its topic, key, fields, deliberately dropped legacy columns, ownership field. */
    public static final class AggregateSpec {
        final String name;
        final String topic;
        final KeySpec key;
        final Map<String, FieldSpec> fields;
        final Map<String, String> dropped;
        final String ownershipField;
        final String versionField;

        private AggregateSpec(
                String name,
                String topic,
                KeySpec key,
                Map<String, FieldSpec> fields,
                Map<String, String> dropped,
                String ownershipField,
                String versionField) {
            this.name = name;
            this.topic = topic;
            this.key = key;
            this.fields = fields;
            this.dropped = dropped;
            this.ownershipField = ownershipField;
            this.versionField = versionField;
        }

        static AggregateSpec parse(String name, JsonNode node, String path) {
            if (!node.isObject()) {
                throw new SpecException(path, "an aggregate must be an object");
            }
            known(node, path, Set.of("topic", "key", "fields", "dropped", "ownership", "version"));
            KeySpec key = KeySpec.parse(node.path("key"), path + ".key");
            JsonNode fieldsNode = node.path("fields");
            if (!fieldsNode.isObject() || fieldsNode.size() == 0) {
                throw new SpecException(path + ".fields", "at least one field is required");
            }
            Map<String, FieldSpec> fields = new LinkedHashMap<>();
            fieldsNode.fields().forEachRemaining(e -> {
                if (e.getKey().equals(key.field)) {
                    throw new SpecException(
                            path + ".fields." + e.getKey(), "is the key field; the key is declared " + "under key");
                }
                fields.put(e.getKey(), FieldSpec.parse(e.getValue(), path + ".fields." + e.getKey()));
            });
            Map<String, String> dropped = new LinkedHashMap<>();
            JsonNode droppedNode = node.path("dropped");
            if (!droppedNode.isMissingNode()) {
                if (!droppedNode.isObject()) {
                    throw new SpecException(
                            path + ".dropped", "a map of legacy column to the reason it is dropped " + "is required");
                }
                droppedNode.fields().forEachRemaining(e -> {
                    if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
                        throw new SpecException(path + ".dropped." + e.getKey(), "say why the column is dropped");
                    }
                    dropped.put(e.getKey(), e.getValue().asText());
                });
            }
            String ownership = optionalText(node, "ownership", path);
            if (ownership != null && !fields.containsKey(ownership)) {
                throw new SpecException(path + ".ownership", "'" + ownership + "' is not a field of the aggregate");
            }
            String version = optionalText(node, "version", path);
            if (version != null && !version.equals("source.position") && !fields.containsKey(version)) {
                throw new SpecException(
                        path + ".version",
                        "'" + version + "' is neither source.position nor a " + "field of the aggregate");
            }
            return new AggregateSpec(
                    name,
                    optionalText(node, "topic", path),
                    key,
                    fields,
                    dropped,
                    ownership,
                    version == null ? "source.position" : version);
        }
    }

    /**
     * How the target key is made: UUIDv5 of the legacy key columns' canonical JSON or of a name built by an
     * expression, a legacy column as it is, or an expression.
     */
    public static final class KeySpec {
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
                        throw new SpecException(
                                uuidPath + ".columns." + e.getKey(), "a legacy column name is required");
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

    /** A namespace UUID, or one of RFC 4122's by name (dns, url, oid, x500). */
    static UUID namespace(JsonNode node, String path) {
        String text = text(node, "namespace", path);
        try {
            return SpecFunctions.namespace(text);
        } catch (IllegalArgumentException e) {
            throw new SpecException(path + ".namespace", "not a UUID (nor dns, url, oid or x500): " + text);
        }
    }

    /**
     * One target field: from a column, a value map, an expression, a constant or a reference to another aggregate;
     * optionally conditional.
     */
    public static final class FieldSpec {
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
                    node.path("type").isMissingNode()
                            ? "string"
                            : node.path("type").asText(),
                    path + ".type");
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
            FieldSpec spec = new FieldSpec(
                    path, type, from, map, fallback, fail, expr, optionalText(node, "when", path), constant);
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
}
