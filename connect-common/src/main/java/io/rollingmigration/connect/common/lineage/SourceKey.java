package io.rollingmigration.connect.common.lineage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollingmigration.connect.common.normalize.ValueNormalizer;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * The canonical JSON form of a legacy key: an object with fields sorted by name and no white space, so the same key
 * always yields the same text whether it came from a change event or from a JDBC row.
 */
public final class SourceKey {

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private SourceKey() {}

    /** Canonical JSON of the named key fields of a row struct. */
    public static String of(Struct row, Iterable<String> keyFields) {
        Map<String, Object> values = new TreeMap<>();
        for (String name : keyFields) {
            Field field = row.schema().field(name);
            if (field == null) {
                throw new DataException("Key field '" + name + "' is not in the row schema "
                        + row.schema().fields());
            }
            values.put(name, normalised(field, row.get(field)));
        }
        return of(values);
    }

    /**
     * A key value in the normalised model, so that a date or a decimal in a change event's key writes the same
     * text as the same column read over JDBC: the lineage key must equal what the reconciler derives from the
     * legacy row.
     */
    private static Object normalised(Field field, Object value) {
        return value == null ? null : ValueNormalizer.value(field.schema(), value);
    }

    /** Canonical JSON of every field of a key struct. */
    public static String of(Struct key) {
        if (key.schema().fields().size() == 1 && key.get(key.schema().fields().get(0)) != null) {
            Field only = key.schema().fields().get(0);
            return of(Map.of(only.name(), normalised(only, key.get(only))));
        }
        Map<String, Object> values = new TreeMap<>();
        for (Field field : key.schema().fields()) {
            values.put(field.name(), normalised(field, key.get(field)));
        }
        return of(values);
    }

    /** Canonical JSON of a map of key column to value (JDBC rows). */
    public static String of(Map<String, ?> keyValues) {
        if (keyValues.size() == 1) {
            // The common single-column integer key, written directly: the same text Jackson would write.
            Map.Entry<String, ?> only = keyValues.entrySet().iterator().next();
            Object value = only.getValue();
            if ((value instanceof Long || value instanceof Integer) && isPlainName(only.getKey())) {
                return "{\"" + only.getKey() + "\":" + value + "}";
            }
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        new TreeMap<>(keyValues).forEach((name, value) -> put(node, name, value));
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write key as JSON", e);
        }
    }

    private static boolean isPlainName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_') || c > 127) {
                return false;
            }
        }
        return !name.isEmpty();
    }

    private static void put(ObjectNode node, String name, Object value) {
        if (value == null) {
            node.putNull(name);
        } else if (value instanceof BigDecimal bigDecimal) {
            node.put(name, bigDecimal.stripTrailingZeros().toPlainString());
        } else if (value instanceof Long
                || value instanceof Integer
                || value instanceof Short
                || value instanceof Byte) {
            node.put(name, ((Number) value).longValue());
        } else if (value instanceof Boolean booleanValue) {
            node.put(name, booleanValue);
        } else if (value instanceof byte[]) {
            node.put(name, Base64.getEncoder().encodeToString((byte[]) value));
        } else if (value instanceof ByteBuffer byteBuffer) {
            ByteBuffer buffer = byteBuffer.duplicate();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            node.put(name, Base64.getEncoder().encodeToString(bytes));
        } else if (value instanceof Date date) {
            node.put(name, date.getTime());
        } else {
            node.put(name, value.toString());
        }
    }
}
