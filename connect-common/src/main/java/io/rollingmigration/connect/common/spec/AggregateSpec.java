package io.rollingmigration.connect.common.spec;

import static io.rollingmigration.connect.common.spec.SpecNodes.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** One target aggregate: its topic, key, fields, deliberately dropped legacy columns, ownership field. */
public final class AggregateSpec {
    final String name;
    final String topic;
    final KeySpec key;
    final Map<String, FieldSpec> fields;
    final Map<String, String> dropped;
    final String ownershipField;
    final String versionField;
    /** The reverse rules, or {@code null} for an aggregate that is not written back. */
    final WritebackSpec writeback;

    private AggregateSpec(
            String name,
            String topic,
            KeySpec key,
            Map<String, FieldSpec> fields,
            Map<String, String> dropped,
            String ownershipField,
            String versionField,
            WritebackSpec writeback) {
        this.name = name;
        this.topic = topic;
        this.key = key;
        this.fields = fields;
        this.dropped = dropped;
        this.ownershipField = ownershipField;
        this.versionField = versionField;
        this.writeback = writeback;
    }

    static AggregateSpec parse(String name, JsonNode node, String path) {
        if (!node.isObject()) {
            throw new SpecException(path, "an aggregate must be an object");
        }
        known(node, path, Set.of("topic", "key", "fields", "dropped", "ownership", "version", "writeback"));
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
                version == null ? "source.position" : version,
                WritebackSpec.parse(node.path("writeback"), path + ".writeback"));
    }
}
