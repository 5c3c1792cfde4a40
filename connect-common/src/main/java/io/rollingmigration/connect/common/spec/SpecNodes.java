package io.rollingmigration.connect.common.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** Reading a spec document's nodes, with the path of the node in every error. */
final class SpecNodes {

    private SpecNodes() {}

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

    /** A namespace UUID, or one of RFC 4122's by name (dns, url, oid, x500). */
    static UUID namespace(JsonNode node, String path) {
        String text = text(node, "namespace", path);
        try {
            return SpecFunctions.namespace(text);
        } catch (IllegalArgumentException e) {
            throw new SpecException(path + ".namespace", "not a UUID (nor dns, url, oid or x500): " + text);
        }
    }
}
