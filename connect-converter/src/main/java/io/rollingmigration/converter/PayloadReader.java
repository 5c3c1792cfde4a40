package io.rollingmigration.converter;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

/**
 * Turns a payload into Connect data straight from the parser's tokens, giving what Kafka's JsonConverter gives for
 * the tree it would have built from the same tokens: the same numeric narrowing, the same defaults for missing and
 * null fields, the same logical types. Where JsonConverter would coerce a token of another type (a string where the
 * schema says int32 reads as 0 there), this reader steps off the path and lets JsonConverter answer.
 */
final class PayloadReader {

    private final boolean replaceNullWithDefault;

    PayloadReader(boolean replaceNullWithDefault) {
        this.replaceNullWithDefault = replaceNullWithDefault;
    }

    /** Reads the value whose first token is the parser's current one; {@code schema} null reads schemaless data. */
    Object read(JsonParser parser, Schema schema) throws IOException {
        if (schema == null) {
            return schemaless(parser);
        }
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return absent(schema);
        }
        String name = schema.name();
        if (name != null) {
            switch (name) {
                case Decimal.LOGICAL_NAME:
                    return decimal(parser, schema, token);
                case Date.LOGICAL_NAME:
                    return Date.toLogical(schema, intToken(parser, token));
                case Time.LOGICAL_NAME:
                    return Time.toLogical(schema, intToken(parser, token));
                case Timestamp.LOGICAL_NAME:
                    return Timestamp.toLogical(schema, integralToken(parser, token));
                default:
                    break;
            }
        }
        switch (schema.type()) {
            case BOOLEAN:
                if (token == JsonToken.VALUE_TRUE) return Boolean.TRUE;
                if (token == JsonToken.VALUE_FALSE) return Boolean.FALSE;
                throw OffThePath.INSTANCE;
            case INT8:
                return (byte) intValue(parser, token);
            case INT16:
                return (short) intValue(parser, token);
            case INT32:
                return intValue(parser, token);
            case INT64:
                return longValue(parser, token);
            case FLOAT32:
                return floatValue(parser, token);
            case FLOAT64:
                return doubleValue(parser, token);
            case STRING:
                if (token != JsonToken.VALUE_STRING) throw OffThePath.INSTANCE;
                return parser.getText();
            case BYTES:
                return bytes(parser, token);
            case ARRAY:
                return array(parser, schema.valueSchema(), token);
            case MAP:
                return map(parser, schema, token);
            case STRUCT:
                return struct(parser, schema, token);
            default:
                throw OffThePath.INSTANCE;
        }
    }

    /** What JsonConverter makes of a null or missing value: the default, null if optional, else an error. */
    Object absent(Schema schema) {
        if (schema.defaultValue() != null && replaceNullWithDefault) {
            return schema.defaultValue();
        }
        if (schema.isOptional()) {
            return null;
        }
        throw OffThePath.INSTANCE;
    }

    private Struct struct(JsonParser parser, Schema schema, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT) throw OffThePath.INSTANCE;
        Struct struct = new Struct(schema);
        List<Field> fields = schema.fields();
        int count = fields.size();
        boolean[] seen = new boolean[count];
        int expected = 0;
        String name;
        while ((name = parser.nextFieldName()) != null) {
            // Debezium and JsonConverter write fields in schema order: try the next one before a look-up by name.
            Field field = expected < count && fields.get(expected).name().equals(name)
                    ? fields.get(expected)
                    : schema.field(name);
            parser.nextToken();
            if (field == null) {
                skipValidated(parser);
                continue;
            }
            expected = field.index() + 1;
            seen[field.index()] = true;
            struct.put(field, read(parser, field.schema()));
        }
        if (parser.currentToken() != JsonToken.END_OBJECT) throw OffThePath.INSTANCE;
        for (int i = 0; i < count; i++) {
            if (!seen[i]) {
                Field field = fields.get(i);
                Object value = absent(field.schema());
                if (value != null) {
                    struct.put(field, value);
                }
            }
        }
        return struct;
    }

    private List<Object> array(JsonParser parser, Schema elementSchema, JsonToken token) throws IOException {
        if (token != JsonToken.START_ARRAY) throw OffThePath.INSTANCE;
        ArrayList<Object> list = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            list.add(read(parser, elementSchema));
        }
        return list;
    }

    private Map<Object, Object> map(JsonParser parser, Schema schema, JsonToken token) throws IOException {
        Map<Object, Object> map = new HashMap<>();
        Schema valueSchema = schema.valueSchema();
        if (schema.keySchema().type() == Schema.Type.STRING) {
            if (token != JsonToken.START_OBJECT) throw OffThePath.INSTANCE;
            String key;
            while ((key = parser.nextFieldName()) != null) {
                parser.nextToken();
                map.put(key, read(parser, valueSchema));
            }
            return map;
        }
        // Maps with other keys are arrays of [key, value] pairs.
        if (token != JsonToken.START_ARRAY) throw OffThePath.INSTANCE;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.START_ARRAY) throw OffThePath.INSTANCE;
            if (parser.nextToken() == JsonToken.END_ARRAY) throw OffThePath.INSTANCE;
            Object key = read(parser, schema.keySchema());
            if (parser.nextToken() == JsonToken.END_ARRAY) throw OffThePath.INSTANCE;
            Object value = read(parser, valueSchema);
            if (parser.nextToken() != JsonToken.END_ARRAY) throw OffThePath.INSTANCE;
            map.put(key, value);
        }
        return map;
    }

    private Object schemaless(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == null) throw OffThePath.INSTANCE;
        switch (token) {
            case VALUE_NULL:
                return null;
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NUMBER_INT:
                return longValue(parser, token);
            case VALUE_NUMBER_FLOAT:
                return parser.getDecimalValue().doubleValue();
            case VALUE_STRING:
                return parser.getText();
            case START_ARRAY:
                ArrayList<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(schemaless(parser));
                }
                return list;
            case START_OBJECT:
                Map<Object, Object> map = new HashMap<>();
                String key;
                while ((key = parser.nextFieldName()) != null) {
                    parser.nextToken();
                    map.put(key, schemaless(parser));
                }
                return map;
            default:
                throw OffThePath.INSTANCE;
        }
    }

    /**
     * Passes over a value the schema has no field for, decoding what JsonConverter's tree would have decoded, so a
     * malformed string or number there fails here as it fails there.
     */
    private static void skipValidated(JsonParser parser) throws IOException {
        int depth = 0;
        do {
            JsonToken token = parser.currentToken();
            if (token == null) throw OffThePath.INSTANCE;
            switch (token) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                case FIELD_NAME, VALUE_STRING -> parser.getText();
                case VALUE_NUMBER_INT -> parser.getNumberValue();
                case VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
                default -> {}
            }
        } while (depth > 0 && parser.nextToken() != null);
        if (depth > 0) throw OffThePath.INSTANCE;
    }

    private static Object decimal(JsonParser parser, Schema schema, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            return parser.getDecimalValue();
        }
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return switch (parser.getNumberType()) {
                case INT -> BigDecimal.valueOf(parser.getIntValue());
                case LONG -> BigDecimal.valueOf(parser.getLongValue());
                default -> new BigDecimal(parser.getBigIntegerValue());
            };
        }
        return Decimal.toLogical(schema, bytes(parser, token));
    }

    private static byte[] bytes(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.VALUE_STRING) throw OffThePath.INSTANCE;
        // The decoding JsonConverter's tree uses (it trims, then reads MIME base64 without line feeds).
        return new TextNode(parser.getText()).binaryValue();
    }

    /** Date and Time: JsonConverter accepts only a number that fits an int. */
    private static int intToken(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT) {
            throw OffThePath.INSTANCE;
        }
        return parser.getIntValue();
    }

    private static long integralToken(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT) throw OffThePath.INSTANCE;
        return longValue(parser, token);
    }

    private static int intValue(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return switch (parser.getNumberType()) {
                case INT -> parser.getIntValue();
                case LONG -> (int) parser.getLongValue();
                default -> parser.getBigIntegerValue().intValue();
            };
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT)
            return parser.getDecimalValue().intValue();
        throw OffThePath.INSTANCE;
    }

    private static long longValue(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return switch (parser.getNumberType()) {
                case INT -> parser.getIntValue();
                case LONG -> parser.getLongValue();
                default -> parser.getBigIntegerValue().longValue();
            };
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT)
            return parser.getDecimalValue().longValue();
        throw OffThePath.INSTANCE;
    }

    private static float floatValue(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return switch (parser.getNumberType()) {
                case INT -> (float) parser.getIntValue();
                case LONG -> (float) parser.getLongValue();
                default -> parser.getBigIntegerValue().floatValue();
            };
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT)
            return parser.getDecimalValue().floatValue();
        throw OffThePath.INSTANCE;
    }

    private static double doubleValue(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return switch (parser.getNumberType()) {
                case INT -> (double) parser.getIntValue();
                case LONG -> (double) parser.getLongValue();
                default -> parser.getBigIntegerValue().doubleValue();
            };
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT)
            return parser.getDecimalValue().doubleValue();
        throw OffThePath.INSTANCE;
    }
}
