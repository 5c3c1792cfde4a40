package io.rollingmigration.converter;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.json.DecimalFormat;

/**
 * Streams Connect data to a generator in the order and with the same generator calls Jackson makes when it writes
 * the tree Kafka's JsonConverter builds, so the bytes are the same without the tree. Whatever JsonConverter would
 * refuse, or write by a rule this writer does not follow (schemaless values, a map key that is not a plain string),
 * steps off the path and JsonConverter writes the record.
 */
final class PayloadWriter {

    private final boolean replaceNullWithDefault;
    private final DecimalFormat decimalFormat;

    PayloadWriter(boolean replaceNullWithDefault, DecimalFormat decimalFormat) {
        this.replaceNullWithDefault = replaceNullWithDefault;
        this.decimalFormat = decimalFormat;
    }

    void write(JsonGenerator out, Schema schema, Object value) throws IOException {
        if (schema == null) throw OffThePath.INSTANCE;
        if (value == null) {
            if (schema.defaultValue() != null && replaceNullWithDefault) {
                write(out, schema, schema.defaultValue());
                return;
            }
            if (!schema.isOptional()) throw OffThePath.INSTANCE;
            out.writeNull();
            return;
        }
        String name = schema.name();
        if (name != null && logical(out, schema, name, value)) {
            return;
        }
        switch (schema.type()) {
            case INT8 -> out.writeNumber((int) (Byte) value);
            case INT16 -> out.writeNumber((Short) value);
            case INT32 -> out.writeNumber((Integer) value);
            case INT64 -> out.writeNumber((Long) value);
            case FLOAT32 -> out.writeNumber((Float) value);
            case FLOAT64 -> out.writeNumber((Double) value);
            case BOOLEAN -> out.writeBoolean((Boolean) value);
            case STRING -> out.writeString(((CharSequence) value).toString());
            case BYTES -> {
                if (value instanceof byte[] bytes) {
                    out.writeBinary(bytes);
                } else if (value instanceof ByteBuffer buffer) {
                    // JsonConverter writes the whole backing array, whatever the buffer's position.
                    out.writeBinary(buffer.array());
                } else {
                    throw OffThePath.INSTANCE;
                }
            }
            case ARRAY -> {
                Schema elementSchema = schema.valueSchema();
                out.writeStartArray();
                for (Object element : (Collection<?>) value) {
                    write(out, elementSchema, element);
                }
                out.writeEndArray();
            }
            case MAP -> map(out, schema, (Map<?, ?>) value);
            case STRUCT -> struct(out, schema, (Struct) value);
            default -> throw OffThePath.INSTANCE;
        }
    }

    private void struct(JsonGenerator out, Schema schema, Struct struct) throws IOException {
        if (!struct.schema().equals(schema)) throw OffThePath.INSTANCE;
        out.writeStartObject();
        for (Field field : schema.fields()) {
            out.writeFieldName(field.name());
            write(out, field.schema(), struct.getWithoutDefault(field.name()));
        }
        out.writeEndObject();
    }

    private void map(JsonGenerator out, Schema schema, Map<?, ?> map) throws IOException {
        Schema keySchema = schema.keySchema();
        Schema valueSchema = schema.valueSchema();
        if (keySchema.type() == Schema.Type.STRING) {
            // JsonConverter keys an object by the key's text: a plain string is its own text.
            if (keySchema.name() != null) throw OffThePath.INSTANCE;
            out.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) throw OffThePath.INSTANCE;
                out.writeFieldName(key);
                write(out, valueSchema, entry.getValue());
            }
            out.writeEndObject();
            return;
        }
        out.writeStartArray();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            out.writeStartArray();
            write(out, keySchema, entry.getKey());
            write(out, valueSchema, entry.getValue());
            out.writeEndArray();
        }
        out.writeEndArray();
    }

    /** Writes a logical type's value and says so, or says it is not one of Connect's logical types. */
    private boolean logical(JsonGenerator out, Schema schema, String name, Object value) throws IOException {
        switch (name) {
            case Decimal.LOGICAL_NAME -> {
                if (!(value instanceof BigDecimal decimal)) throw OffThePath.INSTANCE;
                if (decimalFormat == DecimalFormat.NUMERIC) {
                    out.writeNumber(decimal);
                } else {
                    out.writeBinary(Decimal.fromLogical(schema, decimal));
                }
            }
            case Date.LOGICAL_NAME -> out.writeNumber(Date.fromLogical(schema, date(value)));
            case Time.LOGICAL_NAME -> out.writeNumber(Time.fromLogical(schema, date(value)));
            case Timestamp.LOGICAL_NAME -> out.writeNumber(Timestamp.fromLogical(schema, date(value)));
            default -> {
                return false;
            }
        }
        return true;
    }

    private static java.util.Date date(Object value) {
        if (!(value instanceof java.util.Date date)) throw OffThePath.INSTANCE;
        return date;
    }
}
