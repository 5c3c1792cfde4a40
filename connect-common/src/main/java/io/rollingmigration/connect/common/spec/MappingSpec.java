package io.rollingmigration.connect.common.spec;

import static io.rollingmigration.connect.common.spec.SpecNodes.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
}
