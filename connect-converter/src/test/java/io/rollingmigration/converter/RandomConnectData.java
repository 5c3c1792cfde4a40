package io.rollingmigration.converter;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.SchemaBuilderException;

/** Random Connect schemas (every type, logical and Debezium types, optional, defaults, docs) and values for them. */
final class RandomConnectData {

    private static final String[] TEXTS = {
        "", "a", "Zürich", "quote \" and \\", "tab\tnew\nline", "😀", "\u0000", "x".repeat(300)
    };

    private final Random random;
    private int names;

    RandomConnectData(long seed) {
        this.random = new Random(seed);
    }

    Schema schema(int depth) {
        int kind = random.nextInt(depth > 0 ? 22 : 17);
        SchemaBuilder builder = switch (kind) {
            case 0 -> SchemaBuilder.int8();
            case 1 -> SchemaBuilder.int16();
            case 2 -> SchemaBuilder.int32();
            case 3 -> SchemaBuilder.int64();
            case 4 -> SchemaBuilder.float32();
            case 5 -> SchemaBuilder.float64();
            case 6 -> SchemaBuilder.bool();
            case 7 -> SchemaBuilder.string();
            case 8 -> SchemaBuilder.bytes();
            case 9 -> Decimal.builder(random.nextInt(6));
            case 10 -> Date.builder();
            case 11 -> Time.builder();
            case 12 -> Timestamp.builder();
            case 13 -> random.nextBoolean() ? DebeziumTypes.microTimestamp() : DebeziumTypes.nanoTimestamp();
            case 14 -> random.nextBoolean() ? DebeziumTypes.zonedTimestamp() : DebeziumTypes.uuid();
            case 15 -> DebeziumTypes.json();
            case 16 -> DebeziumTypes.bits(1 + random.nextInt(64));
            case 17 -> SchemaBuilder.array(schema(depth - 1));
            case 18 -> SchemaBuilder.map(Schema.STRING_SCHEMA, schema(depth - 1));
            case 19 -> SchemaBuilder.map(schema(depth - 1), schema(depth - 1));
            case 20 -> random.nextBoolean() ? DebeziumTypes.variableScaleDecimal() : DebeziumTypes.geometry();
            default -> struct(depth);
        };
        if (random.nextInt(3) == 0) builder.optional();
        if (builder.name() == null && random.nextInt(8) == 0) builder.name("custom.Name" + names++);
        if (builder.doc() == null && random.nextInt(10) == 0) builder.doc("doc " + random.nextInt(5));
        if (builder.version() == null && random.nextInt(10) == 0) builder.version(random.nextInt(4));
        if (random.nextInt(10) == 0) builder.parameter("p" + random.nextInt(3), TEXTS[random.nextInt(TEXTS.length)]);
        if (random.nextInt(6) == 0) {
            Object fallback = value(builder.build());
            try {
                if (fallback != null) builder.defaultValue(fallback);
            } catch (SchemaBuilderException e) {
                // A struct built for the default is not the builder's own schema: such a default cannot be set.
            }
        }
        return builder.build();
    }

    private SchemaBuilder struct(int depth) {
        SchemaBuilder struct = SchemaBuilder.struct().name("Row" + names++);
        int fields = random.nextInt(8);
        for (int i = 0; i < fields; i++) {
            struct.field("f" + i + (random.nextInt(4) == 0 ? "_é" : ""), schema(depth - 1));
        }
        return struct;
    }

    /** A value the schema accepts (null for an optional schema one time in four). */
    Object value(Schema schema) {
        if (schema.isOptional() && random.nextInt(4) == 0) {
            return null;
        }
        if (schema.name() != null) {
            switch (schema.name()) {
                case Decimal.LOGICAL_NAME:
                    int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
                    return new BigDecimal(new BigInteger(1 + random.nextInt(100), random).negate(), scale)
                            .add(new BigDecimal(BigInteger.valueOf(random.nextInt(1000)), scale));
                case Date.LOGICAL_NAME:
                    return new java.util.Date(86_400_000L * (random.nextInt(40_000) - 10_000));
                case Time.LOGICAL_NAME:
                    return new java.util.Date(random.nextInt(86_400_000));
                case Timestamp.LOGICAL_NAME:
                    return new java.util.Date(random.nextLong() / 1000);
                default:
                    break;
            }
        }
        return switch (schema.type()) {
            case INT8 -> (byte) random.nextInt();
            case INT16 -> (short) random.nextInt();
            case INT32 -> random.nextBoolean() ? random.nextInt() : random.nextInt(100);
            case INT64 -> random.nextBoolean() ? random.nextLong() : (long) random.nextInt(1000);
            case FLOAT32 ->
                random.nextInt(10) == 0
                        ? Float.NaN
                        : random.nextFloat() * (float) Math.pow(10, random.nextInt(60) - 30);
            case FLOAT64 ->
                random.nextInt(10) == 0
                        ? Double.NEGATIVE_INFINITY
                        : random.nextDouble() * Math.pow(10, random.nextInt(600) - 300);
            case BOOLEAN -> random.nextBoolean();
            case STRING -> TEXTS[random.nextInt(TEXTS.length)] + random.nextInt(100);
            case BYTES -> {
                byte[] bytes = new byte[random.nextInt(20)];
                random.nextBytes(bytes);
                yield random.nextInt(5) == 0 ? ByteBuffer.wrap(bytes) : bytes;
            }
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) list.add(value(schema.valueSchema()));
                yield list;
            }
            case MAP -> {
                Map<Object, Object> map = random.nextBoolean() ? new HashMap<>() : new LinkedHashMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    Object key = value(schema.keySchema());
                    if (key != null || schema.keySchema().type() != Schema.Type.STRING) {
                        map.put(key, value(schema.valueSchema()));
                    }
                }
                yield map;
            }
            case STRUCT -> {
                Struct struct = new Struct(schema);
                for (Field field : schema.fields()) {
                    Object value = value(field.schema());
                    if (value != null) struct.put(field, value);
                }
                yield struct;
            }
        };
    }

    /** The bytes with one random change: a byte replaced, removed, or a token-like fragment put in. */
    byte[] mutate(byte[] bytes) {
        if (bytes.length == 0) return bytes;
        String[] fragments = {
            "null", "1", "-0.5e3", "\"x\"", "true", "[", "]", "{", "}", ",", ":", "\"AQ==\"", "99999999999999999999"
        };
        int at = random.nextInt(bytes.length);
        return switch (random.nextInt(3)) {
            case 0 -> {
                byte[] copy = bytes.clone();
                copy[at] = (byte) " \",:{}[]0aeln-.\\".charAt(random.nextInt(16));
                yield copy;
            }
            case 1 -> {
                byte[] copy = new byte[bytes.length - 1];
                System.arraycopy(bytes, 0, copy, 0, at);
                System.arraycopy(bytes, at + 1, copy, at, bytes.length - at - 1);
                yield copy;
            }
            default -> {
                byte[] fragment =
                        fragments[random.nextInt(fragments.length)].getBytes(java.nio.charset.StandardCharsets.UTF_8);
                byte[] copy = new byte[bytes.length + fragment.length];
                System.arraycopy(bytes, 0, copy, 0, at);
                System.arraycopy(fragment, 0, copy, at, fragment.length);
                System.arraycopy(bytes, at, copy, at + fragment.length, bytes.length - at);
                yield copy;
            }
        };
    }
}
